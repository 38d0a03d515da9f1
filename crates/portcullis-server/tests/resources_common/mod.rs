//! The harness of the schema-defined resource tests (`tests/resources_*.rs`): the real
//! application (`app(state)`) over a real SQLite file in a temporary directory, with the schema
//! read from a file named by the `schema_file` configuration key, as `serve` reads it. Requests
//! go through `tower::ServiceExt::oneshot`; users register and log in over HTTP; permissions
//! are granted by writing Django's `auth_*` tables with sqlx, as an operator (or Django's admin)
//! would.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use portcullis_server::resources::migrate::Outcome;
use portcullis_server::store::{Store, User};
use portcullis_server::{AppState, Config, app};
use serde_json::{Value, json};
use sqlx::sqlite::SqlitePool;
use tower::ServiceExt;

pub mod world;

/// A password that passes Django's four validators.
pub const PASSWORD: &str = "kV7#mountain-Lamp";
pub const SECRET: &[u8] = b"a test secret of at least 32 bytes!!";

/// The projects/tasks schema of the README.
pub fn projects_schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projects.toml")
}

/// The application over one SQLite file. The directory (and the database) lives as long as
/// this value.
pub struct ResourceApp {
    pub state: AppState,
    router: Router,
    dir: tempfile::TempDir,
}

/// A response read to the end.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The body as JSON; `Null` when it is empty or not JSON.
    pub json: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }

    /// The `results` of a paginated list.
    pub fn results(&self) -> Vec<Value> {
        self.json["results"].as_array().cloned().unwrap_or_default()
    }

    /// One field of each listed row.
    pub fn listed(&self, field: &str) -> Vec<Value> {
        self.results().iter().map(|r| r[field].clone()).collect()
    }
}

impl ResourceApp {
    /// The built-in schema (`notes`), migrated.
    pub async fn notes() -> ResourceApp {
        ResourceApp::start(Config::default()).await
    }

    /// The projects/tasks schema, migrated.
    pub async fn projects() -> ResourceApp {
        ResourceApp::start(Config {
            schema_file: projects_schema().display().to_string(),
            ..Config::default()
        })
        .await
    }

