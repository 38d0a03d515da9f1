//! The harness of the schema-defined resource tests (`routes/api/`), a layer over the
//! harness core ([`TestApp`]): the application with the schema read from a file named by
//! the `schema_file` configuration key, as `serve` reads it, and migrated. Users register and
//! log in over HTTP; permissions are granted by writing Django's `auth_*` tables with sqlx, as
//! an operator (or Django's admin) would.

use std::ops::Deref;
use std::path::{Path, PathBuf};

use portcullis_server::Config;
use portcullis_server::resources::migration::Outcome;
use portcullis_server::store::User;
use serde_json::{Value, json};

use super::TestApp;
use super::db::Db;

/// The projects/tasks schema of the README.
pub(crate) fn projects_schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projects.toml")
}

/// The application over one database, its resources migrated. Callers (`user`,
/// `superuser`), `sql`, `store` and the rest come from [`TestApp`]; a caller's `create` POSTs a
/// row that must be created.
pub(crate) struct ResourceApp(TestApp);

impl Deref for ResourceApp {
    type Target = TestApp;

    fn deref(&self) -> &TestApp {
        &self.0
    }
}

impl ResourceApp {
    /// The built-in schema (`notes`), migrated.
    pub(crate) async fn notes() -> ResourceApp {
        ResourceApp::start(Config::default()).await
    }

    /// The projects/tasks schema, migrated.
    pub(crate) async fn projects() -> ResourceApp {
        ResourceApp::start(Config {
            schema_file: projects_schema().display().to_string(),
            ..Config::default()
        })
        .await
    }

    /// A schema given as text (written to `schema.toml` in the test's directory), migrated.
    pub(crate) async fn with_schema(text: &str) -> ResourceApp {
        ResourceApp::with_config_and_schema(Config::default(), text).await
    }

    /// `config` with the schema given as text, migrated.
    pub(crate) async fn with_config_and_schema(config: Config, text: &str) -> ResourceApp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let config = Config {
            schema_file: write_schema(dir.path(), text),
            ..config
        };
        ResourceApp(TestApp::migrated_in(config, dir).await)
    }

    /// The application for `config` on a fresh database, its resources migrated.
    pub(crate) async fn start(config: Config) -> ResourceApp {
        ResourceApp(TestApp::migrated(config).await)
    }

    /// Replace the schema with `text` on the same database and run `migrate` as
    /// `portcullis migrate [--allow-destructive]` does. The application serves the new schema
    /// from then on (whatever the outcome, as a restarted server would).
    pub(crate) async fn change_schema(&mut self, text: &str, allow_destructive: bool) -> Outcome {
        let config = Config {
            schema_file: write_schema(self.dir(), text),
            ..self.state.config().clone()
        };
        self.0.restart(config);
        self.migrate(allow_destructive).await
    }

    /// The stored row of the user `username`.
    pub(crate) async fn user_row(&self, username: &str) -> User {
        self.store()
            .accounts()
            .user_by_username(username)
            .await
            .expect("read the user")
            .expect("the user exists")
    }

    /// Django's `group.permissions.add(...)` and `user.groups.add(group)`: the user gets
    /// `resource.codename` through the group `group` (created when missing).
    pub(crate) async fn grant_through_group(
        &self,
        user_id: i64,
        group: &str,
        resource: &str,
        codename: &str,
    ) {
        let db = self.sql().await;
        db.execute(
            "INSERT INTO auth_group (name) VALUES (?) ON CONFLICT DO NOTHING",
            &[group.into()],
        )
        .await;
        let group_id = db
            .int("SELECT id FROM auth_group WHERE name = ?", &[group.into()])
            .await;
        let permission_id = permission_id(&db, resource, codename).await;
        db.execute(
            "INSERT INTO auth_group_permissions (group_id, permission_id) VALUES (?, ?) \
             ON CONFLICT DO NOTHING",
            &[group_id.into(), permission_id.into()],
        )
        .await;
        db.execute(
            "INSERT INTO auth_user_groups (user_id, group_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            &[user_id.into(), group_id.into()],
        )
        .await;
        db.close().await;
    }

    /// Django's `user.user_permissions.add(...)`.
    pub(crate) async fn grant_directly(&self, user_id: i64, resource: &str, codename: &str) {
        let db = self.sql().await;
        let permission_id = permission_id(&db, resource, codename).await;
        db.execute(
            "INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES (?, ?)",
            &[user_id.into(), permission_id.into()],
        )
        .await;
        db.close().await;
    }

    /// SQLite's `EXPLAIN QUERY PLAN` of a statement, one line per step of the plan (the tests
    /// of SQLite's planner skip on PostgreSQL).
    pub(crate) async fn query_plan(&self, sql: &str) -> Vec<String> {
        let Db::Sqlite(pool) = self.sql().await else {
            panic!("query plans are SQLite's: skip the test on PostgreSQL");
        };
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .fetch_all(&pool)
                .await
                .expect("explain the query");
        pool.close().await;
        rows.into_iter().map(|(_, _, _, detail)| detail).collect()
    }
}

impl ResourceApp {
    /// PostgreSQL's `EXPLAIN` of a statement with sequential scans and sorts priced out of
    /// reach: on a test's small table the planner may otherwise scan and sort at will, so a
    /// `Seq Scan` or a `Sort` left in this plan is one no index could replace.
    pub(crate) async fn postgres_plan(&self, sql: &str) -> Vec<String> {
        let Db::Postgres(pool) = self.sql().await else {
            panic!("PostgreSQL's plans: skip the test on SQLite");
        };
        let mut conn = pool.acquire().await.expect("a connection");
        for setting in ["SET enable_seqscan = off", "SET enable_sort = off"] {
            sqlx::query(setting)
                .execute(&mut *conn)
                .await
                .expect("set the planner");
        }
        let lines: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}")))
            .fetch_all(&mut *conn)
            .await
            .expect("explain the query");
        drop(conn);
        pool.close().await;
        lines.into_iter().map(|(line,)| line).collect()
    }
}

/// The id of a permission row, which `migrate` creates for each resource.
async fn permission_id(db: &Db, resource: &str, codename: &str) -> i64 {
    db.int(
        "SELECT id FROM auth_permission WHERE resource = ? AND codename = ?",
        &[resource.into(), codename.into()],
    )
    .await
}

/// Write `text` to `schema.toml` in `dir`; the file's path, for `schema_file`.
fn write_schema(dir: &Path, text: &str) -> String {
    let path = dir.join("schema.toml");
    std::fs::write(&path, text).expect("write the schema file");
    path.display().to_string()
}

/// DRF's error for a field: `{"field": [message]}`.
pub(crate) fn field_error(field: &str, message: &str) -> Value {
    json!({ field: [message] })
}
