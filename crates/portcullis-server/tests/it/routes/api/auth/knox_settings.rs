//! `[knox]`: TOKEN_TTL (an expired token refused and deleted; none, never expiring),
//! TOKEN_LIMIT_PER_USER, AUTO_REFRESH with MIN_REFRESH_INTERVAL, TOKEN_PREFIX,
//! AUTH_HEADER_PREFIX beside DRF's own tokens, and USER_SERIALIZER.
#![allow(clippy::unwrap_used)]

use axum::http::StatusCode;
use serde_json::json;

use super::*;
use crate::harness::db::Arg;
use crate::harness::{ME, TestApp};

async fn knox_rows(app: &TestApp) -> i64 {
    let db = app.sql().await;
    let n = db.int("SELECT COUNT(*) FROM knox_authtoken", &[]).await;
    db.close().await;
    n
}

#[tokio::test]
async fn an_expired_token_is_refused_and_deleted() {
    // A TTL of 0: the token expires the moment it is made.
    let app = TestApp::with_config(knox_config(|c| c.knox.token_ttl = Some(0))).await;
    app.register("ann", PASSWORD).await;
    let token = knox_token(&app, "ann").await;
    assert_eq!(knox_rows(&app).await, 1);
    assert_invalid(&knox(&app, &token).get(ME).await, "Token");
    assert_eq!(knox_rows(&app).await, 0);
}

#[tokio::test]
async fn without_a_ttl_tokens_never_expire_and_the_limit_does_not_count_them() {
    let app = TestApp::with_config(knox_config(|c| {
        c.knox.token_ttl = None;
        c.knox.token_limit_per_user = Some(1);
    }))
    .await;
    app.register("ann", PASSWORD).await;
    let reply = knox_login(&app, "ann").await;
    assert_eq!(reply.json["expiry"], json!(null));
    // knox counts only tokens with an expiry after now.
    let second = knox_token(&app, "ann").await;
    assert_eq!(knox(&app, &second).get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_limit_refuses_a_login_until_a_token_is_gone() {
    let app = TestApp::with_config(knox_config(|c| c.knox.token_limit_per_user = Some(2))).await;
    app.register("ann", PASSWORD).await;
    app.register("bob", PASSWORD).await;
    let first = knox_token(&app, "ann").await;
    knox_token(&app, "ann").await;
    let over = knox_login(&app, "ann").await;
    assert_eq!(over.status, StatusCode::FORBIDDEN);
    assert_eq!(
        over.json,
        json!({"error": "Maximum amount of tokens allowed per user exceeded."})
    );
    assert_eq!(knox_rows(&app).await, 2);
    // Per user: bob still logs in.
    knox_token(&app, "bob").await;
    let out = knox(&app, &first).post(LOGOUT, json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    knox_token(&app, "ann").await;
}

async fn expiry_of(app: &TestApp) -> String {
    let db = app.sql().await;
    let rows = db.texts("SELECT expiry FROM knox_authtoken", &[]).await;
    db.close().await;
    rows.into_iter().next().unwrap()
}

async fn set_expiry(app: &TestApp, expiry: &str) {
    let db = app.sql().await;
    db.execute("UPDATE knox_authtoken SET expiry = ?", &[Arg::from(expiry)])
        .await;
    db.close().await;
}

/// `now + seconds` in the storage format.
fn stored_in(seconds: i64) -> String {
    let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds);
    let format = time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]"
    );
    at.format(&format).unwrap()
}

#[tokio::test]
async fn auto_refresh_moves_the_expiry_on_use_but_not_by_less_than_the_interval() {
    // The test moves expiries in the database behind the server: no authentication cache.
    let app = TestApp::with_config(knox_config(|c| {
        c.knox.auto_refresh = true;
        c.limits.auth_cache_ms = 0;
    }))
    .await;
    app.register("ann", PASSWORD).await;
    let token = knox_token(&app, "ann").await;
    // An hour left: a use moves it to ten hours from now.
    set_expiry(&app, &stored_in(3600)).await;
    assert_eq!(knox(&app, &token).get(ME).await.status, StatusCode::OK);
    assert!(expiry_of(&app).await > stored_in(9 * 3600), "renewed");
    // Twenty seconds short of the TTL: under MIN_REFRESH_INTERVAL, nothing is written.
    let near = stored_in(10 * 3600 - 20);
    set_expiry(&app, &near).await;
    assert_eq!(knox(&app, &token).get(ME).await.status, StatusCode::OK);
    assert_eq!(expiry_of(&app).await, near);
    // An expired token is not renewed: it is refused.
    set_expiry(&app, "2000-01-01 00:00:00.000000").await;
    assert_invalid(&knox(&app, &token).get(ME).await, "Token");
}

#[tokio::test]
async fn without_auto_refresh_a_use_leaves_the_expiry_alone() {
    let app = TestApp::with_config(knox_config(|c| c.limits.auth_cache_ms = 0)).await;
    app.register("ann", PASSWORD).await;
    let token = knox_token(&app, "ann").await;
    let soon = stored_in(3600);
    set_expiry(&app, &soon).await;
    assert_eq!(knox(&app, &token).get(ME).await.status, StatusCode::OK);
    assert_eq!(expiry_of(&app).await, soon);
}

#[tokio::test]
async fn a_prefix_and_a_keyword_of_their_own_keep_drf_tokens_working_beside_knox() {
    let app = TestApp::with_config(knox_config(|c| {
        c.knox.token_prefix = "app_".into();
        c.knox.auth_header_prefix = "Knox".into();
        c.authentication_classes = vec![AuthenticationClass::Token, AuthenticationClass::Knox];
    }))
    .await;
    let ann = app.user("ann").await;
    let token = knox_token(&app, "ann").await;
    assert!(token.starts_with("app_") && token.len() == 68);
    let with_knox = app.authorized(&format!("knox {token}")).get(ME).await;
    assert_eq!(with_knox.status, StatusCode::OK, "{}", with_knox.text);
    // DRF's class owns `Token`: a knox token there is DRF's invalid token.
    assert_invalid(&knox(&app, &token).get(ME).await, "Token");
    assert_eq!(
        app.with_key(&ann.token).get(ME).await.status,
        StatusCode::OK
    );
    // knox's own views challenge with knox's keyword.
    let anonymous = app.anon().post(LOGOUT, json!({})).await;
    assert_eq!(
        anonymous.header("www-authenticate").as_deref(),
        Some("Knox")
    );
    let out = app
        .authorized(&format!("Knox {token}"))
        .post(LOGOUT, json!({}))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.with_key(&ann.token).get(ME).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn user_serializer_adds_the_user_as_djoser_renders_it() {
    let app = TestApp::with_config(knox_config(|c| {
        c.knox.user_serializer = Some("user".into());
    }))
    .await;
    let id = app.register("ann", PASSWORD).await;
    let reply = knox_login(&app, "ann").await;
    let keys: Vec<&String> = reply.json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["expiry", "token", "user"]);
    assert_eq!(
        reply.json["user"],
        json!({"email": "ann@example.com", "id": id, "username": "ann"})
    );
}

#[test]
fn bad_settings_are_refused_at_start() {
    let config = knox_config(|c| {
        c.knox.token_prefix = "much_too_long".into();
        c.knox.user_serializer = Some("UserSerializer".into());
    });
    let keys: Vec<String> = config.problems().into_iter().map(|p| p.key).collect();
    assert!(keys.contains(&"knox.token_prefix".to_string()), "{keys:?}");
    assert!(
        keys.contains(&"knox.user_serializer".to_string()),
        "{keys:?}"
    );
}
