//! `/api/auth/…`: django-rest-knox's views (`include = "knox.urls"`) mounted where a knox
//! project mounts them, beside the default layout. What the files share is here.

mod knox;
mod knox_sessions;
mod knox_settings;

use portcullis_server::Config;
use portcullis_server::config::{AuthenticationClass, UrlPattern};
use serde_json::Value;

use crate::harness::{Client, PASSWORD, Response, TestApp, credentials};

const LOGIN: &str = "/api/auth/login/";
const LOGOUT: &str = "/api/auth/logout/";
const LOGOUT_ALL: &str = "/api/auth/logoutall/";

/// knox's "Invalid token." and its challenge, as every refused token is answered.
fn assert_invalid(reply: &Response, challenge: &str) {
    assert_eq!(reply.status.as_u16(), 401, "{}", reply.text);
    assert_eq!(reply.json, serde_json::json!({"detail": "Invalid token."}));
    assert_eq!(reply.header("www-authenticate").as_deref(), Some(challenge));
}

fn entry(path: &str, include: Option<&str>, view: Option<&str>) -> UrlPattern {
    UrlPattern {
        path: path.into(),
        include: include.map(Into::into),
        view: view.map(Into::into),
        ..UrlPattern::default()
    }
}

/// The default layout with knox's URLs under `api/auth/`; knox's class authenticates first
/// (keyword `Token`), simplejwt's after it. `change` adjusts the rest.
fn knox_config(change: impl FnOnce(&mut Config)) -> Config {
    let mut config = Config {
        urls: vec![
            entry("api-token-auth/", None, Some("obtain_auth_token")),
            entry("auth/", Some("djoser.urls"), None),
            entry("auth/", Some("djoser.urls.authtoken"), None),
            entry("auth/", Some("djoser.urls.jwt"), None),
            entry("auth/logout_all/", None, Some("logout_all")),
            entry("api/auth/", Some("knox.urls"), None),
        ],
        authentication_classes: vec![AuthenticationClass::Knox, AuthenticationClass::Jwt],
        ..Config::default()
    };
    change(&mut config);
    config
}

/// A knox login of `username` with [`PASSWORD`], whatever the answer.
async fn knox_login(app: &TestApp, username: &str) -> Response {
    app.anon()
        .post(LOGIN, credentials(username, PASSWORD))
        .await
}

/// A knox login that must succeed: the token.
async fn knox_token(app: &TestApp, username: &str) -> String {
    let reply = knox_login(app, username).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text);
    text(&reply.json["token"])
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

/// A client sending `Token <token>`.
fn knox<'a>(app: &'a TestApp, token: &str) -> Client<'a> {
    app.authorized(&format!("Token {token}"))
}
