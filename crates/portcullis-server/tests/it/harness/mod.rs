//! The harness of the HTTP tests. [`TestApp`] is the application over one database (a SQLite
//! file, or a PostgreSQL database of its own with `PORTCULLIS_TEST_DATABASE_URL`);
//! [`Client`] sends requests to it with an identity (anonymous, a DRF token, a JWT access
//! token); a [`Caller`] or [`JwtCaller`] is a registered user with its client, so that a test
//! says who asks once; [`Response`] is an answer read to the end. The layers `admin`, `resources` and `jwt`
//! dereference to `TestApp` and add what their tests share.

pub(crate) mod admin;
mod app;
mod caller;
mod client;
pub(crate) mod db;
pub(crate) mod jwt;
pub(crate) mod jwt_keys;
pub(crate) mod redis_server;
pub(crate) mod resources;
mod response;
pub(crate) mod smtp_server;
pub(crate) mod world;

use portcullis_server::Config;
use serde_json::{Value, json};

pub(crate) use app::TestApp;
pub(crate) use caller::{Caller, JwtCaller};
pub(crate) use client::Client;
pub(crate) use response::Response;

/// A password that passes Django's four validators (the oracle scenarios' own).
pub(crate) const PASSWORD: &str = "kV7#mountain-Lamp";
/// A second valid password, for changes.
pub(crate) const NEW_PASSWORD: &str = "Qz9!river-Stone-42";
/// The server secret of every test application (siblings may be given another).
pub(crate) const SECRET: &[u8] = b"integration tests' server secret, over 32 bytes";

/// djoser's view of the requesting user.
pub(crate) const ME: &str = "/auth/users/me/";

/// DRF's answer to every failed login.
pub(crate) const UNABLE: &str = "Unable to log in with provided credentials.";

/// The `Allow` of the views, as DRF lists them (sorted).
pub(crate) const ALLOW_POST: &str = "OPTIONS, POST";
pub(crate) const ALLOW_LIST: &str = "GET, HEAD, OPTIONS, POST";
pub(crate) const ALLOW_DETAIL: &str = "DELETE, GET, HEAD, OPTIONS, PATCH, PUT";

/// A login body.
pub(crate) fn credentials(username: &str, password: &str) -> Value {
    json!({ "username": username, "password": password })
}

/// `Token <key>`, DRF's `Authorization` value.
pub(crate) fn token_auth(token: &str) -> String {
    format!("Token {token}")
}

/// `Bearer <access>`, simplejwt's `Authorization` value.
pub(crate) fn bearer(access: &str) -> String {
    format!("Bearer {access}")
}

/// `config` with a login rate no test reaches, for tests that send many logins on purpose
/// (every request of a `oneshot` test comes from the same client).
pub(crate) fn with_many_logins(mut config: Config) -> Config {
    config
        .throttle
        .rates
        .insert("login".into(), "100000/min".into());
    config
}

/// The default configuration with a login rate no test reaches.
pub(crate) fn many_logins() -> Config {
    with_many_logins(Config::default())
}

/// DRF's format: 40 lowercase hex characters.
pub(crate) fn is_token_key(key: &str) -> bool {
    key.len() == 40 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
