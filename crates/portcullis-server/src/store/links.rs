//! The links of many-to-many fields, in terms any database can write: a join table holding
//! (source id, target id) pairs, as Django's `ManyToManyField` keeps them. A row and the links
//! of its fields are written in one transaction (`ResourceStore::insert_row_linked`,
//! `ResourceStore::update_row_linked`), so a 201 never answers a row whose links were lost.

use sea_query::{DeleteStatement, Expr, ExprTrait, InsertStatement, OnConflict, Query};

use super::StoreError;

/// The complete set of targets one row is to be linked to through one join table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSet {
    /// The join table.
    pub(crate) table: String,
    /// Its column holding the row's id.
    pub(crate) source: String,
    /// Its column holding the target's id.
    pub(crate) target: String,
    /// The target ids, each once (Django's `set()` adds a repeated id once).
    pub(crate) targets: Vec<i64>,
}

impl LinkSet {
    /// The statements that bring the links of row `id` to exactly this set's targets, as
    /// Django's `RelatedManager.set()` does: the pairs no longer wanted are deleted, the new ones
    /// added (`ON CONFLICT DO NOTHING`), and the ones kept stay untouched. Built here once, each
    /// database runs them in its own dialect, in the row's transaction.
    pub(crate) fn statements(
        &self,
        id: i64,
    ) -> Result<(DeleteStatement, Vec<InsertStatement>), StoreError> {
        let mut delete = Query::delete();
        delete
            .from_table(self.table.clone())
            .and_where(Expr::col(self.source.clone()).eq(id));
        // The links kept stay as they are (Django's `set()` keeps their rows); a set too long
        // to name in one statement is rewritten whole instead, which no client can tell apart.
        if !self.targets.is_empty() && self.targets.len() <= LINKS_PER_INSERT {
            delete.and_where(Expr::col(self.target.clone()).is_not_in(self.targets.clone()));
        }
        // One statement per bounded batch: a long list must not exceed a database's limit on
        // bound parameters (SQLite's 32766, PostgreSQL's 65535).
        let mut inserts = Vec::new();
        for batch in self.targets.chunks(LINKS_PER_INSERT) {
            let mut insert = Query::insert();
            insert
                .into_table(self.table.clone())
                .columns([self.source.clone(), self.target.clone()])
                .on_conflict(
                    OnConflict::columns([self.source.clone(), self.target.clone()])
                        .do_nothing()
                        .to_owned(),
                );
            for target in batch {
                insert
                    .values([Expr::val(id), Expr::val(*target)])
                    .map_err(|e| StoreError::Database(sqlx::Error::Protocol(e.to_string())))?;
            }
            inserts.push(insert);
        }
        Ok((delete, inserts))
    }
}

/// Pairs per `INSERT` (two parameters each, far below every database's limit).
const LINKS_PER_INSERT: usize = 1000;
