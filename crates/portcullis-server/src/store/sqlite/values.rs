//! sea-query's statements as rusqlite runs them: the SQL text in SQLite's dialect and each
//! bound value in the storage class sea-query-sqlx would have bound it with.

use rusqlite::types::Value as SqlValue;
use sea_query::{OptionEnum, Value, Values};

use crate::store::StoreError;

/// A built statement: SQLite's text and its bound values.
pub(super) type Built = (String, Vec<SqlValue>);

/// `(sql, values)` from a sea-query `build(SqliteQueryBuilder)`.
pub(super) fn built((sql, values): (String, Values)) -> Result<Built, StoreError> {
    Ok((sql, bind_values(values.0)?))
}

/// sea-query's values as SQLite binds them (as sea-query-sqlx binds them for sqlx: booleans
/// and integers as integers, characters and enums as text).
pub(super) fn bind_values(values: Vec<Value>) -> Result<Vec<SqlValue>, StoreError> {
    values.into_iter().map(bind_value).collect()
}

fn bind_value(value: Value) -> Result<SqlValue, StoreError> {
    let int = |i: Option<i64>| i.map_or(SqlValue::Null, SqlValue::Integer);
    Ok(match value {
        Value::Bool(b) => int(b.map(i64::from)),
        Value::TinyInt(i) => int(i.map(i64::from)),
        Value::SmallInt(i) => int(i.map(i64::from)),
        Value::Int(i) => int(i.map(i64::from)),
        Value::BigInt(i) => int(i),
        Value::TinyUnsigned(i) => int(i.map(i64::from)),
        Value::SmallUnsigned(i) => int(i.map(i64::from)),
        Value::Unsigned(i) => int(i.map(i64::from)),
        Value::BigUnsigned(i) => match i.map(i64::try_from).transpose() {
            Ok(i) => int(i),
            Err(_) => return Err(unbindable("an integer beyond 64 bits")),
        },
        Value::Float(f) => f.map_or(SqlValue::Null, |f| SqlValue::Real(f.into())),
        Value::Double(f) => f.map_or(SqlValue::Null, SqlValue::Real),
        Value::String(s) => s.map_or(SqlValue::Null, SqlValue::Text),
        Value::Char(c) => c.map_or(SqlValue::Null, |c| SqlValue::Text(c.to_string())),
        Value::Enum(OptionEnum::Some(e)) => SqlValue::Text(e.value.into_owned()),
        Value::Enum(OptionEnum::None(_)) => SqlValue::Null,
        Value::Bytes(b) => b.map_or(SqlValue::Null, SqlValue::Blob),
        #[allow(unreachable_patterns)]
        _ => return Err(unbindable("a value type resources never bind")),
    })
}

fn unbindable(what: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(format!("cannot bind {what}")))
}
