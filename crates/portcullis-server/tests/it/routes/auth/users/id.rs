//! `/auth/users/<id>/`: djoser's user detail with HIDE_USERS. A non-staff user reaches only its
//! own id; any other id, existing or not, is 404 "Not found." for every method (djoser would
//! confirm existing ids and answer DELETE with 403). Staff reach everyone, and a missing id is
//! Django's "No User matches the given query.".

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn assert_view_headers(res: &Response) {
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_DETAIL));
    assert_eq!(res.vary().as_deref(), Some("accept, origin"));
}

fn path(id: impl std::fmt::Display) -> String {
    format!("/auth/users/{id}/")
}

/// What a method sends: enough to succeed if the target were reachable.
fn body_for(method: &str) -> Option<Value> {
    match method {
        "GET" => None,
        "DELETE" => Some(json!({ "current_password": PASSWORD })),
        _ => Some(json!({ "email": "hijacked@example.com" })),
    }
}

#[tokio::test]
async fn a_user_reaches_its_own_id() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let res = alice.get(&path(alice.id)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_view_headers(&res);
    assert_eq!(
        res.json,
        json!({ "email": "alice@example.com", "id": alice.id, "username": "alice" })
    );

    let res = alice
        .patch(&path(alice.id), json!({ "email": "a2@example.com" }))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json["email"], json!("a2@example.com"));
    assert_eq!(
        app.stored_user(alice.id).await.unwrap().email,
        "a2@example.com"
    );

    let res = alice
        .call(
            "DELETE",
            &path(alice.id),
            Some(json!({ "current_password": PASSWORD })),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(app.stored_user(alice.id).await.is_none());
}

#[tokio::test]
async fn other_ids_are_not_found_for_every_method_whether_they_exist_or_not() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let bob = app.register("bob", PASSWORD).await;
    let bob_before = app.stored_user(bob).await.unwrap();

    for target in [bob.to_string(), "999999".into(), "abc".into(), "0".into()] {
        for method in ["GET", "PUT", "PATCH", "DELETE"] {
            let res = alice.call(method, &path(&target), body_for(method)).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{method} {target}");
            assert_eq!(
                res.json,
                json!({ "detail": "Not found." }),
                "{method} {target}"
            );
            assert_view_headers(&res);
        }
    }
    assert_eq!(app.stored_user(bob).await.unwrap(), bob_before);
    app.token("bob", PASSWORD).await;
}

#[tokio::test]
async fn anonymous_requests_get_401_before_the_lookup() {
    let app = TestApp::new().await;
    let bob = app.register("bob", PASSWORD).await;
    for target in [bob.to_string(), "999999".into()] {
        let res = app.anon().get(&path(&target)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            res.json,
            json!({ "detail": "Authentication credentials were not provided." })
        );
        assert_eq!(res.header("www-authenticate").as_deref(), Some("Token"));
        assert_view_headers(&res);
    }
}

#[tokio::test]
async fn staff_reach_everyone_and_learn_which_ids_are_missing() {
    let app = TestApp::new().await;
    let admin = app.superuser("admin").await;
    let bob = app.user("bob").await;

    let res = admin.get(&path(bob.id)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.json,
        json!({ "email": "bob@example.com", "id": bob.id, "username": "bob" })
    );

    let res = admin
        .patch(&path(bob.id), json!({ "email": "b2@example.com" }))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json["email"], json!("b2@example.com"));
    assert_eq!(
        app.stored_user(bob.id).await.unwrap().email,
        "b2@example.com"
    );

    for method in ["GET", "PUT", "PATCH", "DELETE"] {
        let res = admin.call(method, &path(999999), body_for(method)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{method}");
        assert_eq!(
            res.json,
            json!({ "detail": "No User matches the given query." })
        );
        assert_view_headers(&res);
    }
    let res = admin.get(&path("abc")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.json, json!({ "detail": "Not found." }));
    assert_eq!(app.user_count().await, 2);

    // Deleting someone else takes the staff user's own password, and takes the token along.
    let res = admin
        .call(
            "DELETE",
            &path(bob.id),
            Some(json!({ "current_password": "bob's?" })),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({ "current_password": ["Invalid password."] })
    );
    let res = admin
        .call(
            "DELETE",
            &path(bob.id),
            Some(json!({ "current_password": PASSWORD })),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(app.stored_user(bob.id).await.is_none());
    let res = bob.get("/auth/users/me/").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, json!({ "detail": "Invalid token." }));
    let res = admin.get("/auth/users/me/").await;
    assert_eq!(res.status, StatusCode::OK);
}

#[tokio::test]
async fn post_on_a_detail_is_405() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let res = alice.post(&path(alice.id), json!({})).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        res.json,
        json!({ "detail": "Method \"POST\" not allowed." })
    );
    assert_view_headers(&res);
}
