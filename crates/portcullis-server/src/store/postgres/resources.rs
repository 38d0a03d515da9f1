//! resources on PostgreSQL (SKELETON: to be ported from sqlite/resources.rs).

#![allow(unused)]

use sea_query::{DeleteStatement, InsertStatement, SelectStatement, UpdateStatement};
use crate::store::StoreError;
use crate::store::cells::{Cell, ColumnInfo, Storage};
use crate::store::links::LinkSet;
use crate::store::tables::Change;
use crate::store::{ResourceStore, StoreFuture};

use super::PgStore;

impl ResourceStore for PgStore {
    fn select_rows<'a>(
        &'a self,
        stmt: &'a SelectStatement,
        kinds: &'a [Storage],
    ) -> StoreFuture<'a, Vec<Vec<Cell>>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn count_rows<'a>(&'a self, stmt: &'a SelectStatement) -> StoreFuture<'a, u64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn insert_row<'a>(&'a self, stmt: &'a InsertStatement) -> StoreFuture<'a, i64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn update_rows<'a>(&'a self, stmt: &'a UpdateStatement) -> StoreFuture<'a, u64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn delete_rows<'a>(&'a self, stmt: &'a DeleteStatement) -> StoreFuture<'a, u64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn table_columns<'a>(&'a self, table: &'a str) -> StoreFuture<'a, Vec<ColumnInfo>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn table_indexes<'a>(&'a self, table: &'a str) -> StoreFuture<'a, Vec<String>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn has_data<'a>(&'a self, table: &'a str, column: Option<&'a str>) -> StoreFuture<'a, bool> {
        Box::pin(async move { todo!("postgres") })
    }

    fn has_nulls<'a>(&'a self, table: &'a str, column: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move { todo!("postgres") })
    }

    fn apply_changes<'a>(&'a self, changes: &'a [Change]) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn known_resources(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(async move { todo!("postgres") })
    }

    fn save_schema_snapshot<'a>(
        &'a self,
        resource: &'a str,
        definition: &'a str,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn ensure_permissions<'a>(
        &'a self,
        resource: &'a str,
        label: &'a str,
        codenames: &'a [&'a str],
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

    fn insert_row_linked<'a>(
        &'a self,
        stmt: &'a InsertStatement,
        links: &'a [LinkSet],
    ) -> StoreFuture<'a, i64> {
        Box::pin(async move { todo!("postgres") })
    }

    fn update_row_linked<'a>(
        &'a self,
        stmt: Option<&'a UpdateStatement>,
        id: i64,
        links: &'a [LinkSet],
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move { todo!("postgres") })
    }

}
