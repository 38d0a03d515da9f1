//! `TestApp`: the real application (`app(state)`) on a real SQLite file in a temporary
//! directory (or, with `PORTCULLIS_TEST_DATABASE_URL`, on a PostgreSQL database of its own), driven request by request with `oneshot`, as a client would drive it, with the
//! set-up steps the tests share (registering users, logging them in, restarting, migrating).
//! Requests go through a [`Client`]: an anonymous one, one with a raw credential, or a
//! [`Caller`] (a registered user that carries its own).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use portcullis_server::resources::migration::Outcome;
use portcullis_server::store::{QueryLimits, Store, User, UserUpdate};
use portcullis_server::{AppState, Config, app};
use serde_json::json;
use tower::ServiceExt;

use super::db::{Db, PgDatabase, postgres_admin_url};
use super::{
    Caller, Client, JwtCaller, PASSWORD, Response, SECRET, bearer, credentials, token_auth,
};

/// The application over one database. The directory (and the database) lives as long as this
/// value and its siblings.
pub(crate) struct TestApp {
    pub state: AppState,
    router: Router,
    secret: Vec<u8>,
    db_url: String,
    dir: Arc<tempfile::TempDir>,
    /// The PostgreSQL database of the test, dropped after the last application on it.
    pg: Option<Arc<PgDatabase>>,
}

impl TestApp {
    /// The default configuration on a fresh database.
    pub(crate) async fn new() -> TestApp {
        TestApp::with_config(Config::default()).await
    }

    /// `config` on a fresh database; the schema-defined resources are not migrated.
    pub(crate) async fn with_config(config: Config) -> TestApp {
        TestApp::open(config, temp_dir()).await
    }

    /// `config` on a fresh database, its resources migrated as `serve` migrates them.
    pub(crate) async fn migrated(config: Config) -> TestApp {
        TestApp::migrated_in(config, temp_dir()).await
    }

    /// [`TestApp::migrated`] with the database in `dir`, which may already hold files the
    /// configuration names (a schema file).
    pub(crate) async fn migrated_in(config: Config, dir: tempfile::TempDir) -> TestApp {
        let app = TestApp::open(config, dir).await;
        let outcome = app.migrate(false).await;
        assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
        app
    }

    async fn open(config: Config, dir: tempfile::TempDir) -> TestApp {
        assert_eq!(config.problems(), vec![], "the test configuration is valid");
        let pg = match postgres_admin_url() {
            Some(admin_url) => Some(Arc::new(PgDatabase::create(&admin_url).await)),
            None => None,
        };
        let db_url = match &pg {
            Some(pg) => pg.url.clone(),
            None => sqlite_url(dir.path()),
        };
        let limits = QueryLimits::from_config(&config.limits);
        let store = Store::open_limited(&db_url, limits)
            .await
            .expect("the test database opens");
        let state = AppState::new(config, store, SECRET);
        TestApp {
            router: app(state.clone()),
            state,
            secret: SECRET.to_vec(),
            db_url,
            dir: Arc::new(dir),
            pg,
        }
    }

    /// Bring the resource tables in step with the schema, as `portcullis migrate
    /// [--allow-destructive]` does.
    pub(crate) async fn migrate(&self, allow_destructive: bool) -> Outcome {
        self.state
            .migrate_resources(allow_destructive)
            .await
            .expect("the resources migrate")
    }

    /// Another application on the same database, with the same configuration and another
    /// server secret.
    pub(crate) fn sibling(&self, secret: &[u8]) -> TestApp {
        self.sibling_with(self.state.config().clone(), secret)
    }

