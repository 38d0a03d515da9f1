//! [`KnoxStore`] through the authentication layer: a token's lookup served from the cache (the
//! expiry kept with it is checked against the clock on every use), and every write to a user's
//! knox tokens (a login, a renewal, a logout, an expired token deleted) forgetting the user, as
//! a write to its DRF token does.

use super::layer::AuthLayer;
use crate::store::knox::{KnoxCandidate, NewKnoxToken};
use crate::store::{KnoxStore, StoreFuture};

impl KnoxStore for AuthLayer {
    fn knox_create<'a>(
        &'a self,
        token: &'a NewKnoxToken,
        limit: Option<u32>,
        now: &'a str,
    ) -> StoreFuture<'a, bool> {
        let write = self.knox().knox_create(token, limit, now);
        self.changing(token.user_id, write)
    }

    fn knox_candidates<'a>(&'a self, token_key: &'a str) -> StoreFuture<'a, Vec<KnoxCandidate>> {
        Box::pin(AuthLayer::knox_candidates(self, token_key))
    }

    fn knox_delete_expired<'a>(&'a self, user_id: i64, now: &'a str) -> StoreFuture<'a, u64> {
        self.changing(user_id, self.knox().knox_delete_expired(user_id, now))
    }

    fn knox_renew<'a>(
        &'a self,
        user_id: i64,
        digest: &'a str,
        expiry: &'a str,
    ) -> StoreFuture<'a, ()> {
        self.changing(user_id, self.knox().knox_renew(user_id, digest, expiry))
    }

    fn knox_delete<'a>(&'a self, user_id: i64, digest: &'a str) -> StoreFuture<'a, bool> {
        self.changing(user_id, self.knox().knox_delete(user_id, digest))
    }

    fn knox_delete_all(&self, user_id: i64) -> StoreFuture<'_, u64> {
        self.changing(user_id, self.knox().knox_delete_all(user_id))
    }
}
