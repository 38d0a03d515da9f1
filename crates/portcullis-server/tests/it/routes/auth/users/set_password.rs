//! `POST /auth/users/set_password/`: djoser's password change. The current password must be
//! right before the new one is checked by Django's validators; success is an empty 204, the old
//! password stops working, the new one works and the token survives. A failed attempt changes
//! nothing.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

const PATH: &str = "/auth/users/set_password/";

fn assert_view_headers(res: &Response) {
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_POST));
    assert_eq!(res.vary().as_deref(), Some("accept, origin"));
}

fn change(current: &str, new: &str) -> Option<Value> {
    Some(json!({ "current_password": current, "new_password": new }))
}

#[tokio::test]
async fn success_is_204_and_the_token_survives() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;

    let res = alice
        .call("POST", PATH, change(PASSWORD, NEW_PASSWORD))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.body.is_empty());
    assert_eq!(res.header("content-type"), None);
    assert_view_headers(&res);
    assert!(
        app.stored_user(alice.id)
            .await
            .unwrap()
            .password
            .starts_with("argon2$argon2id$")
    );

    let old = app.login("/api-token-auth/", "alice", PASSWORD).await;
    assert_eq!(old.status, StatusCode::BAD_REQUEST);
    assert_eq!(old.json, json!({ "non_field_errors": [UNABLE] }));
    assert_eq!(app.token("alice", NEW_PASSWORD).await, alice.token);
    assert_eq!(alice.get("/auth/users/me/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn failures_use_djoser_messages_and_change_nothing() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let hash = app.stored_user(alice.id).await.unwrap().password;
    let required = "This field is required.";
    let cases = [
        (
            change("wrong-pass-1", NEW_PASSWORD),
            json!({ "current_password": ["Invalid password."] }),
        ),
        // The current password is checked first; the new one is not looked at until it is right.
        (
            change("wrong-pass-1", "123"),
            json!({ "current_password": ["Invalid password."] }),
        ),
        (
            change(PASSWORD, "123"),
            json!({ "new_password": [
                "This password is too short. It must contain at least 8 characters.",
                "This password is too common.",
                "This password is entirely numeric.",
            ]}),
        ),
        (
            change(PASSWORD, "alice_7x"),
            json!({ "new_password": ["The password is too similar to the username."] }),
        ),
        (
            Some(json!({})),
            json!({ "current_password": [required], "new_password": [required] }),
        ),
        (
            None,
            json!({ "current_password": [required], "new_password": [required] }),
        ),
        (
            Some(json!({ "current_password": PASSWORD, "new_password": "" })),
            json!({ "new_password": ["This field may not be blank."] }),
        ),
        (
            Some(json!({ "current_password": null, "new_password": ["x"] })),
            json!({
                "current_password": ["This field may not be null."],
                "new_password": ["Not a valid string."],
            }),
        ),
        (
            Some(json!([PASSWORD, NEW_PASSWORD])),
            json!({ "non_field_errors": ["Invalid data. Expected a dictionary, but got list."] }),
        ),
        // Passwords are compared exactly as sent.
        (
            change(&format!("{PASSWORD} "), NEW_PASSWORD),
            json!({ "current_password": ["Invalid password."] }),
        ),
    ];
    for (body, expected) in cases {
        let res = alice.call("POST", PATH, body.clone()).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body:?}");
        assert_eq!(res.json, expected, "{body:?}");
        assert_view_headers(&res);
    }
    assert_eq!(app.stored_user(alice.id).await.unwrap().password, hash);
    assert_eq!(app.token("alice", PASSWORD).await, alice.token);
}

#[tokio::test]
async fn the_new_password_is_kept_exactly_as_sent() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let spaced = format!(" {NEW_PASSWORD} ");
    let res = alice.call("POST", PATH, change(PASSWORD, &spaced)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let trimmed = app.login("/api-token-auth/", "alice", NEW_PASSWORD).await;
    assert_eq!(trimmed.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.token("alice", &spaced).await, alice.token);
}

#[tokio::test]
async fn anonymous_and_bad_tokens_are_401_and_get_is_405() {
    let app = TestApp::new().await;
    let res = app
        .anon()
        .send("POST", PATH, &[], change(PASSWORD, NEW_PASSWORD))
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        res.json,
        json!({ "detail": "Authentication credentials were not provided." })
    );
    assert_eq!(res.header("www-authenticate").as_deref(), Some("Token"));
    assert_view_headers(&res);

    let res = app
        .with_key(&"0".repeat(40))
        .call("POST", PATH, change(PASSWORD, NEW_PASSWORD))
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, json!({ "detail": "Invalid token." }));

    // A 401 comes before a 405.
    let res = app.anon().get(PATH).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let alice = app.user("alice").await;
    let res = alice.get(PATH).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.json, json!({ "detail": "Method \"GET\" not allowed." }));
    assert_view_headers(&res);
}

#[tokio::test]
async fn an_inactive_user_cannot_change_its_password() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let hash = app.stored_user(alice.id).await.unwrap().password;
    app.deactivate(alice.id).await;
    let res = alice
        .call("POST", PATH, change(PASSWORD, NEW_PASSWORD))
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, json!({ "detail": "User inactive or deleted." }));
    assert_eq!(app.stored_user(alice.id).await.unwrap().password, hash);
}
