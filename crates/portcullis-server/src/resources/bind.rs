//! Values bound in the storage class of the column they meet. SQLite converts a value compared
//! with or written to a column by the column's affinity (text `'12'` against an integer column
//! is 12, a number against a text column is its text); PostgreSQL refuses `bigint = text`
//! outright. Converting here, as SQLite's affinity would, gives one statement that answers the
//! same on both.

use sea_query::{Expr, ExprTrait, SimpleExpr, Value};

use super::schema::Storage;

/// `value` converted to `storage` as SQLite's affinity converts it; `None` when no value of the
/// column can equal it (text that is no number, against a number column).
pub(crate) fn convert(value: Value, storage: Storage) -> Option<Value> {
    Some(match (storage, value) {
        (Storage::Integer, Value::Bool(b)) => b.map(i64::from).into(),
        (Storage::Integer, Value::Double(Some(f))) => whole(f).map_or(f.into(), Value::from),
        (Storage::Integer | Storage::Real, Value::String(Some(s))) => number(&s)?,
        // No stored text holds a NUL (input refuses it, and PostgreSQL's text cannot).
        (Storage::Text, Value::String(Some(s))) if s.contains('\0') => return None,
        (Storage::Real, Value::Bool(b)) => b.map(|b| f64::from(u8::from(b))).into(),
        (Storage::Real, Value::BigInt(Some(i))) => (i as f64).into(),
        (Storage::Text, Value::Bool(b)) => b.map(|b| i64::from(b).to_string()).into(),
        (Storage::Text, Value::BigInt(i)) => i.map(|i| i.to_string()).into(),
        (Storage::Text, Value::Double(f)) => f.map(real_text).into(),
        // A null of another type is still a null: typed as the column's.
        (Storage::Integer, v) if is_null(&v) => Option::<i64>::None.into(),
        (Storage::Real, v) if is_null(&v) => Option::<f64>::None.into(),
        (Storage::Text, v) if is_null(&v) => Option::<String>::None.into(),
        (_, v) => v,
    })
}

/// `column = value`, the value in the column's storage class (matching nothing when it cannot).
pub(crate) fn eq(column: Expr, storage: Storage, value: impl Into<Value>) -> SimpleExpr {
    match convert(value.into(), storage) {
        Some(value) => column.eq(value),
        None => Expr::cust("0 = 1"),
    }
}

fn is_null(value: &Value) -> bool {
    matches!(
        value,
        Value::Bool(None) | Value::BigInt(None) | Value::Double(None) | Value::String(None)
    )
}

/// A real holding a whole number within 64 bits, as that integer.
fn whole(f: f64) -> Option<i64> {
    // Beyond 2^63 a cast saturates; below 2^53 every whole real is exact.
    (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

/// Text read as SQLite's NUMERIC affinity reads it: an integer when it is one (or a whole
/// real), else a real; `None` when it is no number.
fn number(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Ok(i) = text.parse::<i64>() {
        return Some(i.into());
    }
    let f = text.parse::<f64>().ok().filter(|f| f.is_finite())?;
    Some(whole(f).map_or(f.into(), Value::from))
}

/// A real as SQLite writes it as text: a whole number keeps its `.0`.
fn real_text(f: f64) -> String {
    match whole(f) {
        Some(i) => format!("{i}.0"),
        None => f.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_take_the_column_s_storage_class() {
        assert_eq!(convert(true.into(), Storage::Integer), Some(1i64.into()));
        assert_eq!(convert("12 ".into(), Storage::Integer), Some(12i64.into()));
        assert_eq!(convert("1.5".into(), Storage::Real), Some(1.5f64.into()));
        assert_eq!(convert("abc".into(), Storage::Integer), None);
        assert_eq!(convert("a\0".into(), Storage::Text), None);
        assert_eq!(convert(12i64.into(), Storage::Text), Some("12".into()));
        assert_eq!(convert(2.0f64.into(), Storage::Text), Some("2.0".into()));
        assert_eq!(convert(3i64.into(), Storage::Real), Some(3.0f64.into()));
        assert_eq!(
            convert(Option::<String>::None.into(), Storage::Integer),
            Some(Option::<i64>::None.into())
        );
    }
}
