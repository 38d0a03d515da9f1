//! The SQLite side of the store, WAL journal, foreign keys on, `synchronous = NORMAL` (in WAL
//! mode an acknowledged commit survives a process kill; only a power loss can roll back the last
//! transactions). Accounts, tokens, migrations: one sqlx writer connection (SQLite allows one
//! writer at a time, so a pool of one queues writes instead of failing them with SQLITE_BUSY)
//! and a pool of sqlx readers. Resource rows: their own read connections driven without a thread
//! hop (`limited.rs`), their answers kept while nothing changes (`result_cache.rs`), and a writer
//! thread grouping writes into shared commits (`group_writer.rs`). The two writers wait for each other through the busy timeout; a group
//! is short, and an account write is one statement.

mod accounts;
mod admin;
mod audit;
pub(crate) mod backup;
mod ddl;
pub(crate) mod errors;
mod files;
mod fixed_tables;
mod group_writer;
mod import;
mod knox;
mod limited;
mod links;
mod read_job;
mod resources;
mod result_cache;
mod tokens;
mod values;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::QueryLimits;
use super::result_cache::ResultCache;

use super::StoreError;
use super::{MigrationLock, MigrationStore, PoolUse, StoreFuture};

/// Connections answering fixed queries (tokens, users, permissions).
const READERS: u32 = 4;
/// Connections answering the queries a client shapes (resource lists and rows), with a time
/// limit per query; apart from `READERS` so that they cannot starve authentication.
const RESOURCE_READERS: usize = 4;

#[derive(Clone, Debug)]
pub(crate) struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    /// `None` for an in-memory database, whose only connection is the writer's.
    resource_reader: Option<Arc<limited::LimitedReaders>>,
    /// Resource rows' writes, grouped into shared commits; `None` in memory, as above.
    resource_writer: Option<Arc<group_writer::GroupWriter>>,
    /// Resource reads' answers while nothing changes; `None` in memory or with
    /// `read_cache_kb = 0`.
    results: Option<Arc<ResultCache<result_cache::WalIndex>>>,
}

impl SqliteStore {
    /// Connect without applying migrations.
    pub(crate) async fn connect(url: &str, limits: QueryLimits) -> Result<SqliteStore, StoreError> {
        let memory = url == "sqlite::memory:";
        if let Some(path) = files::database_path(url) {
            files::make_private(&path).map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        }
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
            .acquire_timeout(limits.pool_wait)
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await?;
        // An in-memory database exists once per connection: readers must share the writer's.
        if memory {
            return Ok(SqliteStore {
                reader: writer.clone(),
                writer,
                resource_reader: None,
                resource_writer: None,
                results: None,
            });
        }
        // No maintenance task (see `store::postgres::pool_options` on its spinning loop).
        let reader = SqlitePoolOptions::new()
            .acquire_timeout(limits.pool_wait)
            .max_connections(READERS)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone().read_only(true))
            .await?;
        let resource_reader =
            limited::LimitedReaders::open(options.get_filename(), RESOURCE_READERS, limits)?;
        let results =
            result_cache::open(options.get_filename(), limits.read_cache_bytes).map(Arc::new);
        let resource_writer = group_writer::GroupWriter::start(options.get_filename())?;
        Ok(SqliteStore {
            writer,
            reader,
            resource_reader: Some(Arc::new(resource_reader)),
            resource_writer: Some(Arc::new(resource_writer)),
            results,
        })
    }
}

impl MigrationStore for SqliteStore {
    fn migrate(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(async move { fixed_tables::apply(&self.writer).await })
    }

    fn pending_migrations(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(async move { fixed_tables::pending(&self.reader).await })
    }

    /// None needed: SQLite serves one instance (several need PostgreSQL), and there every
    /// migration's DDL runs on the single writer connection, which serializes migrators
    /// already.
    fn lock_migrations(&self, _wait: Duration) -> StoreFuture<'_, MigrationLock> {
        Box::pin(async { Ok(MigrationLock::unneeded()) })
    }

    /// The database is a file opened at start: there is no server to be away, and a pool
    /// timeout is saturation.
    fn probe(&self) -> StoreFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }

    fn pools(&self) -> Vec<PoolUse> {
        let mut pools = vec![PoolUse::of("writer", &self.writer)];
        // In memory the readers are the writer.
        if let Some(resource_reader) = &self.resource_reader {
            pools.push(PoolUse::of("reader", &self.reader));
            let idle = u32::try_from(resource_reader.free()).unwrap_or(u32::MAX);
            pools.push(PoolUse {
                name: "resources",
                in_use: (RESOURCE_READERS as u32).saturating_sub(idle),
                idle,
            });
        }
        pools
    }
}
