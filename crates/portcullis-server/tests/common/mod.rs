//! The one harness core of the HTTP tests. A `TestApp` is the real application (`app(state)`)
//! on a real SQLite file in a temporary directory, driven request by request with `oneshot`, as
//! a client would drive it, with helpers to register users and log them in.
//!
//! The other harnesses are thin layers over this one, each including this file with
//! `#[path = "../common/mod.rs"] mod common;` and dereferencing to `TestApp`:
//! `admin_common` (`AdminApp`), `resources_common` (`ResourceApp`) and `jwt_support` (`App`).
//! Their replies are this module's `Response`. Change the shared machinery here.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode};
use http_body_util::BodyExt;
use portcullis_server::resources::migrate::Outcome;
use portcullis_server::store::{QueryLimits, Store, User, UserUpdate};
use portcullis_server::{AppState, Config, app};
use serde_json::{Value, json};
use sqlx::sqlite::SqlitePool;
use tower::ServiceExt;

/// A password that passes Django's four validators (the oracle scenarios' own).
pub const PASSWORD: &str = "kV7#mountain-Lamp";
/// A second valid password, for changes.
pub const NEW_PASSWORD: &str = "Qz9!river-Stone-42";
/// The server secret of every test application (siblings may be given another).
pub const SECRET: &[u8] = b"integration tests' server secret, over 32 bytes";

/// DRF's answer to every failed login.
pub const UNABLE: &str = "Unable to log in with provided credentials.";

/// The `Allow` of the views, as DRF lists them (sorted).
pub const ALLOW_POST: &str = "OPTIONS, POST";
pub const ALLOW_LIST: &str = "GET, HEAD, OPTIONS, POST";
pub const ALLOW_DETAIL: &str = "DELETE, GET, HEAD, OPTIONS, PATCH, PUT";

/// The application over one SQLite file. The directory (and the database) lives as long as
/// this value and its siblings.
pub struct TestApp {
    pub state: AppState,
    router: Router,
    secret: Vec<u8>,
    dir: Arc<tempfile::TempDir>,
}

/// A response, read to the end.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The body as text (invalid UTF-8 replaced).
    pub text: String,
    /// The body as JSON; `Null` when it is empty or not JSON.
    pub json: Value,
}

