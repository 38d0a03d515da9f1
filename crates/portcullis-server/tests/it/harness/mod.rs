//! The harness of the HTTP tests. [`TestApp`] is the application over one SQLite file;
//! [`Client`] sends requests to it with an identity (anonymous, a DRF token, a JWT access
//! token); [`Response`] is an answer read to the end. The layers `admin`, `resources` and `jwt`
//! dereference to `TestApp` and add what their tests share.

pub mod admin;
mod app;
mod client;
pub mod jwt;
pub mod jwt_keys;
pub mod resources;
mod response;
pub mod world;

use portcullis_server::Config;
use serde_json::{Value, json};

pub use app::TestApp;
pub use client::Client;
pub use response::Response;

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
