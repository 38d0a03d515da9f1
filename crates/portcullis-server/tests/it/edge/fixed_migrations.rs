//! The fixed tables' migrations (sqlx's migrator, `_sqlx_migrations`), and a database made
//! before them: its versions recorded in `portcullis_migrations` by the earlier runner are
//! adopted in place, nothing runs twice, and the users it holds are still there.

use portcullis_server::store::Store;
use sqlx::{Connection, SqliteConnection};

/// The fixed tables' SQL as the earlier runner applied it, by version.
const OLD_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "accounts",
        include_str!("../../../src/store/sqlite/migrations/0001_accounts.sql"),
    ),
    (
        2,
        "resources",
        include_str!("../../../src/store/sqlite/migrations/0002_resources.sql"),
    ),
    (
        3,
        "jwt",
        include_str!("../../../src/store/sqlite/migrations/0003_jwt.sql"),
    ),
    (
        4,
        "user_email_index",
        include_str!("../../../src/store/sqlite/migrations/0004_user_email_index.sql"),
    ),
];

/// A database made the old way: the first `upto` migrations applied and recorded in
/// `portcullis_migrations`, and one user.
async fn old_database(url: &str, upto: i64) {
    let mut conn = SqliteConnection::connect(&format!("{url}?mode=rwc"))
        .await
        .expect("create the old database");
    sqlx::raw_sql(
        "CREATE TABLE portcullis_migrations (
         version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at DATETIME NOT NULL)",
    )
    .execute(&mut conn)
    .await
    .expect("the old bookkeeping table");
    for (version, name, sql) in OLD_MIGRATIONS.iter().filter(|m| m.0 <= upto) {
        sqlx::raw_sql(*sql)
            .execute(&mut conn)
            .await
            .expect("old SQL");
        sqlx::query("INSERT INTO portcullis_migrations VALUES (?, ?, '2026-01-01 00:00:00')")
            .bind(version)
            .bind(name)
            .execute(&mut conn)
            .await
            .expect("old bookkeeping row");
    }
    sqlx::query(
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, \
         is_staff, is_active, date_joined) VALUES ('!', 0, 'ann', '', '', 'ann@example.com', 0, 1, \
         '2026-01-01 00:00:00')",
    )
    .execute(&mut conn)
    .await
    .expect("a user");
    conn.close().await.expect("close");
}

async fn table_exists(url: &str, table: &str) -> bool {
    let mut conn = SqliteConnection::connect(url).await.expect("open");
    let found: Option<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(table)
            .fetch_optional(&mut conn)
            .await
            .expect("sqlite_master");
    found.is_some()
}

async fn sqlx_versions(url: &str) -> Vec<i64> {
    let mut conn = SqliteConnection::connect(url).await.expect("open");
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all(&mut conn)
        .await
        .expect("sqlx's table");
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn a_new_database_is_migrated_by_sqlx_and_then_has_nothing_pending() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("new.sqlite3").display());
    let store = Store::connect(&url).await.expect("connect");
    let pending = store
        .migrations()
        .pending_migrations()
        .await
        .expect("pending");
    assert_eq!(
        pending,
        [
            "0001_accounts",
            "0002_resources",
            "0003_jwt",
            "0004_user_email_index",
            "0007_audit",
            "0008_knox"
        ]
    );
    let applied = store.migrations().migrate().await.expect("migrate");
    assert_eq!(applied, pending);
    assert!(
        store
            .migrations()
            .migrate()
            .await
            .expect("again")
            .is_empty()
    );
    assert_eq!(sqlx_versions(&url).await, [1, 2, 3, 4, 7, 8]);
    assert!(!table_exists(&url, "portcullis_migrations").await);
}

#[tokio::test]
async fn an_old_database_upgrades_in_place_without_running_anything_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("old.sqlite3").display());
    old_database(&url, 4).await;
    let store = Store::connect(&url).await.expect("connect");
    // Read-only, before any upgrade: the old table says all it knew is applied; only what
    // came after the old runner is pending.
    assert_eq!(
        store
            .migrations()
            .pending_migrations()
            .await
            .expect("pending"),
        ["0007_audit", "0008_knox"]
    );
    assert_eq!(
        store.migrations().migrate().await.expect("migrate"),
        ["0007_audit", "0008_knox"]
    );
    assert_eq!(sqlx_versions(&url).await, [1, 2, 3, 4, 7, 8]);
    assert!(!table_exists(&url, "portcullis_migrations").await);
    let ann = store
        .accounts()
        .user_by_username("ann")
        .await
        .expect("read");
    assert_eq!(ann.map(|u| u.email).as_deref(), Some("ann@example.com"));
    // A second open finds sqlx's table only and does nothing more.
    let again = Store::open(&url).await.expect("reopen");
    assert!(
        again
            .migrations()
            .pending_migrations()
            .await
            .expect("pending")
            .is_empty()
    );
}

#[tokio::test]
async fn an_old_database_behind_by_one_gets_only_the_missing_migration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("behind.sqlite3").display());
    old_database(&url, 3).await;
    let store = Store::connect(&url).await.expect("connect");
    assert_eq!(
        store
            .migrations()
            .pending_migrations()
            .await
            .expect("pending"),
        ["0004_user_email_index", "0007_audit", "0008_knox"]
    );
    assert_eq!(
        store.migrations().migrate().await.expect("migrate"),
        ["0004_user_email_index", "0007_audit", "0008_knox"]
    );
    assert_eq!(sqlx_versions(&url).await, [1, 2, 3, 4, 7, 8]);
    let ann = store
        .accounts()
        .user_by_username("ann")
        .await
        .expect("read");
    assert!(ann.is_some());
}
