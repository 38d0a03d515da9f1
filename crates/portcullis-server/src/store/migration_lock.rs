//! The migration lock's guard: held around a whole migration (the fixed tables and the
//! resources' DDL) so that two migrators never interleave DDL on one database. Each database
//! says what holding it means (`MigrationStore::lock_migrations`).

use std::future::Future;
use std::pin::Pin;

/// What a database keeps while the lock is held, and how it gives it back.
pub(crate) trait HeldLock: Send {
    /// Release the lock now (dropping it must release it too, if later).
    fn release(self: Box<Self>) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The migration lock, held until [`MigrationLock::release`] or drop.
pub struct MigrationLock {
    held: Option<Box<dyn HeldLock>>,
}

impl MigrationLock {
    /// A lock the database does not need (SQLite's single writer serializes migrations).
    pub(crate) fn unneeded() -> MigrationLock {
        MigrationLock { held: None }
    }

    pub(crate) fn held(lock: Box<dyn HeldLock>) -> MigrationLock {
        MigrationLock { held: Some(lock) }
    }

    /// Give the lock back at once, so the next migrator need not wait for the connection that
    /// holds it to be closed.
    pub async fn release(mut self) {
        if let Some(held) = self.held.take() {
            held.release().await;
        }
    }
}

impl std::fmt::Debug for MigrationLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MigrationLock")
            .field("held", &self.held.is_some())
            .finish()
    }
}
