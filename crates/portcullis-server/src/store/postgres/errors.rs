//! PostgreSQL's SQLSTATE codes that the store tells apart (`StoreError`'s `From<sqlx::Error>`):
//! those sqlx does not classify by itself.

use sqlx::error::DatabaseError;

/// `query_canceled`: a statement stopped by `statement_timeout` (`limits.query_timeout_ms`).
const QUERY_CANCELED: &str = "57014";

/// `admin_shutdown`, `crash_shutdown`, `cannot_connect_now`: the server is stopping, has
/// crashed or is still starting.
const SHUTTING_DOWN: [&str; 3] = ["57P01", "57P02", "57P03"];

/// `too_many_connections`: the server's `max_connections` is reached.
const TOO_MANY_CONNECTIONS: &str = "53300";

/// A statement interrupted on its time limit.
pub(crate) fn is_interrupt(db: &dyn DatabaseError) -> bool {
    db.code().as_deref() == Some(QUERY_CANCELED)
}

/// The server is going away or not there yet, or the connection to it failed (class `08`,
/// `connection_exception`): an outage rather than a fault of the query.
pub(crate) fn is_unreachable(db: &dyn DatabaseError) -> bool {
    // SQLite's codes are decimal numbers without a leading zero: a five-character code
    // starting with `08` is PostgreSQL's.
    db.code().is_some_and(|code| {
        SHUTTING_DOWN.contains(&&*code) || (code.len() == 5 && code.starts_with("08"))
    })
}

/// The server refuses more connections: saturated, like a pool with none free.
pub(crate) fn is_saturated(db: &dyn DatabaseError) -> bool {
    db.code().as_deref() == Some(TOO_MANY_CONNECTIONS)
}
