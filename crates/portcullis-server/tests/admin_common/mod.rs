//! The harness of the admin API tests (`tests/admin_*.rs`): the real application
//! (`app(state)`) over a real SQLite file in a temporary directory, with the resources migrated
//! as `serve` migrates them, driven request by request with `oneshot`. Staff users are created
//! as `createsuperuser` creates them; everyone else registers and logs in over HTTP.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use portcullis_server::store::{Store, UserUpdate};
use portcullis_server::{AppState, Config, app};
use serde_json::{Value, json};
use tower::ServiceExt;

/// A password that passes Django's four validators.
pub const PASSWORD: &str = "kV7#mountain-Lamp";
/// Another valid password.
pub const NEW_PASSWORD: &str = "Qz9!river-Stone-42";
const SECRET: &[u8] = b"the admin tests' server secret, 32+ bytes";

pub const NOT_PROVIDED: &str = "Authentication credentials were not provided.";
pub const DENIED: &str = "You do not have permission to perform this action.";

pub struct AdminApp {
    pub state: AppState,
    router: Router,
    _dir: tempfile::TempDir,
}

/// A response read to the end.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as JSON; `Null` when empty or not JSON.
    pub json: Value,
    pub text: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn detail(&self) -> &str {
        self.json["detail"].as_str().unwrap_or("")
    }
}

impl AdminApp {
    pub async fn new() -> AdminApp {
        AdminApp::with_config(Config::default()).await
    }

    pub async fn with_config(mut config: Config) -> AdminApp {
        // Every request of a oneshot test comes from one client: no login limit in the way.
        config
            .throttle
            .rates
            .insert("login".into(), "100000/min".into());
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
        let store = Store::open(&url).await.expect("the database opens");
        let state = AppState::new(config, store, SECRET);
        state
            .migrate_resources(false)
            .await
            .expect("the resources migrate");
        AdminApp {
            router: app(state.clone()),
            state,
            _dir: dir,
        }
    }

    pub fn store(&self) -> &Store {
        self.state.store()
    }

    /// A request with an optional `Authorization` value and an optional JSON body.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut builder = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).expect("a method"))
            .uri(path)
            .header("host", "localhost");
        if let Some(auth) = auth {
            builder = builder.header("authorization", auth);
        }
        let bytes = match body {
            Some(body) => {
                builder = builder.header("content-type", "application/json");
                serde_json::to_vec(&body).expect("JSON serializes")
            }
            None => Vec::new(),
        };
        self.send(builder.body(Body::from(bytes)).expect("a request"))
            .await
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("a body").to_bytes();
        Reply {
            status: parts.status,
            headers: parts.headers,
            json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A request authenticated with a DRF token.
    pub async fn as_token(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        self.call(method, path, Some(&format!("Token {token}")), body)
            .await
    }

    pub async fn get(&self, token: &str, path: &str) -> Reply {
        self.as_token(token, "GET", path, None).await
    }

    /// `POST /api-token-auth/`.
    pub async fn login(&self, username: &str, password: &str) -> Reply {
        let body = json!({ "username": username, "password": password });
        self.call("POST", "/api-token-auth/", None, Some(body))
            .await
    }

    /// The token of a successful login.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let reply = self.login(username, password).await;
        assert_eq!(reply.status, StatusCode::OK, "login: {}", reply.text);
        reply.json["token"]
            .as_str()
            .expect("a token in the login answer")
            .to_string()
    }

    /// A superuser created as `createsuperuser` creates it: `(id, token)`.
    pub async fn superuser(&self, username: &str) -> (i64, String) {
        let email = format!("{username}@example.com");
        let user = portcullis_server::accounts::manage::create_superuser(
            &self.state,
            username,
            &email,
            Some(PASSWORD),
        )
        .await
        .expect("the superuser is created");
        (user.id, self.token(username, PASSWORD).await)
    }

    /// A registered user: `(id, token)`.
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
            reply.text
        );
        let id = reply.json["id"].as_i64().expect("an id");
        (id, self.token(username, PASSWORD).await)
    }

    /// A staff user that is not a superuser: `(id, token)`.
    pub async fn staff(&self, username: &str) -> (i64, String) {
        let (id, token) = self.user(username).await;
        let update = UserUpdate {
            is_staff: Some(true),
            ..UserUpdate::default()
        };
        self.store()
            .update_user(id, &update)
            .await
            .expect("the staff flag is set");
        (id, token)
    }

    /// `POST /auth/jwt/create/`: `(refresh, access)`.
    pub async fn jwt_pair(&self, username: &str, password: &str) -> (String, String) {
        let body = json!({ "username": username, "password": password });
        let reply = self
            .call("POST", "/auth/jwt/create/", None, Some(body))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "jwt create: {}", reply.text);
        let field = |name: &str| {
            reply.json[name]
                .as_str()
                .expect("a token in the JWT answer")
                .to_string()
        };
        (field("refresh"), field("access"))
    }

    /// `GET /auth/users/me/` with a DRF token.
    pub async fn me(&self, token: &str) -> Reply {
        self.get(token, "/auth/users/me/").await
    }

    /// `GET /auth/users/me/` with a JWT access token.
    pub async fn me_bearer(&self, access: &str) -> Reply {
        self.call(
            "GET",
            "/auth/users/me/",
            Some(&format!("Bearer {access}")),
            None,
        )
        .await
    }
}
