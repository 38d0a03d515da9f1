//! What the staff console reads and writes beyond the accounts feature's own queries: user
//! search, group memberships, groups and their permissions, and a user's sessions (the DRF
//! token's creation time, the recorded JWT refresh tokens). The rows are plain structs; each
//! database implements [`AdminStore`] (SQLite in `sqlite/admin.rs`).

use super::{StoreFuture, User, UserUpdate};

/// A row of `auth_group`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Group {
    pub(crate) id: i64,
    pub(crate) name: String,
}

/// A row of `auth_permission`: `resource.codename`, e.g. `notes.add`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Permission {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) resource: String,
    pub(crate) codename: String,
}

impl Permission {
    /// The permission as Django's `user.has_perm` names it: `notes.add`.
    pub(crate) fn key(&self) -> String {
        format!("{}.{}", self.resource, self.codename)
    }
}

/// A recorded JWT refresh token: its `jti` and dates, never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RefreshTokenRecord {
    pub(crate) jti: String,
    /// Stored timestamp (see `store::timestamp`).
    pub(crate) created_at: String,
    /// `exp`, seconds since the Unix epoch.
    pub(crate) expires_at: i64,
    pub(crate) blacklisted_at: Option<String>,
}

/// The staff console's queries.
pub trait AdminStore: Send + Sync {
    /// How many users match every search term (each in the username or the email).
    fn count_users<'a>(&'a self, terms: &'a [String]) -> StoreFuture<'a, u64>;

    /// One page of the users matching every search term, by id.
    fn list_users<'a>(
        &'a self,
        terms: &'a [String],
        limit: u64,
        offset: u64,
    ) -> StoreFuture<'a, Vec<User>>;

    /// `(user_id, group_id)` for the given users, ordered by user then group.
    fn user_groups<'a>(&'a self, user_ids: &'a [i64]) -> StoreFuture<'a, Vec<(i64, i64)>>;

    /// When the user's DRF token was created; `None` when it has none.
    fn token_created(&self, user_id: i64) -> StoreFuture<'_, Option<String>>;

    /// The console's edit of a user: the fields and the groups and, when it deactivates the
    /// user, the deletion of its DRF token and the blacklisting of its refresh tokens, all in
    /// one transaction.
    fn update_user<'a>(&'a self, id: i64, update: &'a UserUpdate) -> StoreFuture<'a, ()>;

    /// Whether any member of the group is a staff or superuser account.
    fn group_has_staff(&self, group_id: i64) -> StoreFuture<'_, bool>;

    fn count_groups(&self) -> StoreFuture<'_, u64>;

    /// One page of groups, by name.
    fn list_groups(&self, limit: u64, offset: u64) -> StoreFuture<'_, Vec<Group>>;

    /// The groups with these ids that exist.
    fn groups_by_ids<'a>(&'a self, ids: &'a [i64]) -> StoreFuture<'a, Vec<Group>>;

    fn group_by_name<'a>(&'a self, name: &'a str) -> StoreFuture<'a, Option<Group>>;

    /// Create a group with these permissions, in one transaction; `Conflict` if the name is
    /// taken.
    fn create_group<'a>(
        &'a self,
        name: &'a str,
        permission_ids: &'a [i64],
    ) -> StoreFuture<'a, Group>;

    /// Rename a group and/or replace its permissions, in one transaction; false if the group
    /// does not exist, `Conflict` if the new name is taken.
    fn update_group<'a>(
        &'a self,
        id: i64,
        name: Option<&'a str>,
        permission_ids: Option<&'a [i64]>,
    ) -> StoreFuture<'a, bool>;

    /// Delete a group (its memberships and grants go with it); false if it did not exist.
    fn delete_group(&self, id: i64) -> StoreFuture<'_, bool>;

    /// `(group_id, permission)` for the given groups, ordered by group then permission.
    fn group_permissions<'a>(
        &'a self,
        group_ids: &'a [i64],
    ) -> StoreFuture<'a, Vec<(i64, Permission)>>;

    /// Every permission, ordered by resource then codename.
    fn permissions(&self) -> StoreFuture<'_, Vec<Permission>>;
}
