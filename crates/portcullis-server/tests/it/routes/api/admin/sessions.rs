//! What signs a user in, as the console manages it: deactivation (every token refused on the
//! very next request, and for good), the sessions list (the DRF token's existence and age —
//! never its key — and the JWT refresh tokens), revoking everything at once, and setting a
//! password with Django's validators.

use crate::harness::admin::AdminApp;
use crate::harness::{ME, NEW_PASSWORD, PASSWORD};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn deactivation_refuses_every_token_on_the_next_request() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let ann = app.user("ann").await;
    let id = ann.id;
    let ann_jwt = ann.jwt().await;
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
    assert_eq!(ann_jwt.get(ME).await.status, StatusCode::OK);

    let path = format!("/api/admin/users/{id}/");
    let reply = admin.patch(&path, json!({"is_active": false})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json["is_active"], false);

    assert_eq!(ann.get(ME).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(ann_jwt.get(ME).await.status, StatusCode::UNAUTHORIZED);
    let reply = app
        .anon()
        .post("/auth/jwt/refresh/", json!({"refresh": &ann_jwt.refresh}))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    assert_eq!(
        app.login("ann", PASSWORD).await.status,
        StatusCode::BAD_REQUEST
    );

    // Reactivated, the user logs in again with a new key; the old credentials stay dead.
    let reply = admin.patch(&path, json!({"is_active": true})).await;
    assert_eq!(reply.json["is_active"], true);
    let fresh = app.token("ann", PASSWORD).await;
    assert_ne!(fresh, ann.token);
    assert_eq!(app.with_key(&fresh).get(ME).await.status, StatusCode::OK);
    assert_eq!(ann.get(ME).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(ann_jwt.get(ME).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_show_the_token_and_the_refresh_tokens_but_no_secret() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let ann = app.user("ann").await;
    let id = ann.id;
    let ann_jwt = ann.jwt().await;
    let path = format!("/api/admin/users/{id}/sessions/");
    let reply = admin.get(&path).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json["user"], id);
    assert_eq!(reply.json["token"]["exists"], true);
    assert!(
        reply.json["token"]["created"]
            .as_str()
            .is_some_and(|c| c.ends_with('Z'))
    );
    assert_eq!(reply.json["jwt"]["epoch"], 0);
    let refreshes = reply.json["jwt"]["refresh_tokens"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(refreshes.len(), 1, "{}", reply.text);
    assert!(refreshes[0]["jti"].as_str().is_some_and(|j| !j.is_empty()));
    assert!(
        refreshes[0]["expires"]
            .as_str()
            .is_some_and(|e| e.ends_with('Z'))
    );
    assert_eq!(refreshes[0]["blacklisted"], serde_json::Value::Null);
    assert!(
        !reply.text.contains(&ann.token),
        "the key must never be shown"
    );
    assert!(
        !reply.text.contains(&ann_jwt.refresh),
        "nor the refresh token"
    );

    let reply = admin.get("/api/admin/users/999/sessions/").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn revoke_ends_every_session_but_the_user_may_log_in_again() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let ann = app.user("ann").await;
    let id = ann.id;
    let ann_jwt = ann.jwt().await;
    let reply = admin
        .call("POST", &format!("/api/admin/users/{id}/revoke/"), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.json["token"],
        json!({"exists": false, "created": null})
    );
    assert!(reply.json["jwt"]["epoch"].as_i64().is_some_and(|e| e >= 1));
    assert!(reply.json["jwt"]["refresh_tokens"][0]["blacklisted"].is_string());

    let reply = ann.get(ME).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.detail(), "Invalid token.");
    assert_eq!(ann_jwt.get(ME).await.status, StatusCode::UNAUTHORIZED);
    let reply = app
        .anon()
        .post("/auth/jwt/refresh/", json!({"refresh": &ann_jwt.refresh}))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let fresh = app.token("ann", PASSWORD).await;
    assert_eq!(app.with_key(&fresh).get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn set_password_checks_djangos_validators_against_the_target_user() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let id = app.user("annabelle").await.id;
    let path = format!("/api/admin/users/{id}/set_password/");
    let reply = admin.post(&path, json!({})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json, json!({"password": ["This field is required."]}));
    let reply = admin.post(&path, json!({"password": "annabelle1"})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json["password"][0],
        "The password is too similar to the username."
    );
    let reply = admin.post(&path, json!({"password": NEW_PASSWORD})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    assert_eq!(
        app.login("annabelle", PASSWORD).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.login("annabelle", NEW_PASSWORD).await.status,
        StatusCode::OK
    );
}
