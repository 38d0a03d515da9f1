//! A `current_password` is a guess at the account's password, as a login is: each wrong one
//! (djoser's set_password, set_username, and the deletion of a user) counts toward the
//! account's failed-login limit (`throttle.failed_logins_per_account`), and once the account
//! is over it those endpoints answer the login's 429 with `Retry-After`, right password or not.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

const WRONG: &str = "not-the-password-1";

async fn app_with_limit() -> TestApp {
    let mut config = many_logins();
    config.throttle.failed_logins_per_account = "5/hour".into();
    TestApp::with_config(config).await
}

/// An endpoint that takes a `current_password`: method, path, and the body for a password.
type Endpoint = (&'static str, String, fn(&str) -> Value);

/// The endpoints that take a `current_password` (paths for the user `id`).
fn endpoints(id: i64) -> [Endpoint; 4] {
    [
        (
            "POST",
            "/auth/users/set_password/".into(),
            |current| json!({"current_password": current, "new_password": NEW_PASSWORD}),
        ),
        (
            "POST",
            "/auth/users/set_username/".into(),
            |current| json!({"current_password": current, "new_username": "renamed"}),
        ),
        (
            "DELETE",
            "/auth/users/me/".into(),
            |current| json!({"current_password": current}),
        ),
        (
            "DELETE",
            format!("/auth/users/{id}/"),
            |current| json!({"current_password": current}),
        ),
    ]
}

fn assert_throttled(res: &Response) {
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.text);
    let wait: u64 = res
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!(wait > 0);
    assert!(
        res.json["detail"]
            .as_str()
            .expect("detail")
            .starts_with("Request was throttled."),
        "{}",
        res.text
    );
}

#[tokio::test]
async fn wrong_current_passwords_lock_the_account_as_failed_logins_do() {
    for (n, (method, _, body)) in endpoints(0).into_iter().enumerate() {
        let app = app_with_limit().await;
        let alice = app.user("alice").await;
        let path = endpoints(alice.id)[n].1.clone();
        let before = app.stored_user(alice.id).await.expect("alice");
        for i in 0..5 {
            let res = alice.call(method, &path, Some(body(WRONG))).await;
            assert_eq!(res.status, StatusCode::BAD_REQUEST, "{method} {path} #{i}");
            assert_eq!(res.json["current_password"], json!(["Invalid password."]));
        }
        // The sixth, even with the right password, is refused before any check.
        let res = alice.call(method, &path, Some(body(PASSWORD))).await;
        assert_throttled(&res);
        assert_eq!(
            app.stored_user(alice.id).await.as_ref(),
            Some(&before),
            "{method} {path}"
        );
        // The account's logins are locked too; its token still authenticates.
        assert_throttled(&app.login("/api-token-auth/", "alice", PASSWORD).await);
        assert_eq!(alice.get(ME).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn failed_logins_and_wrong_current_passwords_share_one_count() {
    let app = app_with_limit().await;
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    for _ in 0..3 {
        let res = app.login("/api-token-auth/", "alice", WRONG).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
    }
    for (method, path, body) in endpoints(alice.id).into_iter().take(2) {
        let res = alice.call(method, &path, Some(body(WRONG))).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
    }
    let res = alice
        .post(
            "/auth/users/set_password/",
            json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_throttled(&res);
    // Another account is not affected.
    let res = bob
        .post(
            "/auth/users/set_password/",
            json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_right_current_password_under_the_limit_still_works() {
    let app = app_with_limit().await;
    let alice = app.user("alice").await;
    for _ in 0..4 {
        let res = alice
            .post(
                "/auth/users/set_password/",
                json!({"current_password": WRONG, "new_password": NEW_PASSWORD}),
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
    }
    let res = alice
        .post(
            "/auth/users/set_password/",
            json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
}
