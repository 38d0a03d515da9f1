//! `/auth/token/login/` (djoser's token login, with and without the trailing slash): login
//! answers `{"auth_token"}` with the user's one key and records `last_login`; every failure is
//! the same "Unable to log in with provided credentials."; other methods are 405.

use axum::http::StatusCode;
use serde_json::json;

use super::{LOGIN, LOGOUT, assert_view_headers};
use crate::harness::*;

fn assert_unable(res: &Response) {
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!({ "non_field_errors": [UNABLE] }));
    assert_view_headers(res);
}

#[tokio::test]
async fn login_returns_the_token_made_at_registration_and_records_last_login() {
    let app = TestApp::new().await;
    let id = app.register("alice", PASSWORD).await;
    let key = app.token("alice", PASSWORD).await;
    assert_eq!(app.stored_user(id).await.unwrap().last_login, None);

    let res = app.login(LOGIN, "alice", PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_view_headers(&res);
    assert_eq!(res.json, json!({ "auth_token": key }));
    let last_login = app.stored_user(id).await.unwrap().last_login.unwrap();
    assert!(last_login.starts_with("20"), "{last_login}");

    // djoser's pattern is `^token/login/?$`: the bare URL routes too (no redirect).
    let res = app.login("/auth/token/login", "alice", PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json, json!({ "auth_token": key }));

    let form = app
        .anon()
        .form("POST", LOGIN, "username=alice&password=kV7%23mountain-Lamp")
        .await;
    assert_eq!(form.json, json!({ "auth_token": key }));
}

#[tokio::test]
async fn every_failed_login_looks_the_same() {
    let app = TestApp::new().await;
    let id = app.register("alice", PASSWORD).await;

    assert_unable(&app.login(LOGIN, "alice", "wrong-pass-1").await);
    assert_unable(&app.login(LOGIN, "ghost", PASSWORD).await);
    assert_unable(&app.login(LOGIN, "Alice", PASSWORD).await);
    assert_unable(&app.login(LOGIN, "alice", &format!("{PASSWORD} ")).await);
    // Both fields are optional in djoser's serializer: a missing one is a failed login.
    for body in [
        json!({}),
        json!({ "username": "alice" }),
        json!({ "password": PASSWORD }),
    ] {
        assert_unable(&app.anon().send("POST", LOGIN, &[], Some(body)).await);
    }
    assert_unable(&app.anon().send("POST", LOGIN, &[], None).await);

    app.deactivate(id).await;
    assert_unable(&app.login(LOGIN, "alice", PASSWORD).await);
    assert_eq!(app.stored_user(id).await.unwrap().last_login, None);
}

#[tokio::test]
async fn field_errors_still_come_first() {
    let app = TestApp::new().await;
    let cases = [
        (
            json!({ "username": "", "password": "x" }),
            json!({ "username": ["This field may not be blank."] }),
        ),
        (
            json!({ "username": null, "password": true }),
            json!({
                "password": ["Not a valid string."],
                "username": ["This field may not be null."],
            }),
        ),
        (
            json!("alice"),
            json!({ "non_field_errors": ["Invalid data. Expected a dictionary, but got str."] }),
        ),
    ];
    for (body, expected) in cases {
        let res = app
            .anon()
            .send("POST", LOGIN, &[], Some(body.clone()))
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(res.json, expected, "{body}");
        assert_view_headers(&res);
    }
}

#[tokio::test]
async fn other_methods_are_405_after_authentication() {
    let app = TestApp::new().await;
    for path in [LOGIN, "/auth/token/login"] {
        let res = app.anon().send("GET", path, &[], None).await;
        assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(res.json, json!({ "detail": "Method \"GET\" not allowed." }));
        assert_view_headers(&res);
    }
    // Logout needs a user, so an anonymous GET is a 401 before it is a 405.
    let res = app.anon().send("GET", LOGOUT, &[], None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let alice = app.user("alice").await;
    let res = alice.get(LOGOUT).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.json, json!({ "detail": "Method \"GET\" not allowed." }));
    assert_view_headers(&res);
    assert_eq!(alice.get("/auth/users/me/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn options_on_login_describes_both_optional_fields() {
    let app = TestApp::new().await;
    let res = app.anon().send("OPTIONS", LOGIN, &[], None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_view_headers(&res);
    assert_eq!(res.json["name"], json!("Token Create"));
    let field = |label: &str| json!({ "type": "string", "required": false, "read_only": false, "label": label });
    assert_eq!(
        res.json["actions"],
        json!({ "POST": { "password": field("Password"), "username": field("Username") } })
    );
}

/// PostgreSQL's text cannot hold a NUL, and refuses one even as a query parameter: a name with
/// one logs nobody in, with DRF's 400 on every database (it was a server error on PostgreSQL):
/// CharField's "Null characters are not allowed."
#[tokio::test]
async fn a_name_holding_a_nul_logs_nobody_in() {
    let app = TestApp::new().await;
    app.register("alice", PASSWORD).await;
    for name in ["al\0ice", "\0"] {
        let reply = app.login(LOGIN, name, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{name:?}");
        assert_eq!(
            reply.json,
            json!({"username": ["Null characters are not allowed."]}),
            "{name:?}"
        );
    }
}
