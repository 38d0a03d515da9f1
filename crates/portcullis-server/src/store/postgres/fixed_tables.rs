//! Migrations of the fixed tables, run by sqlx's migrator from `migrations/` (embedded in the
//! binary by `sqlx::migrate!`, recorded in sqlx's `_sqlx_migrations` with each file's checksum).
//! The versions and names are SQLite's, so `portcullis migrate` says the same on both. Never
//! edit an applied file: add the next one.

use sqlx::PgPool;
use sqlx::migrate::{MigrateError, Migrator};

use crate::store::StoreError;

static MIGRATOR: Migrator = sqlx::migrate!("src/store/postgres/migrations");

fn migrate_error(err: MigrateError) -> StoreError {
    StoreError::Database(sqlx::Error::Migrate(Box::new(err)))
}

/// A migration's name as `portcullis migrate` prints it: `0004_user_email_index`.
fn name(version: i64, description: &str) -> String {
    format!("{version:04}_{}", description.replace(' ', "_"))
}

/// The versions applied so far (none before sqlx's table exists).
async fn applied(pool: &PgPool) -> Result<Vec<i64>, StoreError> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
        .bind(MIGRATOR.table_name.as_ref())
        .fetch_one(pool)
        .await?;
    if !exists {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT version FROM {} WHERE success",
        MIGRATOR.table_name
    )))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub(super) async fn pending(pool: &PgPool) -> Result<Vec<String>, StoreError> {
    let done = applied(pool).await?;
    Ok(MIGRATOR
        .iter()
        .filter(|m| !done.contains(&m.version))
        .map(|m| name(m.version, &m.description))
        .collect())
}

/// Apply what is pending. sqlx's migrator holds a PostgreSQL advisory lock while it runs, so
/// two instances starting at once apply each migration once: the second waits, then finds
/// nothing pending.
pub(super) async fn apply(pool: &PgPool) -> Result<Vec<String>, StoreError> {
    let names = pending(pool).await?;
    MIGRATOR.run(pool).await.map_err(migrate_error)?;
    for applied in &names {
        tracing::info!(migration = applied.as_str(), "applied migration");
    }
    Ok(names)
}
