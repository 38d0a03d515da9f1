//! The harness shared by the HTTP tests: a `TestApp` is the real application (`app(state)`) on
//! a real SQLite file in a temporary directory, driven request by request with `oneshot`, as a
//! client would drive it, with helpers to register users and log them in.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode};
use http_body_util::BodyExt;
use portcullis_server::store::{Store, User, UserUpdate};
use portcullis_server::{AppState, Config, app};
use serde_json::{Value, json};
use tower::ServiceExt;

/// A password that passes Django's four validators (the oracle scenarios' own).
pub const PASSWORD: &str = "kV7#mountain-Lamp";
/// A second valid password, for changes.
pub const NEW_PASSWORD: &str = "Qz9!river-Stone-42";
pub const SECRET: &[u8] = b"integration tests' server secret, over 32 bytes";

/// DRF's answer to every failed login.
pub const UNABLE: &str = "Unable to log in with provided credentials.";

pub struct TestApp {
    pub state: AppState,
    router: Router,
    dir: tempfile::TempDir,
}

/// A response, read to the end.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The body as JSON; `Null` when it is empty or not JSON.
    pub json: Value,
}

impl Response {
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
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_config(Config::default()).await
    }

    pub async fn with_config(config: Config) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
        let store = Store::open(&url).await.unwrap();
        let state = AppState::new(config, store, SECRET);
        TestApp::from_state(state, dir)
    }

    /// Another application on the same database, e.g. with another secret.
    pub fn sibling(&self, secret: &[u8]) -> TestApp {
        let state = AppState::new(self.state.config().clone(), self.store().clone(), secret);
        TestApp {
            router: app(state.clone()),
            state,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn from_state(state: AppState, dir: tempfile::TempDir) -> TestApp {
        TestApp {
            router: app(state.clone()),
            state,
            dir,
        }
    }

    pub fn store(&self) -> &Store {
        self.state.store()
    }

    /// The SQLite database file.
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("db.sqlite3")
    }

    /// Send a request as built; nothing is added.
    pub async fn send(&self, request: Request<Body>) -> Response {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes().to_vec();
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        Response {
            status: parts.status,
            headers: parts.headers,
            body,
            json,
        }
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
                serde_json::to_vec(&value).unwrap()
            }
            None => Vec::new(),
        };
        self.raw(method, path, &raw_headers, bytes).await
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
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(path);
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            builder = builder.header("host", "localhost");
        }
        for (name, value) in headers {
            builder = builder.header(*name, HeaderValue::from_bytes(value).unwrap());
        }
        self.send(builder.body(Body::from(body.into())).unwrap())
            .await
    }

    /// A GET, with a token or anonymous.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let auth = token.map(|t| format!("Token {t}"));
        let headers: Vec<(&str, &str)> = auth
            .as_deref()
            .map(|a| vec![("authorization", a)])
            .unwrap_or_default();
        self.request("GET", path, &headers, None).await
    }

    /// A request with `Authorization: Token <token>` and a JSON body.
    pub async fn with_token(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Response {
        let auth = format!("Token {token}");
        self.request(method, path, &[("authorization", &auth)], body)
            .await
    }

    /// A form-urlencoded POST.
    pub async fn post_form(&self, path: &str, form: &str) -> Response {
        let headers: &[(&str, &[u8])] = &[("content-type", b"application/x-www-form-urlencoded")];
        self.raw("POST", path, headers, form).await
    }

    /// Register over HTTP (email `<username>@example.com`); the new user's id.
    pub async fn register(&self, username: &str, password: &str) -> i64 {
        let body = json!({
            "username": username,
            "password": password,
            "email": format!("{username}@example.com"),
        });
        let res = self.request("POST", "/auth/users/", &[], Some(body)).await;
        assert_eq!(res.status, StatusCode::CREATED, "register: {:?}", res.json);
        res.json["id"].as_i64().unwrap()
    }

    /// `POST /api-token-auth/`, which must succeed; the key.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let res = self.login("/api-token-auth/", username, password).await;
        assert_eq!(res.status, StatusCode::OK, "login: {:?}", res.json);
        res.json["token"].as_str().unwrap().to_string()
    }

    /// A JSON login at `path` (`/api-token-auth/` or `/auth/token/login/`), whatever the result.
    pub async fn login(&self, path: &str, username: &str, password: &str) -> Response {
        let body = json!({ "username": username, "password": password });
        self.request("POST", path, &[], Some(body)).await
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
        .unwrap()
        .id
    }

    /// A registered user and its token.
    pub async fn user_with_token(&self, username: &str) -> (i64, String) {
        let id = self.register(username, PASSWORD).await;
        (id, self.token(username, PASSWORD).await)
    }

    pub async fn user(&self, id: i64) -> Option<User> {
        self.store().user_by_id(id).await.unwrap()
    }

    pub async fn deactivate(&self, id: i64) {
        let update = UserUpdate {
            is_active: Some(false),
            ..Default::default()
        };
        self.store().update_user(id, &update).await.unwrap();
    }

    pub async fn user_count(&self) -> u64 {
        self.store().count_users(None).await.unwrap()
    }
}

/// The default configuration with a login rate no test reaches, for tests that send many
/// logins on purpose (every request of a `oneshot` test comes from the same client).
pub fn many_logins() -> Config {
    let mut config = Config::default();
    config
        .throttle
        .rates
        .insert("login".into(), "100000/min".into());
    config
}

/// DRF's format: 40 lowercase hex characters.
pub fn is_token_key(key: &str) -> bool {
    key.len() == 40 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The `Allow` of the views, as DRF lists them (sorted).
pub const ALLOW_POST: &str = "OPTIONS, POST";
pub const ALLOW_LIST: &str = "GET, HEAD, OPTIONS, POST";
pub const ALLOW_DETAIL: &str = "DELETE, GET, HEAD, OPTIONS, PATCH, PUT";
