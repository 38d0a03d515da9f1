//! `/client/settings.json`: the project's settings the built-in web app follows (which login,
//! simplejwt's header keyword, `USERNAME_FIELD`, djoser's `LOGIN_FIELD`, `REQUIRED_FIELDS`,
//! `USER_CREATE_PASSWORD_RETYPE`, `SEND_ACTIVATION_EMAIL`, `PASSWORD_RESET_CONFIRM_RETYPE`), read
//! from the configuration.

use crate::harness::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use portcullis_server::Config;
use portcullis_server::config::{AuthenticationClass, LoginField, UrlPattern, UserField};
use serde_json::json;

fn get() -> Request<Body> {
    Request::builder()
        .uri("/client/settings.json")
        .header("Host", "localhost")
        .body(Body::empty())
        .expect("request")
}

fn include(module: &str) -> UrlPattern {
    UrlPattern {
        path: "auth/".into(),
        include: Some(module.into()),
        ..UrlPattern::default()
    }
}

#[tokio::test]
async fn the_built_in_profile_logs_in_with_a_drf_token_and_a_username() {
    let app = TestApp::new().await;
    let res = app.send(get()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(
        res.json,
        json!({
            "auth": "token", "jwt_header_type": "Bearer", "username_field": "username",
            "login_field": "username", "required_fields": ["email"],
            "user_create_password_retype": false, "send_activation_email": false,
            "password_reset_confirm_retype": false
        })
    );
}

#[tokio::test]
async fn an_email_user_model_with_jwts_only_is_described_as_such() {
    let mut config = Config {
        authentication_classes: vec![AuthenticationClass::Jwt],
        urls: vec![include("djoser.urls"), include("djoser.urls.jwt")],
        ..Config::default()
    };
    config.user_model.username_field = LoginField::Email;
    config.user_model.required_fields = vec![UserField::FirstName, UserField::LastName];
    config.djoser.user_create_password_retype = true;
    config.djoser.send_activation_email = true;
    config.djoser.password_reset_confirm_retype = true;
    config.jwt.auth_header_types = vec!["JWT".into()];
    let app = TestApp::with_config(config).await;
    assert_eq!(
        app.send(get()).await.json,
        json!({
            "auth": "jwt", "jwt_header_type": "JWT", "username_field": "email",
            "login_field": "email", "required_fields": ["first_name", "last_name"],
            "user_create_password_retype": true, "send_activation_email": true,
            "password_reset_confirm_retype": true
        })
    );
}

#[tokio::test]
async fn the_first_class_with_a_login_in_the_layout_decides() {
    // TokenAuthentication first, but djoser's token URLs are not in the layout: JWTs.
    let config = Config {
        authentication_classes: vec![AuthenticationClass::Token, AuthenticationClass::Jwt],
        urls: vec![include("djoser.urls"), include("djoser.urls.jwt")],
        ..Config::default()
    };
    let app = TestApp::with_config(config).await;
    assert_eq!(app.send(get()).await.json["auth"], "jwt");
    // Neither login is reachable: null, and the web app says so.
    let config = Config {
        authentication_classes: vec![AuthenticationClass::Jwt],
        urls: vec![include("djoser.urls"), include("djoser.urls.authtoken")],
        ..Config::default()
    };
    let app = TestApp::with_config(config).await;
    assert_eq!(app.send(get()).await.json["auth"], json!(null));
}

#[tokio::test]
async fn only_get_and_head_are_allowed() {
    let app = TestApp::new().await;
    let req = Request::builder()
        .method("POST")
        .uri("/client/settings.json")
        .header("Host", "localhost")
        .body(Body::empty())
        .expect("request");
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.header("allow").as_deref(), Some("GET, HEAD"));
}
