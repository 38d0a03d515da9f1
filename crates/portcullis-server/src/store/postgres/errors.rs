//! PostgreSQL's SQLSTATE codes that the store tells apart (`StoreError`'s `From<sqlx::Error>`):
//! those sqlx does not classify by itself.

use sqlx::error::DatabaseError;

/// `query_canceled`: a statement stopped by `statement_timeout` (`limits.query_timeout_ms`).
const QUERY_CANCELED: &str = "57014";

/// A statement interrupted on its time limit.
pub(crate) fn is_interrupt(db: &dyn DatabaseError) -> bool {
    db.code().as_deref() == Some(QUERY_CANCELED)
}
