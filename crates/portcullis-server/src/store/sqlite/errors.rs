//! SQLite's own result codes that the store tells apart (`StoreError`'s `From<sqlx::Error>`):
//! those sqlx does not classify by itself.

use sqlx::error::DatabaseError;

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