    /// Another application (another instance) on the same database, with its own
    /// configuration and server secret.
    pub(crate) fn sibling_with(&self, config: Config, secret: &[u8]) -> TestApp {
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
            db_url: self.db_url.clone(),
            dir: Arc::clone(&self.dir),
            pg: self.pg.clone(),
        }
    }

    /// Another instance on the same database, as a second process behind the load balancer
    /// would be: the same configuration and secret, a store (connection pools) of its own.
    pub(crate) async fn instance(&self) -> TestApp {
        let config = self.state.config().clone();
        let limits = QueryLimits::from_config(&config.limits);
        let store = Store::open_limited(&self.db_url, limits)
            .await
            .expect("the second instance opens the database");
        let state = AppState::new(config, store, &self.secret);
        TestApp {
            router: app(state.clone()),
            state,
            secret: self.secret.clone(),
            db_url: self.db_url.clone(),
            dir: Arc::clone(&self.dir),
            pg: self.pg.clone(),
        }
    }

    /// This application restarted with `config`: same database, same secret, nothing migrated.
    pub(crate) fn restart(&mut self, config: Config) {
        *self = self.sibling_with(config, &self.secret);
    }

    /// The router, e.g. to serve it over TCP.
    pub(crate) fn router(&self) -> Router {
        self.router.clone()
    }

    /// Serve the application on a loopback port as `portcullis serve` does (the server loop with
    /// its connection limits and each client's address); the address. Serves until the test ends.
    pub(crate) async fn serve_tcp(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let router = self.router();
        let limits = self.state.config().limits.clone();
        tokio::spawn(async move {
            portcullis_server::server::serve(listener, router, &limits, std::future::pending())
                .await
        });
        addr
    }

    pub(crate) fn store(&self) -> &Store {
        self.state.store()
    }

    /// The temporary directory of the database.
    pub(crate) fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The SQLite database file (tests about SQLite's file skip on PostgreSQL).
    pub(crate) fn db_path(&self) -> PathBuf {
        self.dir().join("db.sqlite3")
    }

    /// A second connection to the database, for what the HTTP API does not do.
    pub(crate) async fn sql(&self) -> Db {
        Db::connect(&self.db_url).await
    }

    /// Send a request as built; nothing is added.
    pub(crate) async fn send(&self, request: Request<Body>) -> Response {
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

    /// An anonymous client.
    pub(crate) fn anon(&self) -> Client<'_> {
        Client::new(self, None)
    }

    /// A client that sends `Authorization: Token <key>`, DRF's token authentication.
    pub(crate) fn with_key(&self, key: &str) -> Client<'_> {
        Client::new(self, Some(token_auth(key)))
    }

    /// A client that sends `Authorization: Bearer <access>`, simplejwt's authentication.
    pub(crate) fn bearer(&self, access: &str) -> Client<'_> {
        Client::new(self, Some(bearer(access)))
    }

    /// A client that sends this `Authorization` value as given (malformed ones included).
    pub(crate) fn authorized(&self, authorization: &str) -> Client<'_> {
        Client::new(self, Some(authorization.to_string()))
    }

    /// Register over HTTP (email `<username>@example.com`); the new user's id.
    pub(crate) async fn register(&self, username: &str, password: &str) -> i64 {
        let body = json!({
            "username": username,
            "password": password,
            "email": format!("{username}@example.com"),
        });
        let res = self.anon().post("/auth/users/", body).await;
        assert_eq!(res.status, StatusCode::CREATED, "register: {}", res.text);
        res.json["id"].as_i64().expect("the new user's id")
    }

    /// A JSON login at `path` (`/api-token-auth/` or `/auth/token/login/`), whatever the result.
    pub(crate) async fn login(&self, path: &str, username: &str, password: &str) -> Response {
        self.anon()
            .post(path, credentials(username, password))
            .await
    }

    /// `POST /api-token-auth/`, which must succeed; the key.
    pub(crate) async fn token(&self, username: &str, password: &str) -> String {
        let res = self.login("/api-token-auth/", username, password).await;
        assert_eq!(res.status, StatusCode::OK, "login: {}", res.text);
        res.json["token"]
            .as_str()
            .expect("a token in the login answer")
            .to_string()
    }

    /// A user registered over HTTP with [`PASSWORD`] and signed in at `/api-token-auth/`.
    pub(crate) async fn user(&self, username: &str) -> Caller<'_> {
        let id = self.register(username, PASSWORD).await;
        self.signed_in(id, username).await
    }

    /// [`TestApp::user`] made staff (not superuser) in the store, as Django's admin does.
    pub(crate) async fn staff(&self, username: &str) -> Caller<'_> {
        let caller = self.user(username).await;
        let update = UserUpdate {
            is_staff: Some(true),
            ..UserUpdate::default()
        };
        self.store()
            .accounts()
            .update_user(caller.id, &update)
            .await
            .expect("the staff flag is set");
        caller
    }

    /// A staff superuser created as `createsuperuser` creates it (password [`PASSWORD`]),
    /// signed in at `/api-token-auth/`.
    pub(crate) async fn superuser(&self, username: &str) -> Caller<'_> {
        let email = format!("{username}@example.com");
        let id = portcullis_server::accounts::manage::create_superuser(
            &self.state,
            username,
            &email,
            Some(PASSWORD),
        )
        .await
        .expect("the superuser is created")
        .id;
        self.signed_in(id, username).await
    }

    /// A user registered over HTTP with [`PASSWORD`] and signed in with simplejwt.
    pub(crate) async fn jwt_user(&self, username: &str) -> JwtCaller<'_> {
        let id = self.register(username, PASSWORD).await;
        JwtCaller::sign_in(self, id, username).await
    }

    /// The registered user `id` signed in at `/api-token-auth/` with [`PASSWORD`].
    async fn signed_in(&self, id: i64, username: &str) -> Caller<'_> {
        let token = self.token(username, PASSWORD).await;
        Caller::new(self, id, username, token)
    }

    /// `POST /auth/jwt/create/`, which must succeed: `(refresh, access)`.
    pub(crate) async fn jwt_pair(&self, username: &str, password: &str) -> (String, String) {
        let res = self
            .anon()
            .post("/auth/jwt/create/", credentials(username, password))
            .await;
        assert_eq!(res.status, StatusCode::OK, "jwt create: {}", res.text);
        (res.str("refresh"), res.str("access"))
    }

    /// The user `id` as stored (`None` once deleted).
    pub(crate) async fn stored_user(&self, id: i64) -> Option<User> {
        self.store()
            .accounts()
            .user_by_id(id)
            .await
            .expect("read the user")
    }

    /// Set `is_active` in the store, as Django's admin does.
    pub(crate) async fn set_active(&self, id: i64, active: bool) {
        let update = UserUpdate {
            is_active: Some(active),
            ..UserUpdate::default()
        };
        self.store()
            .accounts()
            .update_user(id, &update)
            .await
            .expect("update the user");
    }

    pub(crate) async fn deactivate(&self, id: i64) {
        self.set_active(id, false).await;
    }

    pub(crate) async fn user_count(&self) -> u64 {
        self.store()
            .accounts()
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
