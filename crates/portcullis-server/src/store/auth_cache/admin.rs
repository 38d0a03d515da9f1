//! [`AdminStore`] through the authentication layer: the console's edit of a user forgets the
//! user; everything else is the database's.

use super::layer::AuthLayer;
use crate::store::{AdminStore, Group, Permission, StoreFuture, User, UserUpdate};

impl AdminStore for AuthLayer {
    fn count_users<'a>(&'a self, terms: &'a [String]) -> StoreFuture<'a, u64> {
        self.admin().count_users(terms)
    }

    fn list_users<'a>(
        &'a self,
        terms: &'a [String],
        limit: u64,
        offset: u64,
    ) -> StoreFuture<'a, Vec<User>> {
        self.admin().list_users(terms, limit, offset)
    }

    fn user_groups<'a>(&'a self, user_ids: &'a [i64]) -> StoreFuture<'a, Vec<(i64, i64)>> {
        self.admin().user_groups(user_ids)
    }

    fn token_created(&self, user_id: i64) -> StoreFuture<'_, Option<String>> {
        self.admin().token_created(user_id)
    }

    fn update_user<'a>(&'a self, id: i64, update: &'a UserUpdate) -> StoreFuture<'a, ()> {
        self.changing(id, self.admin().update_user(id, update))
    }

    fn group_has_staff(&self, group_id: i64) -> StoreFuture<'_, bool> {
        self.admin().group_has_staff(group_id)
    }

    fn count_groups(&self) -> StoreFuture<'_, u64> {
        self.admin().count_groups()
    }

    fn list_groups(&self, limit: u64, offset: u64) -> StoreFuture<'_, Vec<Group>> {
        self.admin().list_groups(limit, offset)
    }

    fn groups_by_ids<'a>(&'a self, ids: &'a [i64]) -> StoreFuture<'a, Vec<Group>> {
        self.admin().groups_by_ids(ids)
    }

    fn group_by_name<'a>(&'a self, name: &'a str) -> StoreFuture<'a, Option<Group>> {
        self.admin().group_by_name(name)
    }

    fn create_group<'a>(
        &'a self,
        name: &'a str,
        permission_ids: &'a [i64],
    ) -> StoreFuture<'a, Group> {
        self.admin().create_group(name, permission_ids)
    }

    fn update_group<'a>(
        &'a self,
        id: i64,
        name: Option<&'a str>,
        permission_ids: Option<&'a [i64]>,
    ) -> StoreFuture<'a, bool> {
        self.admin().update_group(id, name, permission_ids)
    }

    fn delete_group(&self, id: i64) -> StoreFuture<'_, bool> {
        self.admin().delete_group(id)
    }

    fn group_permissions<'a>(
        &'a self,
        group_ids: &'a [i64],
    ) -> StoreFuture<'a, Vec<(i64, Permission)>> {
        self.admin().group_permissions(group_ids)
    }

    fn permissions(&self) -> StoreFuture<'_, Vec<Permission>> {
        self.admin().permissions()
    }
}
