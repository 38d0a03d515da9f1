//! The PostgreSQL side of the store, for several instances behind a load balancer: a pool for
//! the fixed queries (tokens, users, permissions) and a pool for the queries a client shapes
//! (resource lists and rows) whose connections carry `statement_timeout`, apart so that slow
//! resource queries cannot starve authentication. Both connect lazily: a database that is down
//! when an instance starts is a 503 until it is back, not a refusal to start.

mod accounts;
mod admin;
mod ddl;
pub(crate) mod errors;
mod fixed_tables;
mod links;
#[cfg(test)]
mod live_tests;
mod resources;
mod tokens;

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use super::QueryLimits;
use super::StoreError;
use super::{MigrationStore, StoreFuture};

#[derive(Clone, Debug)]
pub(crate) struct PgStore {
    /// Fixed queries: accounts, tokens, JWT state, the console.
    pool: PgPool,
    /// Client-shaped queries over resources, each stopped after `limits.query_timeout`.
    resource_pool: PgPool,
}

impl PgStore {
    /// Connect without applying migrations (lazily: nothing is opened before the first query).
    pub(crate) async fn connect(url: &str, limits: QueryLimits) -> Result<PgStore, StoreError> {
        let options = PgConnectOptions::from_str(url)?
            .application_name("portcullis")
            .statement_cache_capacity(256);
        let pool = PgPoolOptions::new()
            .acquire_timeout(limits.pool_wait)
            .max_connections(limits.pool_size)
            .connect_lazy_with(options.clone());
        let timeout_ms = limits.query_timeout.as_millis().to_string();
        let resource_pool = PgPoolOptions::new()
            .acquire_timeout(limits.pool_wait)
            .max_connections(limits.pool_size)
            .connect_lazy_with(options.options([("statement_timeout", timeout_ms.as_str())]));
        Ok(PgStore {
            pool,
            resource_pool,
        })
    }
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
}
