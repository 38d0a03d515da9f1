//! `/auth/token/logout/` (djoser's token logout, with and without the trailing slash): logout
//! deletes the key, and the next login mints a new one.

use axum::http::StatusCode;
use serde_json::json;

use super::{LOGIN, LOGOUT, assert_view_headers};
use crate::harness::*;

#[tokio::test]
async fn logout_deletes_the_token_and_the_next_login_mints_a_new_one() {
    let app = TestApp::new().await;
    app.register("alice", PASSWORD).await;
    let first = app.login(LOGIN, "alice", PASSWORD).await.json["auth_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.with_key(&first).get("/auth/users/me/").await.status,
        StatusCode::OK
    );

    let res = app.with_key(&first).call("POST", LOGOUT, None).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.body.is_empty());
    assert_view_headers(&res);

    let res = app.with_key(&first).get("/auth/users/me/").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, json!({ "detail": "Invalid token." }));
    assert_eq!(res.header("www-authenticate").as_deref(), Some("Token"));

    let again = app.with_key(&first).call("POST", LOGOUT, None).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(again.json, json!({ "detail": "Invalid token." }));
    assert_view_headers(&again);

    let anonymous = app.anon().send("POST", LOGOUT, &[], None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.json,
        json!({ "detail": "Authentication credentials were not provided." })
    );
    assert_eq!(
        anonymous.header("www-authenticate").as_deref(),
        Some("Token")
    );

    let res = app.login(LOGIN, "alice", PASSWORD).await;
    let second = res.json["auth_token"].as_str().unwrap().to_string();
    assert!(is_token_key(&second));
    assert_ne!(second, first);
    assert_eq!(app.token("alice", PASSWORD).await, second);
    assert_eq!(
        app.with_key(&second).get("/auth/users/me/").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn logout_without_the_slash_and_with_a_body() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    // The body is not read: anything goes, even what would not parse.
    let auth = format!("Token {}", alice.token);
    let headers: &[(&str, &[u8])] = &[
        ("authorization", auth.as_bytes()),
        ("content-type", b"application/json"),
    ];
    let res = app
        .anon()
        .raw("POST", "/auth/token/logout", headers, "{oops")
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        alice.get("/auth/users/me/").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn logout_of_one_user_leaves_the_others_logged_in() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    assert_ne!(alice.token, bob.token);
    let res = alice.call("POST", LOGOUT, None).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(bob.get("/auth/users/me/").await.status, StatusCode::OK);
}
