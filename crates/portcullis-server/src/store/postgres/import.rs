//! A Django import's reads and its one writing transaction on PostgreSQL. Ids are written as Django
//! had them, then the identity sequences are moved past them (an explicit id does not move them).

use sqlx::PgConnection;

use sea_query::PostgresQueryBuilder;
use sea_query_sqlx::SqlxBinder;

use super::PgStore;
use std::collections::BTreeSet;

use crate::store::import::{Existing, ImportRows, ImportStore, RowWritten};
use crate::store::{StoreError, StoreFuture};

async fn insert_pairs(
    tx: &mut PgConnection,
    sql: &'static str,
    rows: &[(i64, i64)],
    written: RowWritten<'_>,
) -> Result<(), StoreError> {
    for (a, b) in rows {
        sqlx::query(sql).bind(a).bind(b).execute(&mut *tx).await?;
        written();
    }
    Ok(())
}

async fn apply(
    tx: &mut PgConnection,
    rows: &ImportRows,
    written: RowWritten<'_>,
) -> Result<(), StoreError> {
    for u in &rows.users {
        sqlx::query(
            "INSERT INTO auth_user (id, password, last_login, is_superuser, username, first_name, \
             last_name, email, is_staff, is_active, date_joined) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(u.id)
        .bind(&u.password)
        .bind(&u.last_login)
        .bind(u.is_superuser)
        .bind(&u.username)
        .bind(&u.first_name)
        .bind(&u.last_name)
        .bind(&u.email)
        .bind(u.is_staff)
        .bind(u.is_active)
        .bind(&u.date_joined)
        .execute(&mut *tx)
        .await?;
        written();
    }
    for (id, name) in &rows.groups {
        sqlx::query("INSERT INTO auth_group (id, name) VALUES ($1, $2)")
            .bind(id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        written();
    }
    let memberships = "INSERT INTO auth_user_groups (user_id, group_id) VALUES ($1, $2)";
    insert_pairs(tx, memberships, &rows.user_groups, written).await?;
    let grants = "INSERT INTO auth_group_permissions (group_id, permission_id) VALUES ($1, $2)";
    insert_pairs(tx, grants, &rows.group_permissions, written).await?;
    let own = "INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES ($1, $2)";
    insert_pairs(tx, own, &rows.user_permissions, written).await?;
    for t in &rows.tokens {
        sqlx::query(
            "INSERT INTO authtoken_token (user_id, key_digest, key_sealed, created) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(t.user_id)
        .bind(&t.stored.digest)
        .bind(&t.stored.sealed)
        .bind(&t.created)
        .execute(&mut *tx)
        .await?;
        written();
    }
    // After the users: the rows' owners must exist.
    for resource in &rows.resources {
        for (id, values) in &resource.rows {
            let (sql, args) = resource
                .insert(*id, values)
                .build_sqlx(PostgresQueryBuilder);
            sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
                .execute(&mut *tx)
                .await?;
            written();
        }
    }
    Ok(())
}

/// Move each identity past the largest id, so that the next row created gets a fresh one.
async fn advance_sequences(tx: &mut PgConnection, rows: &ImportRows) -> Result<(), StoreError> {
    let resources = rows.resources.iter().map(|r| r.table.as_str());
    for table in ["auth_user", "auth_group"].into_iter().chain(resources) {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), MAX(id)) FROM \"{table}\" \
             HAVING MAX(id) IS NOT NULL"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

impl ImportStore for PgStore {
    fn import_snapshot(&self) -> StoreFuture<'_, Existing> {
        Box::pin(async move { Existing::read(&self.pool).await })
    }

    fn import_resource_ids<'a>(&'a self, table: &'a str) -> StoreFuture<'a, BTreeSet<i64>> {
        Box::pin(async move {
            let sql = format!("SELECT id FROM \"{table}\"");
            let ids: Vec<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_all(&self.pool)
                .await?;
            Ok(ids.into_iter().map(|(id,)| id).collect())
        })
    }

    fn import_apply<'a>(
        &'a self,
        rows: &'a ImportRows,
        written: RowWritten<'a>,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            apply(&mut tx, rows, written).await?;
            advance_sequences(&mut tx, rows).await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
