//! The PostgreSQL side of the store, for several instances behind a load balancer: a pool for
//! the fixed queries (tokens, users, permissions) and a pool for the queries a client shapes
//! (resource lists and rows) whose connections carry `statement_timeout`, apart so that slow
//! resource queries cannot starve authentication. Both connect lazily: a database that is down
//! when an instance starts is a 503 until it is back, not a refusal to start.

mod accounts;
mod admin;
mod audit;
pub(crate) mod data_version;
mod ddl;
pub(crate) mod errors;
mod fixed_tables;
mod import;
mod knox;
mod links;
#[cfg(test)]
mod live_tests;
mod migration_lock;
mod resources;
mod tokens;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};

use super::QueryLimits;
use super::StoreError;
use super::result_cache::ResultCache;
use super::{MigrationLock, MigrationStore, PoolUse, StoreFuture};
use data_version::DataVersion;

#[derive(Clone, Debug)]
pub(crate) struct PgStore {
    /// Fixed queries: accounts, tokens, JWT state, the console.
    pool: PgPool,
    /// Client-shaped queries over resources, each stopped after `limits.query_timeout`.
    resource_pool: PgPool,
    /// How to open a connection apart from the pools: the migration lock's, and probes.
    options: PgConnectOptions,
    /// How long a probe may take to connect (`limits.pool_wait`).
    probe_wait: Duration,
    /// The resource data's version, moved after each resource write; `None` when answers are
    /// not kept.
    data: Option<Arc<DataVersion>>,
    /// Kept answers of resource reads (`read_cache_kb`), valid for one data version.
    results: Option<Arc<ResultCache<Arc<DataVersion>>>>,
}

impl PgStore {
    /// Connect without applying migrations (lazily: nothing is opened before the first query).
    #[cfg(test)]
    pub(crate) async fn connect(url: &str, limits: QueryLimits) -> Result<PgStore, StoreError> {
        PgStore::connect_kept(url, limits, None).await
    }

    /// [`PgStore::connect`], keeping the answers of resource reads under `data` when given
    /// (whose announcements the authentication cache's listener hears).
    pub(crate) async fn connect_kept(
        url: &str,
        limits: QueryLimits,
        data: Option<Arc<DataVersion>>,
    ) -> Result<PgStore, StoreError> {
        let options = PgConnectOptions::from_str(url)?
            .application_name("portcullis")
            .statement_cache_capacity(256);
        let pool = pool_options(&limits).connect_lazy_with(options.clone());
        let timeout_ms = limits.query_timeout.as_millis().to_string();
        let resource_pool = pool_options(&limits).connect_lazy_with(
            options
                .clone()
                .options([("statement_timeout", timeout_ms.as_str())]),
        );
        let results = data
            .as_ref()
            .and_then(|data| ResultCache::new(Arc::clone(data), limits.read_cache_bytes))
            .map(Arc::new);
        Ok(PgStore {
            pool,
            resource_pool,
            options,
            probe_wait: limits.pool_wait,
            data,
            results,
        })
    }
}

/// A connection idle for longer than this is pinged before it is handed out; see [`pool_options`].
const PING_IDLE_AFTER: Duration = Duration::from_secs(1);

/// The options of both pools. sqlx pings every connection it hands out by default: a round trip
/// to the server before each query, on top of the one sqlx makes when the connection comes back
/// (which cannot be turned off). Profiles of the detail GET showed those pings as a quarter of
/// the process's time. A connection that came back less than [`PING_IDLE_AFTER`] ago was proved
/// alive by that return, so only one idle for longer (when the server may have restarted
/// unnoticed) is pinged; a dead one is dropped and another opened, as with sqlx's own test.
fn pool_options(limits: &QueryLimits) -> PgPoolOptions {
    PgPoolOptions::new()
        .acquire_timeout(limits.pool_wait)
        .max_connections(limits.pool_size)
        .test_before_acquire(false)
        // No idle timeout and no lifetime: with either, sqlx runs a maintenance task that
        // loops `0..num_idle()`, and sqlx 0.9 bumps that count after pushing a released
        // connection, so a pop racing in between wraps it below zero and the task spins for
        // good (seen: an `import-django` at 100 % CPU). Pool sizes are bounded, and a connection
        // idle for over a second is pinged before use (below), which is what the reaping was for.
        .max_lifetime(None)
        .idle_timeout(None)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > PING_IDLE_AFTER {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

/// A count or offset as PostgreSQL's BIGINT (saturating: no page reaches `i64::MAX`).
fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl MigrationStore for PgStore {
    fn migrate(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(async move { fixed_tables::apply(&self.pool).await })
    }

    fn pending_migrations(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(async move { fixed_tables::pending(&self.pool).await })
    }

    fn lock_migrations(&self, wait: Duration) -> StoreFuture<'_, MigrationLock> {
        Box::pin(async move { migration_lock::lock(&self.options, wait).await })
    }

    fn pools(&self) -> Vec<PoolUse> {
        vec![
            PoolUse::of("fixed", &self.pool),
            PoolUse::of("resources", &self.resource_pool),
        ]
    }

    fn probe(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            match tokio::time::timeout(self.probe_wait, PgConnection::connect_with(&self.options))
                .await
            {
                Ok(Ok(conn)) => {
                    let _ = conn.close().await;
                    Ok(())
                }
                Ok(Err(e)) => Err(e.into()),
                Err(_) => Err(StoreError::Unavailable(format!(
                    "no connection within {} ms",
                    self.probe_wait.as_millis()
                ))),
            }
        })
    }
}
