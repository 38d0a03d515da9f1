//! What the staff console reads and writes beyond the accounts feature's own queries: user
//! search, group memberships, groups and their permissions, and a user's sessions (the DRF
//! token's creation time, the recorded JWT refresh tokens). The rows are plain structs; the
//! queries live in `sqlite/admin.rs`. These delegations sit in their own `impl Store` block so
//! that the admin feature adds to the store without editing the shared list in `mod.rs`.

use super::{Store, StoreError, User, UserUpdate};

/// A row of `auth_group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub(crate) id: i64,
    pub(crate) name: String,
}

/// A row of `auth_permission`: `resource.codename`, e.g. `notes.add`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Permission {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RefreshTokenRecord {
    pub(crate) jti: String,
    /// Stored timestamp (see `store::timestamp`).
    pub(crate) created_at: String,
    /// `exp`, seconds since the Unix epoch.
    pub(crate) expires_at: i64,
    pub(crate) blacklisted_at: Option<String>,
}

impl Store {
    /// How many users match every search term (each in the username or the email).
    pub(crate) async fn admin_count_users(&self, terms: &[String]) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_count_users(terms).await,
        }
    }

    /// One page of the users matching every search term, by id.
    pub(crate) async fn admin_list_users(
        &self,
        terms: &[String],
        limit: u64,
        offset: u64,
    ) -> Result<Vec<User>, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_list_users(terms, limit, offset).await,
        }
    }

    /// `(user_id, group_id)` for the given users, ordered by user then group.
    pub(crate) async fn admin_user_groups(
        &self,
        user_ids: &[i64],
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_user_groups(user_ids).await,
        }
    }

    /// When the user's DRF token was created; `None` when it has none.
    pub async fn admin_token_created(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_token_created(user_id).await,
        }
    }

    /// The console's edit of a user: the fields and the groups and, when it deactivates the
    /// user, the deletion of its DRF token and the blacklisting of its refresh tokens, all in
    /// one transaction.
    pub(crate) async fn admin_update_user(
        &self,
        id: i64,
        update: &UserUpdate,
    ) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.update_user_revoking(id, update, true).await,
        }
    }

    /// Whether any member of the group is a staff or superuser account.
    pub(crate) async fn admin_group_has_staff(&self, group_id: i64) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_group_has_staff(group_id).await,
        }
    }

    pub(crate) async fn admin_count_groups(&self) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_count_groups().await,
        }
    }

    /// One page of groups, by name.
    pub(crate) async fn admin_list_groups(
        &self,
        limit: u64,
        offset: u64,
    ) -> Result<Vec<Group>, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_list_groups(limit, offset).await,
        }
    }

    /// The groups with these ids that exist.
    pub(crate) async fn admin_groups_by_ids(&self, ids: &[i64]) -> Result<Vec<Group>, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_groups_by_ids(ids).await,
        }
    }

    pub(crate) async fn admin_group_by_name(
        &self,
        name: &str,
    ) -> Result<Option<Group>, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_group_by_name(name).await,
        }
    }

    /// Create a group with these permissions, in one transaction; `Conflict` if the name is
    /// taken.
    pub(crate) async fn admin_create_group(
        &self,
        name: &str,
        permission_ids: &[i64],
    ) -> Result<Group, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_create_group(name, permission_ids).await,
        }
    }

    /// Rename a group and/or replace its permissions, in one transaction; false if the group
    /// does not exist, `Conflict` if the new name is taken.
    pub(crate) async fn admin_update_group(
        &self,
        id: i64,
        name: Option<&str>,
        permission_ids: Option<&[i64]>,
    ) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_update_group(id, name, permission_ids).await,
        }
    }

    /// Delete a group (its memberships and grants go with it); false if it did not exist.
    pub(crate) async fn admin_delete_group(&self, id: i64) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_delete_group(id).await,
        }
    }

    /// `(group_id, permission)` for the given groups, ordered by group then permission.
    pub(crate) async fn admin_group_permissions(
        &self,
        group_ids: &[i64],
    ) -> Result<Vec<(i64, Permission)>, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_group_permissions(group_ids).await,
        }
    }

    /// Every permission, ordered by resource then codename.
    pub(crate) async fn admin_permissions(&self) -> Result<Vec<Permission>, StoreError> {
        match self {
            Store::Sqlite(s) => s.admin_permissions().await,
        }
    }
}
