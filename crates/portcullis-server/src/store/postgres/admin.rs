//! admin on PostgreSQL (SKELETON: to be ported from sqlite/admin.rs).

#![allow(unused)]

use crate::store::admin::{Group, Permission};
use crate::store::{AdminStore, StoreFuture, UserUpdate};
use crate::store::{StoreError, User};

use super::PgStore;
use crate::store::*;
use crate::store::admin::*;

impl AdminStore for PgStore {
    fn update_user<'a>(&'a self, id: i64, update: &'a UserUpdate) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn count_users<'a>(&'a self, terms: &'a [String]) -> StoreFuture<'a, u64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn list_users<'a>(
        &'a self,
        terms: &'a [String],
        limit: u64,
        offset: u64,
    ) -> StoreFuture<'a, Vec<User>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn user_groups<'a>(&'a self, user_ids: &'a [i64]) -> StoreFuture<'a, Vec<(i64, i64)>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn token_created(&self, user_id: i64) -> StoreFuture<'_, Option<String>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn group_has_staff(&self, group_id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move { todo!("postgres") })
    }

    fn count_groups(&self) -> StoreFuture<'_, u64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn list_groups(&self, limit: u64, offset: u64) -> StoreFuture<'_, Vec<Group>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn groups_by_ids<'a>(&'a self, ids: &'a [i64]) -> StoreFuture<'a, Vec<Group>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn group_by_name<'a>(&'a self, name: &'a str) -> StoreFuture<'a, Option<Group>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn create_group<'a>(
        &'a self,
        name: &'a str,
        permission_ids: &'a [i64],
    ) -> StoreFuture<'a, Group> {
        Box::pin(async move { todo!("postgres") })
    }

    fn update_group<'a>(
        &'a self,
        id: i64,
        name: Option<&'a str>,
        permission_ids: Option<&'a [i64]>,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move { todo!("postgres") })
    }

    fn delete_group(&self, id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move { todo!("postgres") })
    }

    fn group_permissions<'a>(
        &'a self,
        group_ids: &'a [i64],
    ) -> StoreFuture<'a, Vec<(i64, Permission)>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn permissions(&self) -> StoreFuture<'_, Vec<Permission>> {
        Box::pin(async move { todo!("postgres") })
    }

}
