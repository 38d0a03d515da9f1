//! What adopting a Django database (`portcullis import-django`, see `crate::import_django`) asks
//! of the target database: a snapshot of what is there already, to plan against, and one
//! transaction writing the plan. Each database implements [`ImportStore`].

use std::collections::{BTreeMap, BTreeSet};

use super::{StoreError, StoreFuture, StoredToken, User};

/// The rows of the target that an import can meet, keyed as the plan looks them up.
#[derive(Debug, Clone, Default)]
pub struct Existing {
    /// Users: id → username.
    pub(crate) users: BTreeMap<i64, String>,
    /// Groups: id → name.
    pub(crate) groups: BTreeMap<i64, String>,
    /// Permissions: `(resource, codename)` → id.
    pub(crate) permissions: BTreeMap<(String, String), i64>,
    pub(crate) user_groups: BTreeSet<(i64, i64)>,
    pub(crate) group_permissions: BTreeSet<(i64, i64)>,
    pub(crate) user_permissions: BTreeSet<(i64, i64)>,
    /// Tokens: user id → key digest.
    pub(crate) tokens: BTreeMap<i64, String>,
}

impl Existing {
    /// Read what `pool` holds (the same statements on either database).
    pub(crate) async fn read<DB>(pool: &sqlx::Pool<DB>) -> Result<Existing, StoreError>
    where
        DB: sqlx::Database,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        DB::Arguments: sqlx::IntoArguments<DB>,
        (i64, i64): for<'r> sqlx::FromRow<'r, DB::Row>,
        (i64, String): for<'r> sqlx::FromRow<'r, DB::Row>,
        (i64, String, String): for<'r> sqlx::FromRow<'r, DB::Row>,
    {
        let pairs = |sql: &'static str| sqlx::query_as::<DB, (i64, i64)>(sql).fetch_all(pool);
        let named = |sql: &'static str| sqlx::query_as::<DB, (i64, String)>(sql).fetch_all(pool);
        let permissions: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, resource, codename FROM auth_permission")
                .fetch_all(pool)
                .await?;
        Ok(Existing {
            users: named("SELECT id, username FROM auth_user")
                .await?
                .into_iter()
                .collect(),
            groups: named("SELECT id, name FROM auth_group")
                .await?
                .into_iter()
                .collect(),
            permissions: permissions
                .into_iter()
                .map(|(id, resource, codename)| ((resource, codename), id))
                .collect(),
            user_groups: pairs("SELECT user_id, group_id FROM auth_user_groups")
                .await?
                .into_iter()
                .collect(),
            group_permissions: pairs("SELECT group_id, permission_id FROM auth_group_permissions")
                .await?
                .into_iter()
                .collect(),
            user_permissions: pairs(
                "SELECT user_id, permission_id FROM auth_user_user_permissions",
            )
            .await?
            .into_iter()
            .collect(),
            tokens: named("SELECT user_id, key_digest FROM authtoken_token")
                .await?
                .into_iter()
                .collect(),
        })
    }
}

/// A token to store for an imported user, with Django's creation time.
#[derive(Debug, Clone)]
pub struct ImportedToken {
    pub(crate) user_id: i64,
    pub(crate) stored: StoredToken,
    pub(crate) created: String,
}

/// Rows of one declared resource, ids kept: `values` in the order of `columns` (after `id`).
#[derive(Debug, Clone)]
pub struct ResourceRows {
    pub(crate) table: String,
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<(i64, Vec<sea_query::Value>)>,
}

impl ResourceRows {
    /// One `INSERT` of a row, `id` first.
    pub(crate) fn insert(
        &self,
        id: i64,
        values: &[sea_query::Value],
    ) -> sea_query::InsertStatement {
        use sea_query::{Alias, Expr, Query, SimpleExpr};
        let mut columns = vec![Alias::new("id")];
        columns.extend(self.columns.iter().map(Alias::new));
        let mut row: Vec<SimpleExpr> = vec![id.into()];
        row.extend(values.iter().map(|v| Expr::val(v.clone())));
        Query::insert()
            .into_table(Alias::new(&self.table))
            .columns(columns)
            .values_panic(row)
            .to_owned()
    }
}

/// The rows an import writes, all new to the target (the plan left out what is there).
#[derive(Debug, Clone, Default)]
pub struct ImportRows {
    /// Users with Django's ids, hashes and times.
    pub(crate) users: Vec<User>,
    /// Groups: `(id, name)`.
    pub(crate) groups: Vec<(i64, String)>,
    pub(crate) user_groups: Vec<(i64, i64)>,
    pub(crate) group_permissions: Vec<(i64, i64)>,
    pub(crate) user_permissions: Vec<(i64, i64)>,
    pub(crate) tokens: Vec<ImportedToken>,
    /// Declared resources' rows, written after the users that own them, in the order given.
    pub(crate) resources: Vec<ResourceRows>,
}

impl ImportRows {
    /// How many rows in all: the length of the progress bar.
    pub fn len(&self) -> usize {
        self.users.len()
            + self.groups.len()
            + self.user_groups.len()
            + self.group_permissions.len()
            + self.user_permissions.len()
            + self.tokens.len()
            + self.resources.iter().map(|r| r.rows.len()).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Told of each row written, to move a progress bar.
pub type RowWritten<'a> = &'a (dyn Fn() + Send + Sync);

/// Reading and writing for an import.
pub trait ImportStore: Send + Sync {
    /// The rows of the target an import plans against.
    fn import_snapshot(&self) -> StoreFuture<'_, Existing>;

    /// The ids of a resource's table.
    fn import_resource_ids<'a>(&'a self, table: &'a str) -> StoreFuture<'a, BTreeSet<i64>>;

    /// Write every row in one transaction (all or nothing), then move the id sequences past
    /// the ids written so that the next user or group created gets a fresh one.
    fn import_apply<'a>(
        &'a self,
        rows: &'a ImportRows,
        written: RowWritten<'a>,
    ) -> StoreFuture<'a, ()>;
}
