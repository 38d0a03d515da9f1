//! Migrations of the fixed tables: numbered SQL files embedded in the binary, each applied once
//! in its own transaction and recorded in `portcullis_migrations`.

use sqlx::SqlitePool;

use crate::store::StoreError;
use crate::store::timestamp::now_db;

/// (version, name, SQL), in order. Never edit an applied file: add the next one.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "accounts", include_str!("migrations/0001_accounts.sql")),
    (
        2,
        "resources",
        include_str!("migrations/0002_resources.sql"),
    ),
    (3, "jwt", include_str!("migrations/0003_jwt.sql")),
    (
        4,
        "user_email_index",
        include_str!("migrations/0004_user_email_index.sql"),
    ),
];

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS portcullis_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at DATETIME NOT NULL)";

async fn applied(pool: &SqlitePool) -> Result<Vec<i64>, StoreError> {
    let exists: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'portcullis_migrations'",
    )
    .fetch_optional(pool)
    .await?;
    if exists.is_none() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT version FROM portcullis_migrations")
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub(super) async fn pending(pool: &SqlitePool) -> Result<Vec<String>, StoreError> {
    let done = applied(pool).await?;
    Ok(MIGRATIONS
        .iter()
        .filter(|(v, _, _)| !done.contains(v))
        .map(|(v, name, _)| format!("{v:04}_{name}"))
        .collect())
}

pub(super) async fn apply(pool: &SqlitePool) -> Result<Vec<String>, StoreError> {
    let mut names = Vec::new();
    sqlx::query(CREATE_TABLE).execute(pool).await?;
    let done = applied(pool).await?;
    for (version, name, sql) in MIGRATIONS {
        if done.contains(version) {
            continue;
        }
        let mut tx = pool.begin().await?;
        sqlx::raw_sql(*sql).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO portcullis_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        )
        .bind(version)
        .bind(name)
        .bind(now_db())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(version, name, "applied migration");
        names.push(format!("{version:04}_{name}"));
    }
    Ok(names)
}
