//! One resource read as a reader connection runs it: the statement's text and values, owned,
//! so that a read that outgrows its inline budget can move to a blocking thread and run again
//! (`limited.rs`); the rows typed by storage class; and the count cache.
//!
//! Counts are cached per connection and keyed by statement and values. A list asks for its
//! `COUNT(*)` on every page (DRF's pagination does), and at a million rows that count walks
//! every visible row each time. SQLite's `PRAGMA data_version` changes on a connection whenever
//! any other connection (this process's writer, or another process such as the CLI) commits, so
//! a cached count is used only while it is unchanged: exact, not eventually right.

use std::collections::HashMap;
use std::fmt::Write;

use rusqlite::Connection;
use rusqlite::types::{Value as SqlValue, ValueRef};
use sea_query::{SelectStatement, SqliteQueryBuilder};

use super::values::bind_values;
use crate::store::StoreError;
use crate::store::cells::{Cell, Storage};
pub(super) use crate::store::result_cache::Answer;

/// Counts kept per connection before the cache starts over (bounds its memory).
const COUNTS_KEPT: usize = 512;

/// A read to run: the rows of a `SELECT`, or the number a `COUNT(*)` returns.
pub(super) struct ReadJob {
    sql: String,
    values: Vec<SqlValue>,
    /// `None` for a count.
    kinds: Option<Vec<Storage>>,
}

impl ReadJob {
    /// The rows `stmt` selects, each column read as `kinds` says.
    pub(super) fn rows(stmt: &SelectStatement, kinds: &[Storage]) -> Result<ReadJob, StoreError> {
        let (sql, values) = stmt.build(SqliteQueryBuilder);
        Ok(ReadJob {
            sql,
            values: bind_values(values.0)?,
            kinds: Some(kinds.to_vec()),
        })
    }

    /// The single integer `stmt` (a `COUNT(*)`) selects.
    pub(super) fn count(stmt: &SelectStatement) -> Result<ReadJob, StoreError> {
        let (sql, values) = stmt.build(SqliteQueryBuilder);
        Ok(ReadJob {
            sql,
            values: bind_values(values.0)?,
            kinds: None,
        })
    }

    /// Run on `conn`, a count answered from `counts` while the database is unchanged.
    pub(super) fn run(
        &self,
        conn: &Connection,
        counts: &mut CountCache,
    ) -> rusqlite::Result<Answer> {
        let mut stmt = conn.prepare_cached(&self.sql)?;
        let params = rusqlite::params_from_iter(self.values.iter());
        let Some(kinds) = &self.kinds else {
            let key = self.key();
            if let Some(n) = counts.get(conn, &key)? {
                return Ok(Answer::Count(n));
            }
            let n: i64 = stmt.query_row(params, |row| row.get(0))?;
            counts.put(key, n);
            return Ok(Answer::Count(n));
        };
        let mut rows = stmt.query(params)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut cells = Vec::with_capacity(kinds.len());
            for (i, kind) in kinds.iter().enumerate() {
                cells.push(cell(row.get_ref(i)?, *kind));
            }
            out.push(cells);
        }
        Ok(Answer::Rows(out))
    }

    /// The statement and its values as one string: the count cache's and the result cache's
    /// key.
    pub(super) fn key(&self) -> String {
        let mut key = self.sql.clone();
        for value in &self.values {
            // Lengths make the encoding unambiguous whatever the text holds.
            let _ = match value {
                SqlValue::Null => write!(key, "\0n"),
                SqlValue::Integer(i) => write!(key, "\0i{i}"),
                SqlValue::Real(f) => write!(key, "\0r{}", f.to_bits()),
                SqlValue::Text(t) => write!(key, "\0t{}:{t}", t.len()),
                SqlValue::Blob(b) => write!(key, "\0b{}:{}", b.len(), hex::encode(b)),
            };
        }
        key
    }
}

/// A column's value as the resource layer reads it; SQLite converts between storage classes as
/// `sqlite3_column_int64`/`_double`/`_text` do (a column holds what its declared type says).
fn cell(value: ValueRef<'_>, kind: Storage) -> Cell {
    match (value, kind) {
        (ValueRef::Null, _) => Cell::Null,
        (ValueRef::Integer(i), Storage::Integer) => Cell::Int(i),
        (ValueRef::Real(f), Storage::Real) => Cell::Real(f),
        (ValueRef::Integer(i), Storage::Real) => Cell::Real(i as f64),
        // Truncation toward zero, as SQLite converts a real to an integer.
        (ValueRef::Real(f), Storage::Integer) => Cell::Int(f as i64),
        (ValueRef::Integer(i), Storage::Text) => Cell::Text(i.to_string()),
        (ValueRef::Real(f), Storage::Text) => Cell::Text(f.to_string()),
        (ValueRef::Text(t) | ValueRef::Blob(t), Storage::Text) => {
            Cell::Text(String::from_utf8_lossy(t).into_owned())
        }
        (ValueRef::Text(t) | ValueRef::Blob(t), Storage::Integer) => {
            Cell::Int(leading_number(t).map_or(0, |n| n as i64))
        }
        (ValueRef::Text(t) | ValueRef::Blob(t), Storage::Real) => {
            Cell::Real(leading_number(t).unwrap_or(0.0))
        }
    }
}

fn leading_number(text: &[u8]) -> Option<f64> {
    std::str::from_utf8(text).ok()?.trim().parse().ok()
}

/// One connection's counts, valid for one `data_version`.
#[derive(Default)]
pub(super) struct CountCache {
    version: Option<i64>,
    counts: HashMap<String, i64>,
}

impl CountCache {
    /// The cached count for `key`, after forgetting every count if the database changed.
    fn get(&mut self, conn: &Connection, key: &str) -> rusqlite::Result<Option<i64>> {
        let version: i64 = conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |row| row.get(0))?;
        if self.version != Some(version) {
            self.counts.clear();
            self.version = Some(version);
        }
        Ok(self.counts.get(key).copied())
    }

    fn put(&mut self, key: String, count: i64) {
        if self.counts.len() >= COUNTS_KEPT {
            self.counts.clear();
        }
        self.counts.insert(key, count);
    }
}
