//! The audit log and the sessions' clients (migration 0007): what the audit writer records in
//! batches, what the staff list reads, and what a user's session listing joins to its tokens.
//! Each database implements [`AuditStore`]; the SQL that differs only in its placeholders is
//! built here once.

use super::StoreFuture;

/// One authentication event, as written. Never holds a secret.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub(crate) at: String,
    pub(crate) event: &'static str,
    pub(crate) user_id: Option<i64>,
    pub(crate) username: String,
    pub(crate) client_addr: String,
    pub(crate) user_agent: String,
    /// A JSON object: what changed, or by which view a login came.
    pub(crate) detail: String,
}

/// The client a DRF token (`kind` "token", by its keyed digest) or a refresh token (`kind`
/// "jwt", by its `jti`) was issued to.
#[derive(Debug, Clone)]
pub struct SessionClient {
    pub(crate) kind: &'static str,
    pub(crate) reference: String,
    pub(crate) user_id: i64,
    pub(crate) at: String,
    pub(crate) client_addr: String,
    pub(crate) user_agent: String,
    /// The user's JWT revocation epoch the refresh token carries (0 for a DRF token).
    pub(crate) epoch: i64,
}

/// One write the audit writer batches into a transaction.
#[derive(Debug, Clone)]
pub enum AuditWrite {
    Event(AuditRecord),
    Session(SessionClient),
    /// A session was used at `at` (written at most once a minute per session).
    Touch {
        kind: &'static str,
        reference: String,
        at: String,
    },
}

/// An audit row as read.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub(crate) id: i64,
    pub(crate) at: String,
    pub(crate) event: String,
    pub(crate) user_id: Option<i64>,
    pub(crate) username: String,
    pub(crate) client_addr: String,
    pub(crate) user_agent: String,
    pub(crate) detail: String,
}

/// The staff list's filters; each `None` filters nothing.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub(crate) user: Option<i64>,
    pub(crate) event: Option<String>,
    /// Stored timestamps (`store::timestamp`), which order as text.
    pub(crate) since: Option<String>,
    pub(crate) until: Option<String>,
}

/// One live session of a user with the client it was issued to (empty when it was issued
/// before the audit migration, or by the command line).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub(crate) kind: String,
    pub(crate) reference: String,
    pub(crate) created_at: String,
    pub(crate) client_addr: Option<String>,
    pub(crate) user_agent: Option<String>,
    pub(crate) last_used_at: Option<String>,
    pub(crate) expires_at: Option<i64>,
}

/// The audit log and the sessions' clients.
pub trait AuditStore: Send + Sync {
    /// Write a batch in one transaction.
    fn audit_write<'a>(&'a self, batch: &'a [AuditWrite]) -> StoreFuture<'a, ()>;

    fn audit_count<'a>(&'a self, filter: &'a AuditFilter) -> StoreFuture<'a, u64>;

    /// A page of the log, newest first.
    fn audit_list<'a>(
        &'a self,
        filter: &'a AuditFilter,
        limit: u64,
        offset: u64,
    ) -> StoreFuture<'a, Vec<AuditEntry>>;

    /// Delete the events older than `before` (a stored timestamp) and the clients of sessions
    /// that no longer exist; how many audit rows went.
    fn audit_purge<'a>(&'a self, before: &'a str) -> StoreFuture<'a, u64>;

    /// The user's DRF token and its refresh tokens neither blacklisted nor expired at `now`
    /// (unix seconds), each with its client.
    fn user_sessions(&self, user_id: i64, now: i64) -> StoreFuture<'_, Vec<SessionRow>>;
}

/// The filters as a `WHERE` clause, `ph(n)` writing the n-th placeholder (from 1); the values to
/// bind in order are the filter's present fields in the order user, event, since, until.
pub(crate) fn where_clause(filter: &AuditFilter, ph: impl Fn(usize) -> String) -> (String, usize) {
    let mut parts = Vec::new();
    let mut n = 0;
    let mut add = |column: &str, op: &str| {
        n += 1;
        parts.push(format!("{column} {op} {}", ph(n)));
    };
    if filter.user.is_some() {
        add("user_id", "=");
    }
    if filter.event.is_some() {
        add("event", "=");
    }
    if filter.since.is_some() {
        add("at", ">=");
    }
    if filter.until.is_some() {
        add("at", "<=");
    }
    let clause = if parts.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", parts.join(" AND "))
    };
    (clause, n)
}

/// Bind the filter's present values in [`where_clause`]'s order.
macro_rules! bind_filter {
    ($query:expr, $filter:expr) => {{
        let mut query = $query;
        if let Some(user) = $filter.user {
            query = query.bind(user);
        }
        if let Some(event) = &$filter.event {
            query = query.bind(event.clone());
        }
        if let Some(since) = &$filter.since {
            query = query.bind(since.clone());
        }
        if let Some(until) = &$filter.until {
            query = query.bind(until.clone());
        }
        query
    }};
}
pub(crate) use bind_filter;

/// The columns of an audit row, in [`AuditEntry`]'s order.
pub(crate) const AUDIT_COLUMNS: &str =
    "id, at, event, user_id, username, client_addr, user_agent, detail";

/// A user's live sessions with their clients; `ph(1)` is the user id (bound twice by
/// databases with positional `?`), `ph(2)` now.
pub(crate) fn sessions_sql(user: &str, user_again: &str, now: &str) -> String {
    format!(
        "SELECT 'token' AS kind, t.key_digest AS reference, t.created AS created_at, \
         c.client_addr, c.user_agent, c.last_used_at, NULL AS expires_at \
         FROM authtoken_token t LEFT JOIN portcullis_session_client c \
         ON c.kind = 'token' AND c.reference = t.key_digest WHERE t.user_id = {user} \
         UNION ALL \
         SELECT 'jwt', r.jti, r.created_at, c.client_addr, c.user_agent, c.last_used_at, \
         r.expires_at FROM jwt_refresh_token r LEFT JOIN portcullis_session_client c \
         ON c.kind = 'jwt' AND c.reference = r.jti \
         WHERE r.user_id = {user_again} AND r.blacklisted_at IS NULL AND r.expires_at > {now} \
         AND COALESCE(c.epoch, 0) = COALESCE((SELECT e.epoch FROM jwt_user_epoch e \
         WHERE e.user_id = r.user_id), 0) \
         ORDER BY created_at"
    )
}

/// The clients of sessions that are gone (a token deleted, a refresh token purged).
pub(crate) const PURGE_CLIENTS: &str = "DELETE FROM portcullis_session_client WHERE \
     (kind = 'token' AND reference NOT IN (SELECT key_digest FROM authtoken_token)) \
     OR (kind = 'jwt' AND reference NOT IN (SELECT jti FROM jwt_refresh_token))";