impl Response {
    /// A response from its parts, whichever way they were read.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Vec<u8>) -> Response {
        Response {
            status,
            headers,
            text: String::from_utf8_lossy(&body).into_owned(),
            json: serde_json::from_slice(&body).unwrap_or(Value::Null),
            body,
        }
    }

    /// A header as text (`None` when absent).
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }

    /// `Vary`, lowercased, as the oracle transcripts compare it.
    pub fn vary(&self) -> Option<String> {
        self.header("vary").map(|v| v.to_ascii_lowercase())
    }

    /// `{"detail": ...}`'s text.
    pub fn detail(&self) -> &str {
        self.json["detail"].as_str().unwrap_or("")
    }

    /// A string member of the JSON body (empty when absent).
    pub fn str(&self, key: &str) -> String {
        self.json[key].as_str().unwrap_or_default().to_string()
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

impl TestApp {
    /// The default configuration on a fresh database.
    pub async fn new() -> TestApp {
        TestApp::with_config(Config::default()).await
    }

    /// `config` on a fresh database; the schema-defined resources are not migrated.
    pub async fn with_config(config: Config) -> TestApp {
        TestApp::open(config, temp_dir()).await
    }

    /// `config` on a fresh database, its resources migrated as `serve` migrates them.
    pub async fn migrated(config: Config) -> TestApp {
        TestApp::migrated_in(config, temp_dir()).await
    }

    /// [`TestApp::migrated`] with the database in `dir`, which may already hold files the
    /// configuration names (a schema file).
    pub async fn migrated_in(config: Config, dir: tempfile::TempDir) -> TestApp {
        let app = TestApp::open(config, dir).await;
        let outcome = app.migrate(false).await;
        assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
        app
    }

    async fn open(config: Config, dir: tempfile::TempDir) -> TestApp {
        assert_eq!(config.problems(), vec![], "the test configuration is valid");
        let limits = QueryLimits::from_config(&config.limits);
        let store = Store::open_limited(&sqlite_url(dir.path()), limits)
            .await
            .expect("the test database opens");
        let state = AppState::new(config, store, SECRET);
        TestApp {
            router: app(state.clone()),
            state,
            secret: SECRET.to_vec(),
            dir: Arc::new(dir),
        }
    }

    /// Bring the resource tables in step with the schema, as `portcullis migrate
    /// [--allow-destructive]` does.
    pub async fn migrate(&self, allow_destructive: bool) -> Outcome {
        self.state
            .migrate_resources(allow_destructive)
            .await
            .expect("the resources migrate")
    }

    /// Another application on the same database, with the same configuration and another
    /// server secret.
    pub fn sibling(&self, secret: &[u8]) -> TestApp {
        self.sibling_with(self.state.config().clone(), secret)
    }

    /// Another application (another instance) on the same database, with its own
    /// configuration and server secret.
    pub fn sibling_with(&self, config: Config, secret: &[u8]) -> TestApp {
        assert_eq!(
            config.problems(),
            vec![],
            "the sibling's configuration is valid"
        );
        let state = AppState::new(config, self.store().clone(), secret);
        TestApp {
            router: app(state.clone()),
            state,
            secret: secret.to_vec(),
            dir: Arc::clone(&self.dir),
        }
    }

    /// This application restarted with `config`: same database, same secret, nothing migrated.
    pub fn restart(&mut self, config: Config) {
        *self = self.sibling_with(config, &self.secret);
    }

    /// The router, e.g. to serve it over TCP.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    pub fn store(&self) -> &Store {
        self.state.store()
    }

    /// The temporary directory of the database.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The SQLite database file.
    pub fn db_path(&self) -> PathBuf {
        self.dir().join("db.sqlite3")
    }

    pub fn db_url(&self) -> String {
        sqlite_url(self.dir())
    }

    /// A second connection to the database file, for what the HTTP API does not do.
    pub async fn sql(&self) -> SqlitePool {
        SqlitePool::connect(&self.db_url())
            .await
            .expect("connect to the test database")
    }

    /// Send a request as built; nothing is added.
    pub async fn send(&self, request: Request<Body>) -> Response {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("read the body").to_bytes();
        Response::new(parts.status, parts.headers, body.to_vec())
    }

    /// A request with header values as bytes (not necessarily UTF-8) and a raw body.
    /// `Host: localhost` is added unless a `Host` is given.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &[u8])],
        body: impl Into<Vec<u8>>,
    ) -> Response {
        let mut builder = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).expect("a method"))
            .uri(path);
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            builder = builder.header("host", "localhost");
        }
        for (name, value) in headers {
            let value = HeaderValue::from_bytes(value).expect("a header value");
            builder = builder.header(*name, value);
        }
        let request = builder.body(Body::from(body.into())).expect("a request");
        self.send(request).await
    }

    /// A request with text headers and an optional JSON body (sent as `application/json`).
    /// `Host: localhost` is added unless a `Host` is given.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Response {
        let mut raw_headers: Vec<(&str, &[u8])> =
            headers.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
        let bytes = match body {
            Some(value) => {
                raw_headers.push(("content-type", b"application/json"));
                serde_json::to_vec(&value).expect("the body serializes")
            }
            None => Vec::new(),
        };
        self.raw(method, path, &raw_headers, bytes).await
    }

    /// A request with an optional `Authorization` value (sent as given) and an optional JSON
    /// body.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        authorization: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let headers: Vec<(&str, &str)> = authorization
            .map(|value| ("authorization", value))
            .into_iter()
            .collect();
        self.request(method, path, &headers, body).await
    }

    /// A GET, with a token or anonymous.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let auth = token.map(token_auth);
        self.call("GET", path, auth.as_deref(), None).await
    }

    /// A request with `Authorization: Token <token>` and a JSON body.
    pub async fn with_token(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Response {
        self.call(method, path, Some(&token_auth(token)), body)
            .await
    }

    /// A JSON POST, anonymous.
    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.call("POST", path, None, Some(body)).await
    }

    /// A form-urlencoded POST.
    pub async fn post_form(&self, path: &str, form: &str) -> Response {
        let headers: &[(&str, &[u8])] = &[("content-type", b"application/x-www-form-urlencoded")];
        self.raw("POST", path, headers, form).await
    }

    /// `GET /auth/users/me/` with this `Authorization` value.
    pub async fn me_as(&self, authorization: &str) -> Response {
        self.call("GET", "/auth/users/me/", Some(authorization), None)
            .await
    }

    /// `GET /auth/users/me/` with a DRF token.
    pub async fn me_token(&self, token: &str) -> Response {
        self.me_as(&token_auth(token)).await
    }

    /// `GET /auth/users/me/` with a JWT access token.
    pub async fn me_bearer(&self, access: &str) -> Response {
        self.me_as(&bearer(access)).await
    }

    /// Register over HTTP (email `<username>@example.com`); the new user's id.
    pub async fn register(&self, username: &str, password: &str) -> i64 {
        let body = json!({
            "username": username,
            "password": password,
            "email": format!("{username}@example.com"),
        });
        let res = self.post("/auth/users/", body).await;
        assert_eq!(res.status, StatusCode::CREATED, "register: {}", res.text);
        res.json["id"].as_i64().expect("the new user's id")
    }

    /// A JSON login at `path` (`/api-token-auth/` or `/auth/token/login/`), whatever the result.
    pub async fn login(&self, path: &str, username: &str, password: &str) -> Response {
        self.post(path, credentials(username, password)).await
    }

    /// `POST /api-token-auth/`, which must succeed; the key.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let res = self.login("/api-token-auth/", username, password).await;
        assert_eq!(res.status, StatusCode::OK, "login: {}", res.text);
        res.json["token"]
            .as_str()
            .expect("a token in the login answer")
            .to_string()
    }

    /// A registered user (password [`PASSWORD`]) and its token.
    pub async fn user_with_token(&self, username: &str) -> (i64, String) {
        let id = self.register(username, PASSWORD).await;
        (id, self.token(username, PASSWORD).await)
    }

    /// A staff superuser, created as `createsuperuser` does; its id.
    pub async fn superuser(&self, username: &str, password: &str) -> i64 {
        let email = format!("{username}@example.com");
        portcullis_server::accounts::manage::create_superuser(
            &self.state,
            username,
            &email,
            Some(password),
        )
        .await
        .expect("the superuser is created")
        .id
    }

    /// A superuser (password [`PASSWORD`]) and its token.
    pub async fn superuser_with_token(&self, username: &str) -> (i64, String) {
        let id = self.superuser(username, PASSWORD).await;
        (id, self.token(username, PASSWORD).await)
    }

    /// `POST /auth/jwt/create/`, which must succeed: `(refresh, access)`.
    pub async fn jwt_pair(&self, username: &str, password: &str) -> (String, String) {
        let res = self
            .post("/auth/jwt/create/", credentials(username, password))
            .await;
        assert_eq!(res.status, StatusCode::OK, "jwt create: {}", res.text);
        (res.str("refresh"), res.str("access"))
    }

    pub async fn user(&self, id: i64) -> Option<User> {
        self.store().user_by_id(id).await.expect("read the user")
    }

    /// Set `is_active` in the store, as Django's admin does.
    pub async fn set_active(&self, id: i64, active: bool) {
        let update = UserUpdate {
            is_active: Some(active),
            ..UserUpdate::default()
        };
        self.store()
            .update_user(id, &update)
            .await
            .expect("update the user");
    }

    pub async fn deactivate(&self, id: i64) {
        self.set_active(id, false).await;
    }

    pub async fn user_count(&self) -> u64 {
        self.store()
            .count_users(None)
            .await
            .expect("count the users")
    }
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// The URL of the database file in `dir`.
fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("db.sqlite3").display())
}

/// A login body.
pub fn credentials(username: &str, password: &str) -> Value {
    json!({ "username": username, "password": password })
}

/// `Token <key>`, DRF's `Authorization` value.
pub fn token_auth(token: &str) -> String {
    format!("Token {token}")
}

/// `Bearer <access>`, simplejwt's `Authorization` value.
pub fn bearer(access: &str) -> String {
    format!("Bearer {access}")
}

/// `config` with a login rate no test reaches, for tests that send many logins on purpose
/// (every request of a `oneshot` test comes from the same client).
pub fn with_many_logins(mut config: Config) -> Config {
    config
        .throttle
        .rates
        .insert("login".into(), "100000/min".into());
    config
}

/// The default configuration with a login rate no test reaches.
pub fn many_logins() -> Config {
    with_many_logins(Config::default())
}

/// DRF's format: 40 lowercase hex characters.
pub fn is_token_key(key: &str) -> bool {
    key.len() == 40 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
