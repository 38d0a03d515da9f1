//! DRF tokens and simplejwt's state: a user's token, the recorded refresh tokens (outstanding,
//! blacklisted) and the per-user revocation epoch. Each database implements [`TokenStore`].

use super::admin::RefreshTokenRecord;
use super::{StoreFuture, StoredToken, User};

/// DRF tokens and JWT revocation state.
pub trait TokenStore: Send + Sync {
    /// The user's token, or `candidate` stored as the user's token if it had none
    /// (Django's `Token.objects.get_or_create(user=user)`).
    fn token_get_or_create<'a>(
        &'a self,
        user_id: i64,
        candidate: &'a StoredToken,
    ) -> StoreFuture<'a, StoredToken>;

    /// Replace the user's token (drf_create_token --reset).
    fn token_replace<'a>(&'a self, user_id: i64, token: &'a StoredToken) -> StoreFuture<'a, ()>;

    /// Delete the user's token (logout); true if there was one.
    fn token_delete(&self, user_id: i64) -> StoreFuture<'_, bool>;

    /// The user with its JWT revocation epoch (0 until the first revocation), in one read.
    fn jwt_user(&self, id: i64) -> StoreFuture<'_, Option<(User, i64)>>;

    /// The user's JWT revocation epoch (0 until the first revocation).
    fn jwt_epoch(&self, user_id: i64) -> StoreFuture<'_, i64>;

    /// Sign the user out everywhere, in one transaction: a new epoch, its DRF token deleted
    /// and, with `blacklist_refresh`, its recorded refresh tokens blacklisted. The new epoch.
    fn revoke_sessions(&self, user_id: i64, blacklist_refresh: bool) -> StoreFuture<'_, i64>;

    /// The user's recorded refresh tokens that have not expired at `now` (unix seconds).
    fn jwt_live_refresh_tokens(
        &self,
        user_id: i64,
        now: i64,
    ) -> StoreFuture<'_, Vec<RefreshTokenRecord>>;

    /// Record an issued refresh token by `jti` and `exp` (unix seconds), if not recorded yet.
    fn jwt_outstand<'a>(
        &'a self,
        jti: &'a str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> StoreFuture<'a, ()>;

    fn jwt_is_blacklisted<'a>(&'a self, jti: &'a str) -> StoreFuture<'a, bool>;

    /// Blacklist a refresh token by `jti`; false if it was already.
    fn jwt_blacklist<'a>(
        &'a self,
        jti: &'a str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> StoreFuture<'a, bool>;

    /// Atomically blacklist the old refresh token `(jti, exp)` (when `blacklist_old`) and record
    /// the new one; false, writing nothing, if the old one was blacklisted already.
    fn jwt_rotate<'a>(
        &'a self,
        old: (&'a str, i64),
        new: (&'a str, i64),
        user_id: i64,
        blacklist_old: bool,
    ) -> StoreFuture<'a, bool>;

    /// Delete at most `limit` refresh token records that expired before `before`.
    fn jwt_purge_expired(&self, before: i64, limit: i64) -> StoreFuture<'_, u64>;
}
