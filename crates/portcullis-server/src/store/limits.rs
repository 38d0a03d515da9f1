//! The time limits of the store, from the configuration's `[limits]`: how long one
//! client-shaped query may run and how long a request waits for a free connection. Each
//! database enforces them its own way (SQLite: `sqlite/limited.rs`).

use std::time::Duration;

/// The limits of the client-shaped queries.
#[derive(Clone, Copy, Debug)]
pub struct QueryLimits {
    /// How long one query may run.
    pub(crate) query_timeout: Duration,
    /// How long a request waits for a free connection.
    pub(crate) pool_wait: Duration,
    /// Most connections of a PostgreSQL pool.
    pub(crate) pool_size: u32,
    /// How long an authentication lookup is kept (zero: not at all; see `store::auth_cache`).
    pub(crate) auth_cache: Duration,
    /// Most bytes of resource reads' answers kept while nothing changes (zero: none; see
    /// `store::sqlite::result_cache`).
    pub(crate) read_cache_bytes: usize,
}

impl QueryLimits {
    /// The limits a configuration sets.
    pub fn from_config(limits: &crate::config::LimitsConfig) -> QueryLimits {
        QueryLimits {
            query_timeout: Duration::from_millis(limits.query_timeout_ms),
            pool_wait: Duration::from_millis(limits.pool_wait_ms),
            pool_size: limits.pool_size,
            auth_cache: Duration::from_millis(limits.auth_cache_ms),
            read_cache_bytes: usize::try_from(limits.read_cache_kb.saturating_mul(1024))
                .unwrap_or(usize::MAX),
        }
    }
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits::from_config(&crate::config::LimitsConfig::default())
    }
}
