//! The SQLite side of the store: one writer connection (SQLite allows one writer at a time, so
//! a pool of one queues writes instead of failing them with SQLITE_BUSY) and a pool of readers,
//! WAL journal, foreign keys on, `synchronous = NORMAL` (in WAL mode an acknowledged commit
//! survives a process kill; only a power loss can roll back the last transactions).

mod accounts;
mod admin;
mod jwt;
mod migrate;
mod resources;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::StoreError;

#[derive(Clone, Debug)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl SqliteStore {
    /// Connect without applying migrations.
    pub async fn connect(url: &str) -> Result<SqliteStore, StoreError> {
        let memory = url == "sqlite::memory:";
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .statement_cache_capacity(256);
        let options = if memory {
            options
        } else {
            options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
        };
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await?;
        // An in-memory database exists once per connection: readers must share the writer's.
        let reader = if memory {
            writer.clone()
        } else {
            SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options.read_only(true))
                .await?
        };
        Ok(SqliteStore { writer, reader })
    }

    /// Apply pending migrations; their names, in order.
    pub async fn migrate(&self) -> Result<Vec<String>, StoreError> {
        migrate::apply(&self.writer).await
    }

    pub async fn pending_migrations(&self) -> Result<Vec<String>, StoreError> {
        migrate::pending(&self.reader).await
    }
}
