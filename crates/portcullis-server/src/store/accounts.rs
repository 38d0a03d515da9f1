//! Users, their passwords and permissions: what the accounts feature (djoser's and DRF's user
//! endpoints, logins) asks of the database. Each database implements [`AccountStore`].

use super::{NewUser, StoreFuture, StoredToken, User, UserUpdate};

/// Users, passwords and permissions.
pub trait AccountStore: Send + Sync {
    /// Create a user and its DRF token in one transaction (the tutorial's post_save signal).
    fn create_user<'a>(
        &'a self,
        user: &'a NewUser,
        token: &'a StoredToken,
    ) -> StoreFuture<'a, User>;

    fn user_by_id(&self, id: i64) -> StoreFuture<'_, Option<User>>;

    /// Exact, case-sensitive match, as Django's `get_by_natural_key` on SQLite.
    fn user_by_username<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<User>>;

    /// The users whose email is exactly `email` (djoser's `LoginFieldBackend` lookup), at most
    /// `limit` of them, by id: the caller tells one from several.
    fn users_by_email<'a>(&'a self, email: &'a str, limit: u32) -> StoreFuture<'a, Vec<User>>;

    /// The user owning the token with this digest.
    fn user_by_token_digest<'a>(&'a self, digest: &'a str) -> StoreFuture<'a, Option<User>>;

    /// How many users [`AccountStore::list_users`] would list in all.
    fn count_users(&self, only: Option<i64>) -> StoreFuture<'_, u64>;

    /// Users ordered by id; `only` limits the list to one user (djoser's HIDE_USERS).
    fn list_users(&self, only: Option<i64>, limit: u64, offset: u64) -> StoreFuture<'_, Vec<User>>;

    /// The fields and the groups, in one transaction. A deactivation revokes the user's JWTs
    /// (a trigger) and keeps its DRF token, as Django's admin does.
    fn update_user<'a>(&'a self, id: i64, update: &'a UserUpdate) -> StoreFuture<'a, ()>;

    /// Rename a user; `UsernameTaken` if another user has the name.
    fn set_username<'a>(&'a self, id: i64, username: &'a str) -> StoreFuture<'a, ()>;

    /// Change the email of a user whose model logs in with it: the email and the `username`
    /// column that holds it, together; `UsernameTaken` if another user has it.
    fn set_login_email<'a>(&'a self, id: i64, email: &'a str) -> StoreFuture<'a, ()>;

    /// Store a hash as is, revoking nothing (tests and imports; a password change is
    /// [`AccountStore::change_password`]).
    fn set_password<'a>(&'a self, id: i64, encoded: &'a str) -> StoreFuture<'a, ()>;

    /// Replace the hash only if it is still `expected` (a login's hash upgrade); false if the
    /// password changed in the meantime.
    fn upgrade_password<'a>(
        &'a self,
        id: i64,
        expected: &'a str,
        encoded: &'a str,
    ) -> StoreFuture<'a, bool>;

    /// A password change and, with `revoke_sessions`, the revocation it triggers (new JWT
    /// epoch, DRF token deleted), in one transaction.
    fn change_password<'a>(
        &'a self,
        id: i64,
        encoded: &'a str,
        revoke_sessions: bool,
    ) -> StoreFuture<'a, ()>;

    fn touch_last_login(&self, id: i64) -> StoreFuture<'_, ()>;

    fn delete_user(&self, id: i64) -> StoreFuture<'_, bool>;

    /// Django's `user.has_perm("resource.codename")` through the user's own permissions or its
    /// groups' (superusers are decided by the caller).
    fn user_has_perm<'a>(
        &'a self,
        user_id: i64,
        resource: &'a str,
        codename: &'a str,
    ) -> StoreFuture<'a, bool>;
}
