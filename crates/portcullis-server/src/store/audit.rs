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

    /// The user's DRF token, its refresh tokens neither blacklisted nor expired at `now`
    /// (unix seconds) and its knox tokens not expired then, each with its client.
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

/// Where a user's live sessions are read: the placeholders of the user id (`user`, bound once
/// per occurrence by databases with positional `?`), of now in unix seconds (`now`) and as a
/// stored timestamp (`now_text`), and the database's expression of a knox expiry in unix
/// seconds (`knox_expires`, over the column `k.expiry`).
pub(crate) struct SessionsQuery<'a> {
    pub(crate) user: [&'a str; 3],
    pub(crate) now: &'a str,
    pub(crate) now_text: &'a str,
    pub(crate) knox_expires: &'a str,
}

/// A user's live sessions with their clients: its DRF token, its refresh tokens and its knox
/// tokens (not expired: knox deletes an expired token when it is next presented).
pub(crate) fn sessions_sql(q: &SessionsQuery<'_>) -> String {
    let [user, user_again, user_knox] = q.user;
    let (now, now_text, knox_expires) = (q.now, q.now_text, q.knox_expires);
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
         UNION ALL \
         SELECT 'knox', k.digest, k.created, c.client_addr, c.user_agent, c.last_used_at, \
         {knox_expires} FROM knox_authtoken k LEFT JOIN portcullis_session_client c \
         ON c.kind = 'knox' AND c.reference = k.digest \
         WHERE k.user_id = {user_knox} AND (k.expiry IS NULL OR k.expiry > {now_text}) \
         ORDER BY created_at"
    )
}

/// The clients of sessions that are gone (a token deleted, a refresh token purged).
pub(crate) const PURGE_CLIENTS: &str = "DELETE FROM portcullis_session_client WHERE \
     (kind = 'token' AND reference NOT IN (SELECT key_digest FROM authtoken_token)) \
     OR (kind = 'jwt' AND reference NOT IN (SELECT jti FROM jwt_refresh_token)) \
     OR (kind = 'knox' AND reference NOT IN (SELECT digest FROM knox_authtoken))";

/// Unix seconds as a stored timestamp, to compare with the knox expiries (stored as text).
pub(crate) fn stored_time(unix: i64) -> String {
    let at =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    super::timestamp::to_db(at)
}
