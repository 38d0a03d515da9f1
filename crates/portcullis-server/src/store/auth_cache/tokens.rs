//! [`TokenStore`] through the authentication layer: the JWT user lookup from the cache, and
//! the writes to a user's token or epoch forgetting the user.

use super::layer::AuthLayer;
use crate::store::admin::RefreshTokenRecord;
use crate::store::{StoreFuture, StoredToken, TokenStore, User};

impl TokenStore for AuthLayer {
    fn token_get_or_create<'a>(
        &'a self,
        user_id: i64,
        candidate: &'a StoredToken,
    ) -> StoreFuture<'a, StoredToken> {
        // A token it creates was in no entry; one it returns is unchanged.
        self.tokens().token_get_or_create(user_id, candidate)
    }

    fn token_replace<'a>(&'a self, user_id: i64, token: &'a StoredToken) -> StoreFuture<'a, ()> {
        self.changing(user_id, self.tokens().token_replace(user_id, token))
    }

    fn token_delete(&self, user_id: i64) -> StoreFuture<'_, bool> {
        self.changing(user_id, self.tokens().token_delete(user_id))
    }

    fn jwt_user(&self, id: i64) -> StoreFuture<'_, Option<(User, i64)>> {
        Box::pin(AuthLayer::jwt_user(self, id))
    }

    fn jwt_epoch(&self, user_id: i64) -> StoreFuture<'_, i64> {
        self.tokens().jwt_epoch(user_id)
    }

    fn revoke_sessions(&self, user_id: i64, blacklist_refresh: bool) -> StoreFuture<'_, i64> {
        let write = self.tokens().revoke_sessions(user_id, blacklist_refresh);
        self.changing(user_id, write)
    }

    fn jwt_live_refresh_tokens(
        &self,
        user_id: i64,
        now: i64,
    ) -> StoreFuture<'_, Vec<RefreshTokenRecord>> {
        self.tokens().jwt_live_refresh_tokens(user_id, now)
    }

    fn jwt_outstand<'a>(
        &'a self,
        jti: &'a str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> StoreFuture<'a, ()> {
        self.tokens().jwt_outstand(jti, user_id, expires_at)
    }

    fn jwt_is_blacklisted<'a>(&'a self, jti: &'a str) -> StoreFuture<'a, bool> {
        self.tokens().jwt_is_blacklisted(jti)
    }

    fn jwt_blacklist<'a>(
        &'a self,
        jti: &'a str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> StoreFuture<'a, bool> {
        // Refresh tokens are checked against the database on each use, never kept.
        self.tokens().jwt_blacklist(jti, user_id, expires_at)
    }

    fn jwt_rotate<'a>(
        &'a self,
        old: (&'a str, i64),
        new: (&'a str, i64),
        user_id: i64,
        blacklist_old: bool,
    ) -> StoreFuture<'a, bool> {
        self.tokens().jwt_rotate(old, new, user_id, blacklist_old)
    }

    fn jwt_purge_expired(&self, before: i64, limit: i64) -> StoreFuture<'_, u64> {
        self.tokens().jwt_purge_expired(before, limit)
    }
}
