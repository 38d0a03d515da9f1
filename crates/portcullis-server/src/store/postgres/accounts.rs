//! accounts on PostgreSQL (SKELETON: to be ported from sqlite/accounts.rs).

#![allow(unused)]

use crate::store::timestamp::now_db;
use crate::store::{AccountStore, StoreFuture};
use crate::store::{NewUser, StoreError, StoredToken, User, UserUpdate};

use super::PgStore;
use crate::store::*;
use crate::store::admin::*;

impl AccountStore for PgStore {
    fn create_user<'a>(
        &'a self,
        user: &'a NewUser,
        token: &'a StoredToken,
    ) -> StoreFuture<'a, User> {
        Box::pin(async move { todo!("postgres") })
    }

    fn user_by_id(&self, id: i64) -> StoreFuture<'_, Option<User>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn user_by_username<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<User>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn users_by_email<'a>(&'a self, email: &'a str, limit: u32) -> StoreFuture<'a, Vec<User>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn user_by_token_digest<'a>(&'a self, digest: &'a str) -> StoreFuture<'a, Option<User>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn count_users(&self, only: Option<i64>) -> StoreFuture<'_, u64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn list_users(&self, only: Option<i64>, limit: u64, offset: u64) -> StoreFuture<'_, Vec<User>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn update_user<'a>(&'a self, id: i64, update: &'a UserUpdate) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn set_username<'a>(&'a self, id: i64, username: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn set_login_email<'a>(&'a self, id: i64, email: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn set_password<'a>(&'a self, id: i64, encoded: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn upgrade_password<'a>(
        &'a self,
        id: i64,
        expected: &'a str,
        encoded: &'a str,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move { todo!("postgres") })
    }

    fn change_password<'a>(
        &'a self,
        id: i64,
        encoded: &'a str,
        revoke_sessions: bool,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn touch_last_login(&self, id: i64) -> StoreFuture<'_, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn delete_user(&self, id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move { todo!("postgres") })
    }

    fn user_has_perm<'a>(
        &'a self,
        user_id: i64,
        resource: &'a str,
        codename: &'a str,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move { todo!("postgres") })
    }

}
