//! Rows of schema-defined resources, their tables (columns, indexes, DDL from neutral
//! [`Change`]s), the many-to-many links, the schema snapshots and the model permissions. The
//! statements are built by the resources feature with sea-query; each database runs them and
//! renders [`Change`]s in its own DDL. Each database implements [`ResourceStore`].

use sea_query::{DeleteStatement, InsertStatement, SelectStatement, UpdateStatement};

use super::links::LinkSet;
use super::tables::Change;
use super::{Cell, ColumnInfo, Storage, StoreFuture};

/// Rows, tables, links, snapshots and permissions of the resources.
pub trait ResourceStore: Send + Sync {
    fn select_rows<'a>(
        &'a self,
        stmt: &'a SelectStatement,
        kinds: &'a [Storage],
    ) -> StoreFuture<'a, Vec<Vec<Cell>>>;

    /// Run a `SELECT COUNT(*) ...`.
    fn count_rows<'a>(&'a self, stmt: &'a SelectStatement) -> StoreFuture<'a, u64>;

    /// Insert one row; its id.
    fn insert_row<'a>(&'a self, stmt: &'a InsertStatement) -> StoreFuture<'a, i64>;

    /// Insert one row and the links of its many-to-many fields, in one transaction; its id.
    fn insert_row_linked<'a>(
        &'a self,
        stmt: &'a InsertStatement,
        links: &'a [LinkSet],
    ) -> StoreFuture<'a, i64>;

    /// Update the row `id` (when `stmt` is given) and replace the links of its many-to-many
    /// fields, in one transaction.
    fn update_row_linked<'a>(
        &'a self,
        stmt: Option<&'a UpdateStatement>,
        id: i64,
        links: &'a [LinkSet],
    ) -> StoreFuture<'a, ()>;

    fn update_rows<'a>(&'a self, stmt: &'a UpdateStatement) -> StoreFuture<'a, u64>;

    fn delete_rows<'a>(&'a self, stmt: &'a DeleteStatement) -> StoreFuture<'a, u64>;

    fn table_columns<'a>(&'a self, table: &'a str) -> StoreFuture<'a, Vec<ColumnInfo>>;

    fn table_indexes<'a>(&'a self, table: &'a str) -> StoreFuture<'a, Vec<String>>;

    fn has_data<'a>(&'a self, table: &'a str, column: Option<&'a str>) -> StoreFuture<'a, bool>;

    fn apply_changes<'a>(&'a self, changes: &'a [Change]) -> StoreFuture<'a, ()>;

    fn has_nulls<'a>(&'a self, table: &'a str, column: &'a str) -> StoreFuture<'a, bool>;

    /// The resources migrated so far.
    fn known_resources(&self) -> StoreFuture<'_, Vec<String>>;

    /// Record the definition a resource (or join) table was migrated to. On PostgreSQL the
    /// table also gets its trigger announcing changes to every instance's result cache.
    fn save_schema_snapshot<'a>(
        &'a self,
        resource: &'a str,
        definition: &'a str,
    ) -> StoreFuture<'a, ()>;

    /// Create the model permissions of a resource (Django creates them on migrate).
    fn ensure_permissions<'a>(
        &'a self,
        resource: &'a str,
        label: &'a str,
        codenames: &'a [&'a str],
    ) -> StoreFuture<'a, ()>;
}
