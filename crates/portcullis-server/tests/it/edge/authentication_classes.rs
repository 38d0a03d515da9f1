//! `authentication_classes` (DRF's `DEFAULT_AUTHENTICATION_CLASSES`) and `[jwt]
//! auth_header_types` (simplejwt's `AUTH_HEADER_TYPES`): which headers authenticate, and the
//! challenge a 401 carries, as a project configured that way answers.

use crate::harness::jwt::App;
use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::config::AuthenticationClass;
use serde_json::json;

const NOT_PROVIDED: &str = "Authentication credentials were not provided.";

/// Register `username` and return its DRF token and a JWT access token.
async fn credentials_of(app: &App, username: &str) -> (String, String) {
    let caller = app.user(username).await;
    let access = caller.jwt().await.access.clone();
    (caller.token.clone(), access)
}

async fn me(app: &App, authorization: String) -> Response {
    app.authorized(&authorization).get("/auth/users/me/").await
}

#[tokio::test]
async fn jwt_only_with_the_jwt_keyword() {
    let app = App::with(|c| {
        c.authentication_classes = vec![AuthenticationClass::Jwt];
        c.jwt.auth_header_types = vec!["JWT".into()];
    })
    .await;
    let (token, access) = credentials_of(&app, "ann").await;

    assert_eq!(
        me(&app, format!("JWT {access}")).await.str("username"),
        "ann"
    );
    // Another keyword is no JWT header at all: anonymous, challenged with the configured type.
    for value in [
        format!("Bearer {access}"),
        format!("jwt {access}"),
        format!("Token {token}"),
    ] {
        let res = me(&app, value.clone()).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{value}");
        assert_eq!(res.json, json!({"detail": NOT_PROVIDED}), "{value}");
        assert_eq!(
            res.header("www-authenticate").as_deref(),
            Some("JWT realm=\"api\"")
        );
    }
    let res = me(&app, "JWT".into()).await;
    assert_eq!(
        res.str("detail"),
        "Authorization header must contain two space-delimited values"
    );
    // simplejwt's own views challenge with the configured type too.
    let res = app
        .anon()
        .post(
            "/auth/jwt/create/",
            json!({"username": "ann", "password": "wrong"}),
        )
        .await;
    assert_eq!(
        res.header("www-authenticate").as_deref(),
        Some("JWT realm=\"api\"")
    );
}

#[tokio::test]
async fn the_first_class_gives_the_challenge_and_both_still_authenticate() {
    let app = App::with(|c| {
        c.authentication_classes = vec![AuthenticationClass::Jwt, AuthenticationClass::Token];
    })
    .await;
    let (token, access) = credentials_of(&app, "ann").await;
    for value in [format!("Token {token}"), format!("Bearer {access}")] {
        let res = app.authorized(&value).get("/auth/users/me/").await;
        assert_eq!(res.status, StatusCode::OK, "{value}");
    }
    let res = app.anon().get("/auth/users/me/").await;
    assert_eq!(
        res.header("www-authenticate").as_deref(),
        Some("Bearer realm=\"api\"")
    );
    let res = app.authorized("Token 0123").get("/auth/users/me/").await;
    assert_eq!(res.json, json!({"detail": "Invalid token."}));
    assert_eq!(
        res.header("www-authenticate").as_deref(),
        Some("Bearer realm=\"api\"")
    );
}

#[tokio::test]
async fn without_classes_every_request_is_anonymous_and_401_becomes_403() {
    let app = App::with(|c| c.authentication_classes = Vec::new()).await;
    let (token, _) = credentials_of(&app, "ann").await;
    let res = app
        .authorized(&format!("Token {token}"))
        .get("/auth/users/me/")
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.json, json!({"detail": NOT_PROVIDED}));
    assert_eq!(res.header("www-authenticate"), None);
}

#[test]
fn bad_settings_are_refused_before_start() {
    let mut config = portcullis_server::Config {
        authentication_classes: vec![AuthenticationClass::Token, AuthenticationClass::Token],
        ..Default::default()
    };
    config.jwt.auth_header_types = vec!["Token".into(), "Two words".into()];
    let problems: Vec<String> = config.problems().iter().map(|p| p.to_string()).collect();
    for expected in [
        "authentication_classes: TokenAuthentication is listed twice",
        "jwt.auth_header_types: \"Token\" cannot be an Authorization keyword for JWTs",
        "jwt.auth_header_types: \"Two words\" cannot be an Authorization keyword for JWTs",
    ] {
        assert!(problems.iter().any(|p| p == expected), "{problems:?}");
    }
    config.jwt.auth_header_types = Vec::new();
    assert!(
        config
            .problems()
            .iter()
            .any(|p| p.to_string() == "jwt.auth_header_types: must name at least one keyword")
    );
}