    /// A schema given as text (written to `schema.toml` in the test's directory), migrated.
    pub async fn with_schema(text: &str) -> ResourceApp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("schema.toml");
        std::fs::write(&path, text).expect("write the schema file");
        let config = Config {
            schema_file: path.display().to_string(),
            ..Config::default()
        };
        ResourceApp::start_in(config, dir).await
    }

    /// The application for `config` on a fresh database, its resources migrated.
    pub async fn start(config: Config) -> ResourceApp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        ResourceApp::start_in(config, dir).await
    }

    async fn start_in(config: Config, dir: tempfile::TempDir) -> ResourceApp {
        assert_eq!(config.problems(), vec![], "the configuration is valid");
        let url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
        let store = Store::open(&url).await.expect("open the store");
        let state = AppState::new(config, store, SECRET);
        let outcome = state.migrate_resources(false).await.expect("migrate");
        assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
        ResourceApp {
            router: app(state.clone()),
            state,
            dir,
        }
    }

    /// Replace the schema with `text` on the same database and run `migrate` as
    /// `portcullis migrate [--allow-destructive]` does. The application serves the new schema
    /// from then on (whatever the outcome, as a restarted server would).
    pub async fn change_schema(&mut self, text: &str, allow_destructive: bool) -> Outcome {
        let path = self.dir.path().join("schema.toml");
        std::fs::write(&path, text).expect("write the schema file");
        let config = Config {
            schema_file: path.display().to_string(),
            ..self.state.config().clone()
        };
        assert_eq!(config.problems(), vec![], "the changed schema is valid");
        self.state = AppState::new(config, self.state.store().clone(), SECRET);
        self.router = app(self.state.clone());
        self.state
            .migrate_resources(allow_destructive)
            .await
            .expect("migrate")
    }

    pub fn store(&self) -> &Store {
        self.state.store()
    }

    pub fn db_url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("db.sqlite3").display())
    }

    /// A second connection to the database file, for what the HTTP API does not do (granting
    /// permissions, reading query plans).
    pub async fn sql(&self) -> SqlitePool {
        SqlitePool::connect(&self.db_url())
            .await
            .expect("connect to the test database")
    }

    /// Send a request as built.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .expect("read the body")
            .to_bytes()
            .to_vec();
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        Reply {
            status: parts.status,
            headers: parts.headers,
            body,
            json,
        }
    }

    /// A request with an optional token and an optional JSON body.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut builder = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).expect("a method"))
            .uri(path)
            .header("host", "localhost");
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Token {token}"));
        }
        let bytes = match body {
            Some(value) => {
                builder = builder.header("content-type", "application/json");
                serde_json::to_vec(&value).expect("serialize the body")
            }
            None => Vec::new(),
        };
        self.send(builder.body(Body::from(bytes)).expect("a request"))
            .await
    }

    /// A form-urlencoded request (as an HTML form sends it).
    pub async fn form(&self, method: &str, path: &str, token: &str, form: &str) -> Reply {
        let request = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).expect("a method"))
            .uri(path)
            .header("host", "localhost")
            .header("authorization", format!("Token {token}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form.to_string()))
            .expect("a request");
        self.send(request).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call("GET", path, token, None).await
    }

    /// POST a JSON body, which must be created (201); the new row.
    pub async fn create(&self, path: &str, token: &str, body: Value) -> Value {
        let reply = self.call("POST", path, Some(token), Some(body)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "create: {}", reply.json);
        reply.json
    }

    /// Register over HTTP and log in; the user's id and token.
    pub async fn user(&self, username: &str) -> (i64, String) {
        let body = json!({
            "username": username,
            "password": PASSWORD,
            "email": format!("{username}@example.com"),
        });
        let reply = self.call("POST", "/auth/users/", None, Some(body)).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "register: {}",
            reply.json
        );
        let id = reply.json["id"].as_i64().expect("the new user's id");
        (id, self.token(username).await)
    }

    /// A staff superuser (as `portcullis createsuperuser` makes one) and its token.
    pub async fn staff(&self, username: &str) -> (i64, String) {
        let user = portcullis_server::accounts::manage::create_superuser(
            &self.state,
            username,
            &format!("{username}@example.com"),
            Some(PASSWORD),
        )
        .await
        .expect("create the superuser");
        (user.id, self.token(username).await)
    }

    async fn token(&self, username: &str) -> String {
        let body = json!({ "username": username, "password": PASSWORD });
        let reply = self
            .call("POST", "/api-token-auth/", None, Some(body))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "login: {}", reply.json);
        reply.json["token"]
            .as_str()
            .expect("a token in the login answer")
            .to_string()
    }

    pub async fn user_row(&self, username: &str) -> User {
        self.store()
            .user_by_username(username)
            .await
            .expect("read the user")
            .expect("the user exists")
    }

    /// Django's `group.permissions.add(...)` and `user.groups.add(group)`: the user gets
    /// `resource.codename` through the group `group` (created when missing).
    pub async fn grant_through_group(
        &self,
        user_id: i64,
        group: &str,
        resource: &str,
        codename: &str,
    ) {
        let pool = self.sql().await;
        sqlx::query("INSERT OR IGNORE INTO auth_group (name) VALUES (?)")
            .bind(group)
            .execute(&pool)
            .await
            .expect("insert the group");
        let group_id: i64 = sqlx::query_scalar("SELECT id FROM auth_group WHERE name = ?")
            .bind(group)
            .fetch_one(&pool)
            .await
            .expect("the group's id");
        let permission_id = permission_id(&pool, resource, codename).await;
        sqlx::query(
            "INSERT OR IGNORE INTO auth_group_permissions (group_id, permission_id) VALUES (?, ?)",
        )
        .bind(group_id)
        .bind(permission_id)
        .execute(&pool)
        .await
        .expect("give the group the permission");
        sqlx::query("INSERT OR IGNORE INTO auth_user_groups (user_id, group_id) VALUES (?, ?)")
            .bind(user_id)
            .bind(group_id)
            .execute(&pool)
            .await
            .expect("put the user in the group");
        pool.close().await;
    }

    /// Django's `user.user_permissions.add(...)`.
    pub async fn grant_directly(&self, user_id: i64, resource: &str, codename: &str) {
        let pool = self.sql().await;
        let permission_id = permission_id(&pool, resource, codename).await;
        sqlx::query(
            "INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES (?, ?)",
        )
        .bind(user_id)
        .bind(permission_id)
        .execute(&pool)
        .await
        .expect("give the user the permission");
        pool.close().await;
    }

    /// `EXPLAIN QUERY PLAN` of a statement, one line per step of the plan.
    pub async fn query_plan(&self, sql: &str) -> Vec<String> {
        let pool = self.sql().await;
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .fetch_all(&pool)
                .await
                .expect("explain the query");
        pool.close().await;
        rows.into_iter().map(|(_, _, _, detail)| detail).collect()
    }
}

/// The id of a permission row, which `migrate` creates for each resource.
async fn permission_id(pool: &SqlitePool, resource: &str, codename: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM auth_permission WHERE resource = ? AND codename = ?")
        .bind(resource)
        .bind(codename)
        .fetch_one(pool)
        .await
        .expect("migrate created the permission")
}

/// DRF's error for a field: `{"field": [message]}`.
pub fn field_error(field: &str, message: &str) -> Value {
    json!({ field: [message] })
}
