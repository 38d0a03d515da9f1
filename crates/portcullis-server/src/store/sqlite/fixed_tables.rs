//! Migrations of the fixed tables, run by sqlx's migrator from `migrations/` (embedded in the
//! binary by `sqlx::migrate!`, recorded in sqlx's `_sqlx_migrations` with each file's
//! checksum). Never edit an applied file: add the next one.
//!
//! Databases made before sqlx ran these migrations recorded them in `portcullis_migrations`
//! (version, name, applied_at). On the first open by this version, those versions are recorded
//! in `_sqlx_migrations` as applied (sqlx's "skip": its checksums, `execution_time` -1) and the
//! old table is dropped, in one transaction, so nothing runs twice and one table is the record.

use sqlx::migrate::{Migrate, MigrateError, Migrator};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::store::StoreError;

static MIGRATOR: Migrator = sqlx::migrate!("src/store/sqlite/migrations");

/// The table today's runner kept before sqlx's migrator.
const LEGACY_TABLE: &str = "portcullis_migrations";

fn migrate_error(err: MigrateError) -> StoreError {
    StoreError::Database(sqlx::Error::Migrate(Box::new(err)))
}

/// A migration's name as `portcullis migrate` prints it: `0004_user_email_index`.
fn name(version: i64, description: &str) -> String {
    format!("{version:04}_{}", description.replace(' ', "_"))
}

async fn table_exists(pool: &SqlitePool, table: &str) -> Result<bool, StoreError> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(table)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

/// The versions applied so far, from sqlx's table or, on a database not upgraded yet, from the
/// legacy one (read-only: `pending` may run on a reader connection).
async fn applied(pool: &SqlitePool) -> Result<Vec<i64>, StoreError> {
    let table = if table_exists(pool, &MIGRATOR.table_name).await? {
        MIGRATOR.table_name.to_string()
    } else if table_exists(pool, LEGACY_TABLE).await? {
        LEGACY_TABLE.to_string()
    } else {
        return Ok(Vec::new());
    };
    let rows: Vec<(i64,)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT version FROM {table}")))
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub(super) async fn pending(pool: &SqlitePool) -> Result<Vec<String>, StoreError> {
    let done = applied(pool).await?;
    Ok(MIGRATOR
        .iter()
        .filter(|m| !done.contains(&m.version))
        .map(|m| name(m.version, &m.description))
        .collect())
}

/// Record the legacy table's versions in sqlx's table and drop the legacy table, once.
async fn adopt_legacy(pool: &SqlitePool) -> Result<(), StoreError> {
    if !table_exists(pool, LEGACY_TABLE).await? || table_exists(pool, &MIGRATOR.table_name).await? {
        return Ok(());
    }
    let done: Vec<(i64,)> = sqlx::query_as("SELECT version FROM portcullis_migrations")
        .fetch_all(pool)
        .await?;
    let mut tx: Transaction<'_, Sqlite> = pool.begin().await?;
    tx.ensure_migrations_table(&MIGRATOR.table_name)
        .await
        .map_err(migrate_error)?;
    for migration in MIGRATOR.iter() {
        if done.iter().any(|(v,)| *v == migration.version) {
            tx.skip(&MIGRATOR.table_name, migration)
                .await
                .map_err(migrate_error)?;
        }
    }
    sqlx::query("DROP TABLE portcullis_migrations")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(
        versions = done.len(),
        "recorded the applied migrations in sqlx's table"
    );
    Ok(())
}

pub(super) async fn apply(pool: &SqlitePool) -> Result<Vec<String>, StoreError> {
    adopt_legacy(pool).await?;
    let names = pending(pool).await?;
    MIGRATOR.run(pool).await.map_err(migrate_error)?;
    for applied in &names {
        tracing::info!(migration = applied.as_str(), "applied migration");
    }
    Ok(names)
}
