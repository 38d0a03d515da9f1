//! tokens on PostgreSQL (SKELETON: to be ported from sqlite/tokens.rs).

#![allow(unused)]

use crate::store::admin::RefreshTokenRecord;
use crate::store::timestamp::now_db;
use crate::store::{StoreFuture, TokenStore};
use crate::store::{StoredToken, User};

use super::PgStore;
use crate::store::*;
use crate::store::admin::*;

impl TokenStore for PgStore {
    fn jwt_user(&self, id: i64) -> StoreFuture<'_, Option<(User, i64)>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn jwt_epoch(&self, user_id: i64) -> StoreFuture<'_, i64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn revoke_sessions(&self, user_id: i64, blacklist_refresh: bool) -> StoreFuture<'_, i64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn jwt_outstand<'a>(
        &'a self,
        jti: &'a str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn jwt_is_blacklisted<'a>(&'a self, jti: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move { todo!("postgres") })
    }

    fn jwt_blacklist<'a>(
        &'a self,
        jti: &'a str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move { todo!("postgres") })
    }

    fn jwt_rotate<'a>(
        &'a self,
        old: (&'a str, i64),
        new: (&'a str, i64),
        user_id: i64,
        blacklist_old: bool,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move { todo!("postgres") })
    }

    fn jwt_purge_expired(&self, before: i64, limit: i64) -> StoreFuture<'_, u64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn jwt_live_refresh_tokens(
        &self,
        user_id: i64,
        now: i64,
    ) -> StoreFuture<'_, Vec<RefreshTokenRecord>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn token_get_or_create<'a>(
        &'a self,
        user_id: i64,
        candidate: &'a StoredToken,
    ) -> StoreFuture<'a, StoredToken> {
        Box::pin(async move { todo!("postgres") })
    }

    fn token_replace<'a>(&'a self, user_id: i64, token: &'a StoredToken) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn token_delete(&self, user_id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move { todo!("postgres") })
    }

}
