//! django-rest-knox's tokens (migration 0008): several per user, each stored as its SHA-512
//! digest with its first 15 characters as the lookup key, an optional expiry. Each database
//! implements [`KnoxStore`]; the statements that differ only in their placeholders are built
//! here once.

use super::{StoreFuture, User};

/// A token to store: never the token itself.
#[derive(Debug, Clone)]
pub struct NewKnoxToken {
    pub(crate) digest: String,
    pub(crate) token_key: String,
    pub(crate) user_id: i64,
    /// Stored timestamps (`store::timestamp`).
    pub(crate) created: String,
    pub(crate) expiry: Option<String>,
}

/// A stored token whose `token_key` matched, with its user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KnoxCandidate {
    #[sqlx(flatten)]
    pub(crate) user: User,
    pub(crate) knox_digest: String,
    pub(crate) knox_created: String,
    pub(crate) knox_expiry: Option<String>,
}

/// django-rest-knox's `AuthToken` table.
pub trait KnoxStore: Send + Sync {
    /// Store `token` unless the user already has `limit` tokens that expire after `now` (knox's
    /// `TOKEN_LIMIT_PER_USER` counts only those: tokens without expiry never count); false,
    /// storing nothing, when the limit is reached. One statement, so two logins racing cannot
    /// both pass the count.
    fn knox_create<'a>(
        &'a self,
        token: &'a NewKnoxToken,
        limit: Option<u32>,
        now: &'a str,
    ) -> StoreFuture<'a, bool>;

    /// The tokens whose first characters are `token_key`, each with its user.
    fn knox_candidates<'a>(&'a self, token_key: &'a str) -> StoreFuture<'a, Vec<KnoxCandidate>>;

    /// Delete the user's tokens that expired before `now`; how many.
    fn knox_delete_expired<'a>(&'a self, user_id: i64, now: &'a str) -> StoreFuture<'a, u64>;

    /// Move a token's expiry (knox's `AUTO_REFRESH`).
    fn knox_renew<'a>(
        &'a self,
        user_id: i64,
        digest: &'a str,
        expiry: &'a str,
    ) -> StoreFuture<'a, ()>;

    /// Delete one of the user's tokens (logout); true if it existed.
    fn knox_delete<'a>(&'a self, user_id: i64, digest: &'a str) -> StoreFuture<'a, bool>;

    /// Delete every token of the user (logoutall); how many.
    fn knox_delete_all(&self, user_id: i64) -> StoreFuture<'_, u64>;
}

/// [`KnoxStore::knox_create`]'s statement; `ph(n)` writes the n-th placeholder: the five
/// columns, then the user again, now and the limit.
pub(crate) fn create_sql(ph: impl Fn(usize) -> String) -> String {
    format!(
        "INSERT INTO knox_authtoken (digest, token_key, user_id, created, expiry) \
         SELECT {}, {}, {}, {}, {} WHERE (SELECT COUNT(*) FROM knox_authtoken \
         WHERE user_id = {} AND expiry > {}) < {}",
        ph(1),
        ph(2),
        ph(3),
        ph(4),
        ph(5),
        ph(6),
        ph(7),
        ph(8)
    )
}

/// [`KnoxStore::knox_candidates`]'s statement, the token key as `key`.
pub(crate) fn candidates_sql(user_columns: &str, key: &str) -> String {
    format!(
        "SELECT {user_columns}, k.digest AS knox_digest, k.created AS knox_created, \
         k.expiry AS knox_expiry FROM knox_authtoken k JOIN auth_user u ON u.id = k.user_id \
         WHERE k.token_key = {key}"
    )
}

/// The limit bound into [`create_sql`]: none is more than any count.
pub(crate) fn limit_value(limit: Option<u32>) -> i64 {
    limit.map_or(i64::MAX, i64::from)
}
