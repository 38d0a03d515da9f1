//! SQLite's own result codes that the store tells apart (`StoreError`'s `From<sqlx::Error>`):
//! those sqlx does not classify by itself.

use sqlx::error::DatabaseError;

use crate::store::StoreError;

/// SQLite's result code for a statement stopped by the progress handler (`SQLITE_INTERRUPT`).
const SQLITE_INTERRUPT: &str = "9";

/// A statement interrupted on its time limit (`limits.query_timeout_ms`).
pub(crate) fn is_interrupt(db: &dyn DatabaseError) -> bool {
    db.code().as_deref() == Some(SQLITE_INTERRUPT)
}

/// SQLite reports `ON DELETE RESTRICT` as `SQLITE_CONSTRAINT_TRIGGER` (1811), not as the
/// foreign-key code sqlx recognizes; a trigger's own `RAISE(ABORT, ...)` shares the code, so the
/// message tells them apart.
pub(crate) fn is_restrict_violation(db: &dyn DatabaseError) -> bool {
    db.code().as_deref() == Some("1811") && db.message() == "FOREIGN KEY constraint failed"
}

/// SQLite's failures met through rusqlite (the resource readers and the group writer), told
/// apart as `StoreError`'s `From<sqlx::Error>` tells sqlx's apart: a statement interrupted on
/// its time limit, a locked database (saturation), a refused unique or reference constraint
/// (a conflict, with SQLite's own message, as sqlx reports it); anything else is a fault.
pub(crate) fn from_rusqlite(e: &rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let rusqlite::Error::SqliteFailure(failure, message) = e else {
        return StoreError::Database(sqlx::Error::Protocol(format!("SQLite: {e}")));
    };
    let message = message.clone().unwrap_or_else(|| failure.to_string());
    match failure.code {
        ErrorCode::OperationInterrupted => StoreError::Interrupted,
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Busy,
        ErrorCode::ConstraintViolation
            if matches!(
                failure.extended_code,
                SQLITE_CONSTRAINT_UNIQUE
                    | SQLITE_CONSTRAINT_PRIMARYKEY
                    | SQLITE_CONSTRAINT_FOREIGNKEY
            ) || (failure.extended_code == SQLITE_CONSTRAINT_TRIGGER
                && message == "FOREIGN KEY constraint failed") =>
        {
            StoreError::Conflict(message)
        }
        _ => StoreError::Database(sqlx::Error::Protocol(format!("SQLite: {message}"))),
    }
}

const SQLITE_CONSTRAINT_FOREIGNKEY: i32 = 787;
const SQLITE_CONSTRAINT_PRIMARYKEY: i32 = 1555;
const SQLITE_CONSTRAINT_TRIGGER: i32 = 1811;
const SQLITE_CONSTRAINT_UNIQUE: i32 = 2067;
