//! [`AccountStore`] through the authentication layer: the token lookup from the cache, and
//! every write to a user forgetting it.

use super::layer::AuthLayer;
use crate::store::{AccountStore, NewUser, StoreFuture, StoredToken, User, UserUpdate};

impl AccountStore for AuthLayer {
    fn create_user<'a>(
        &'a self,
        user: &'a NewUser,
        token: &'a StoredToken,
    ) -> StoreFuture<'a, User> {
        // A new user and a new token are in no entry: only hits are kept.
        self.accounts().create_user(user, token)
    }

    fn user_by_id(&self, id: i64) -> StoreFuture<'_, Option<User>> {
        self.accounts().user_by_id(id)
    }

    fn user_by_username<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<User>> {
        self.accounts().user_by_username(username)
    }

    fn users_by_email<'a>(&'a self, email: &'a str, limit: u32) -> StoreFuture<'a, Vec<User>> {
        self.accounts().users_by_email(email, limit)
    }

    fn user_by_token_digest<'a>(&'a self, digest: &'a str) -> StoreFuture<'a, Option<User>> {
        Box::pin(AuthLayer::user_by_token_digest(self, digest))
    }

    fn count_users(&self, only: Option<i64>) -> StoreFuture<'_, u64> {
        self.accounts().count_users(only)
    }

    fn list_users(&self, only: Option<i64>, limit: u64, offset: u64) -> StoreFuture<'_, Vec<User>> {
        self.accounts().list_users(only, limit, offset)
    }

    fn update_user<'a>(&'a self, id: i64, update: &'a UserUpdate) -> StoreFuture<'a, ()> {
        self.changing(id, self.accounts().update_user(id, update))
    }

    fn set_username<'a>(&'a self, id: i64, username: &'a str) -> StoreFuture<'a, ()> {
        self.changing(id, self.accounts().set_username(id, username))
    }

    fn set_login_email<'a>(&'a self, id: i64, email: &'a str) -> StoreFuture<'a, ()> {
        self.changing(id, self.accounts().set_login_email(id, email))
    }

    fn set_password<'a>(&'a self, id: i64, encoded: &'a str) -> StoreFuture<'a, ()> {
        self.changing(id, self.accounts().set_password(id, encoded))
    }

    fn upgrade_password<'a>(
        &'a self,
        id: i64,
        expected: &'a str,
        encoded: &'a str,
    ) -> StoreFuture<'a, bool> {
        self.changing(id, self.accounts().upgrade_password(id, expected, encoded))
    }

    fn change_password<'a>(
        &'a self,
        id: i64,
        encoded: &'a str,
        revoke_sessions: bool,
    ) -> StoreFuture<'a, ()> {
        let write = self
            .accounts()
            .change_password(id, encoded, revoke_sessions);
        self.changing(id, write)
    }

    fn touch_last_login(&self, id: i64) -> StoreFuture<'_, ()> {
        // `last_login` is a field of the kept row too.
        self.changing(id, self.accounts().touch_last_login(id))
    }

    fn delete_user(&self, id: i64) -> StoreFuture<'_, bool> {
        self.changing(id, self.accounts().delete_user(id))
    }

    fn user_has_perm<'a>(
        &'a self,
        user_id: i64,
        resource: &'a str,
        codename: &'a str,
    ) -> StoreFuture<'a, bool> {
        self.accounts().user_has_perm(user_id, resource, codename)
    }
}
