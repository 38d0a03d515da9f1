//! `[limits]`: the timeouts, caps and query limits of the HTTP edge and the store.

use serde::{Deserialize, Serialize};

/// Most milliseconds `auth_cache_ms` may be.
const MAX_AUTH_CACHE_MS: u64 = 3_600_000;
/// Most kibibytes `read_cache_kb` may be (a gibibyte).
const MAX_READ_CACHE_KB: u64 = 1_048_576;

/// The limits and timeouts of the HTTP edge and the store (README "Limits and timeouts"). DRF
/// and Django have none of these: they leave them to the web server in front of them.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Seconds a client has to send a request's headers, counted from when the connection is
    /// ready for a request (so it is also how long an idle keep-alive connection stays open);
    /// then the connection is closed: nothing can be answered before the headers are complete.
    pub header_read_timeout_secs: u64,
    /// Seconds a write of an answer may wait for the client to read; then the connection is
    /// closed (a client that stops reading would otherwise hold it and the answer forever).
    pub write_timeout_secs: u64,
    /// Seconds a client has to send a request's whole body; then 408.
    pub body_read_timeout_secs: u64,
    /// Seconds a request may take from its headers to its answer; then 503 with `Retry-After`.
    pub request_timeout_secs: u64,
    /// Connections served at once; a connection over the cap gets 503 with `Retry-After` and is
    /// closed.
    pub max_connections: usize,
    /// Milliseconds one database query over a resource may run before it is interrupted (503).
    pub query_timeout_ms: u64,
    /// Milliseconds a request waits for a free database connection before 503 with
    /// `Retry-After`.
    pub pool_wait_ms: u64,
    /// Connections the PostgreSQL pool opens at most, per instance (SQLite keeps its own fixed
    /// pools: one writer and a few readers).
    pub pool_size: u32,
    /// Seconds a migration (`portcullis migrate`, `serve`'s startup migration) waits for
    /// another one holding the database's migration lock before it refuses (PostgreSQL).
    pub migration_lock_wait_secs: u64,
    /// Milliseconds an instance keeps what it read to authenticate a request (a DRF token's
    /// user, a JWT's user and revocation epoch) before reading it again; 0 reads it on every
    /// request. Changes made through this instance, and on PostgreSQL those announced by any
    /// process, are seen at once: the lifetime bounds only what no one announced.
    pub auth_cache_ms: u64,
    /// Kibibytes of resource reads' answers (a detail's row, a page, a count) an instance on
    /// SQLite keeps while the database is unchanged; 0 keeps none. This instance's writes
    /// are seen at once, another process's within 100 ms.
    pub read_cache_kb: u64,
    /// Django's `DATA_UPLOAD_MAX_NUMBER_FIELDS`: most fields in a query string or a form body
    /// (400 beyond).
    pub max_fields: usize,
    /// Longest `?search=` term, in characters (400 beyond).
    pub search_term_max_chars: usize,
    /// Most terms in one `?search=` (400 beyond).
    pub search_terms_max: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            header_read_timeout_secs: 20,
            write_timeout_secs: 30,
            body_read_timeout_secs: 30,
            request_timeout_secs: 60,
            max_connections: 10_000,
            query_timeout_ms: 5_000,
            pool_wait_ms: 5_000,
            pool_size: 16,
            migration_lock_wait_secs: 120,
            auth_cache_ms: 1_000,
            read_cache_kb: 4_096,
            max_fields: 1000,
            search_term_max_chars: 200,
            search_terms_max: 10,
        }
    }
}

impl LimitsConfig {
    pub(super) fn check(&self, bad: &mut impl FnMut(&str, String)) {
        let at_least_one = [
            (
                "limits.header_read_timeout_secs",
                self.header_read_timeout_secs,
            ),
            ("limits.write_timeout_secs", self.write_timeout_secs),
            ("limits.body_read_timeout_secs", self.body_read_timeout_secs),
            ("limits.request_timeout_secs", self.request_timeout_secs),
            ("limits.max_connections", self.max_connections as u64),
            ("limits.query_timeout_ms", self.query_timeout_ms),
            ("limits.pool_wait_ms", self.pool_wait_ms),
            ("limits.pool_size", u64::from(self.pool_size)),
            (
                "limits.migration_lock_wait_secs",
                self.migration_lock_wait_secs,
            ),
            (
                "limits.search_term_max_chars",
                self.search_term_max_chars as u64,
            ),
            ("limits.search_terms_max", self.search_terms_max as u64),
            ("limits.max_fields", self.max_fields as u64),
        ];
        for (key, value) in at_least_one {
            if value == 0 {
                bad(key, "must be at least 1".into());
            }
        }
        // The lifetime bounds how long a change nobody announced goes unseen (a write by a
        // process that bypassed the triggers, another process on SQLite): an hour at most.
        if self.auth_cache_ms > MAX_AUTH_CACHE_MS {
            bad(
                "limits.auth_cache_ms",
                format!("must be at most {MAX_AUTH_CACHE_MS} (an hour)"),
            );
        }
        if self.read_cache_kb > MAX_READ_CACHE_KB {
            bad(
                "limits.read_cache_kb",
                format!("must be at most {MAX_READ_CACHE_KB} (a gibibyte)"),
            );
        }
    }
}
