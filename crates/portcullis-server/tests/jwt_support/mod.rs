//! The harness of the JWT tests: the real application (`app(state)`) on a SQLite file in a
//! temporary directory, driven with `oneshot`, plus a token forge (HMAC signing of any header
//! and payload) to play the attacker and the foreign issuer.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code, clippy::unwrap_used)]

pub mod keys;

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use http_body_util::BodyExt;
use portcullis_server::store::Store;
use portcullis_server::{AppState, Config, app};
use serde_json::{Value, json};
use tower::ServiceExt;

pub const PASSWORD: &str = "kV7#mountain-Lamp";
pub const SECRET: &[u8] = b"the JWT tests' server secret, longer than 32 bytes";
/// The HS256 signing key of [`App::new`], known to the forge.
pub const KEY: &str = "jwt tests: an HS256 signing key of more than 32 bytes";

pub struct App {
    pub state: AppState,
    router: Router,
    pub dir: tempfile::TempDir,
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn str(&self, key: &str) -> String {
        self.json[key].as_str().unwrap_or_default().to_string()
    }
}

/// The configuration of [`App::new`]: the oracle's JWT settings with a known key.
pub fn config() -> Config {
    let mut config = Config::default();
    config.jwt.signing_key = KEY.into();
    config.jwt.rotate_refresh_tokens = true;
    config.jwt.blacklist_after_rotation = true;
    config
}

impl App {
    pub async fn new() -> App {
        App::with_config(config()).await
    }

    pub async fn with(change: impl FnOnce(&mut Config)) -> App {
        let mut config = config();
        change(&mut config);
        App::with_config(config).await
    }

    pub async fn with_config(config: Config) -> App {
        assert_eq!(config.problems(), vec![], "test configuration");
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
        let store = Store::open(&url).await.unwrap();
        let state = AppState::new(config, store, SECRET);
        state.migrate_resources(false).await.unwrap();
        App {
            router: app(state.clone()),
            state,
            dir,
        }
    }

    /// Another application on the same database (another instance), with its own config and
    /// server secret.
    pub fn sibling(&self, config: Config, secret: &[u8]) -> App {
        let state = AppState::new(config, self.state.store().clone(), secret);
        App {
            router: app(state.clone()),
            state,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("db.sqlite3")
    }

    /// A request with an optional `Authorization` value and an optional JSON body.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        authorization: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "localhost");
        if let Some(auth) = authorization {
            builder = builder.header("authorization", auth);
        }
        let bytes = match body {
            Some(body) => {
                builder = builder.header("content-type", "application/json");
                serde_json::to_vec(&body).unwrap()
            }
            None => Vec::new(),
        };
        let response = self
            .router
            .clone()
            .oneshot(builder.body(Body::from(bytes)).unwrap())
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        Resp {
            status: parts.status,
            headers: parts.headers,
            json: serde_json::from_slice(&body).unwrap_or(Value::Null),
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.call("POST", path, None, Some(body)).await
    }

    /// `GET /auth/users/me/` with `Authorization: Bearer <token>`.
    pub async fn me(&self, access: &str) -> Resp {
        let auth = format!("Bearer {access}");
        self.call("GET", "/auth/users/me/", Some(&auth), None).await
    }

    /// Register a user over HTTP; its id.
    pub async fn user(&self, username: &str) -> i64 {
        let body = json!({
            "username": username,
            "password": PASSWORD,
            "email": format!("{username}@example.com"),
        });
        let res = self.post("/auth/users/", body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{:?}", res.json);
        res.json["id"].as_i64().unwrap()
    }

    /// `POST /auth/jwt/create/`, which must succeed: `(refresh, access)`.
    pub async fn pair(&self, username: &str) -> (String, String) {
        self.pair_with(username, PASSWORD).await
    }

    /// [`App::pair`] with another password.
    pub async fn pair_with(&self, username: &str, password: &str) -> (String, String) {
        let body = json!({ "username": username, "password": password });
        let res = self.post("/auth/jwt/create/", body).await;
        assert_eq!(res.status, StatusCode::OK, "{:?}", res.json);
        (res.str("refresh"), res.str("access"))
    }

    pub async fn refresh(&self, refresh: &str) -> Resp {
        self.post("/auth/jwt/refresh/", json!({ "refresh": refresh }))
            .await
    }

    pub async fn verify(&self, token: &str) -> Resp {
        self.post("/auth/jwt/verify/", json!({ "token": token }))
            .await
    }

    /// Rows of `jwt_refresh_token`: `(jti, blacklisted)`.
    pub async fn refresh_rows(&self) -> Vec<(String, bool)> {
        let url = format!("sqlite://{}", self.db_path().display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let rows: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT jti, blacklisted_at FROM jwt_refresh_token ORDER BY jti")
                .fetch_all(&pool)
                .await
                .unwrap();
        pool.close().await;
        rows.into_iter().map(|(j, b)| (j, b.is_some())).collect()
    }
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The claims of a token, unverified.
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The header of a token, unverified.
pub fn header(token: &str) -> Value {
    let header = token.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap()
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// HMAC-SHA256 of `message`, base64url.
pub fn hs256(key: &[u8], message: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(message.as_bytes());
    b64(&mac.finalize().into_bytes())
}

/// A token with this header and payload text, HS256-signed with `key` (whatever `alg` says).
pub fn forge_raw(header: &str, payload: &str, key: &[u8]) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let signature = hs256(key, &input);
    format!("{input}.{signature}")
}

/// A token with these header and claims, HS256-signed with `key`.
pub fn forge(header: Value, claims: Value, key: &[u8]) -> String {
    forge_raw(&header.to_string(), &claims.to_string(), key)
}

/// An access token for `user_id` as simplejwt would sign it with [`KEY`], plus `extra` claims
/// (a `null` in `extra` removes the claim).
pub fn access_for(user_id: i64, extra: Value) -> String {
    let mut claims = json!({
        "token_type": "access",
        "exp": now() + 300,
        "iat": now(),
        "jti": "0123456789abcdef0123456789abcdef",
        "user_id": user_id.to_string(),
    });
    if let (Some(map), Value::Object(extra)) = (claims.as_object_mut(), extra) {
        for (k, v) in extra {
            if v.is_null() {
                map.remove(&k);
            } else {
                map.insert(k, v);
            }
        }
    }
    forge(
        json!({"alg": "HS256", "typ": "JWT"}),
        claims,
        KEY.as_bytes(),
    )
}

/// simplejwt's body for an access token refused on a DRF view.
pub fn bearer_refusal(message: &str) -> Value {
    json!({
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
        "messages": [{"token_class": "AccessToken", "token_type": "access", "message": message}],
    })
}

/// simplejwt's body on its token views.
pub fn token_refusal(message: &str) -> Value {
    json!({ "detail": message, "code": "token_not_valid" })
}
