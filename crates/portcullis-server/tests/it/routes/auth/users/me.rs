//! `/auth/users/me/`: djoser's current-user endpoint. GET shows the user, PUT/PATCH change only
//! `email`, DELETE needs `current_password`; every answer carries the view's `Allow` and
//! `Vary: Accept, Origin`, and a 401 the `WWW-Authenticate: Token` challenge.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

const PATH: &str = "/auth/users/me/";

fn assert_view_headers(res: &Response) {
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_DETAIL));
    assert_eq!(res.vary().as_deref(), Some("accept, origin"));
}

#[tokio::test]
async fn anonymous_requests_get_the_token_challenge() {
    let app = TestApp::new().await;
    for method in ["GET", "PUT", "PATCH", "DELETE", "POST", "OPTIONS"] {
        let res = app.anon().send(method, PATH, &[], Some(json!({}))).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{method}");
        assert_eq!(
            res.json,
            json!({ "detail": "Authentication credentials were not provided." })
        );
        assert_eq!(res.header("www-authenticate").as_deref(), Some("Token"));
        assert_view_headers(&res);
    }
}

#[tokio::test]
async fn get_shows_the_current_user() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let res = alice.get(PATH).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_view_headers(&res);
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        res.json,
        json!({ "email": "alice@example.com", "id": alice.id, "username": "alice" })
    );
}

#[tokio::test]
async fn patch_and_put_change_only_the_email() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;

    let res = alice
        .patch(PATH, json!({ "email": "new@example.com" }))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_view_headers(&res);
    assert_eq!(
        res.json,
        json!({ "email": "new@example.com", "id": alice.id, "username": "alice" })
    );

    let res = alice.patch(PATH, json!({ "email": "nope" })).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({ "email": ["Enter a valid email address."] })
    );
    assert_view_headers(&res);
    assert_eq!(
        app.stored_user(alice.id).await.unwrap().email,
        "new@example.com"
    );

    // Read-only and unknown fields are ignored, privileges included.
    let res = alice
        .patch(
            PATH,
            json!({ "username": "renamed", "id": 77, "is_staff": true, "is_superuser": true }),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.json,
        json!({ "email": "new@example.com", "id": alice.id, "username": "alice" })
    );
    let user = app.stored_user(alice.id).await.unwrap();
    assert_eq!(user.username, "alice");
    assert!(!user.is_staff && !user.is_superuser);

    let res = alice.put(PATH, json!({ "email": "put@example.com" })).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json["email"], json!("put@example.com"));
    // email is optional on PUT too: an empty PUT changes nothing.
    let res = alice.put(PATH, json!({})).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json["email"], json!("put@example.com"));

    let res = alice.get(PATH).await;
    assert_eq!(res.json["email"], json!("put@example.com"));

    let res = alice.patch(PATH, json!({ "email": "" })).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json["email"], json!(""));
    assert_eq!(app.stored_user(alice.id).await.unwrap().email, "");
}

#[tokio::test]
async fn email_errors_use_drf_messages_in_drf_order() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let too_long = "Ensure this field has no more than 254 characters.";
    let cases = [
        (
            json!("x".repeat(255)),
            json!([too_long, "Enter a valid email address."]),
        ),
        (
            json!(format!("{}@example.com", "a".repeat(243))),
            json!([too_long]),
        ),
        (json!(null), json!(["This field may not be null."])),
        (json!(["a@example.com"]), json!(["Not a valid string."])),
        (json!(false), json!(["Not a valid string."])),
    ];
    for (email, expected) in cases {
        let res = alice.patch(PATH, json!({ "email": email })).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{email}");
        assert_eq!(res.json, json!({ "email": expected }), "{email}");
    }
    assert_eq!(
        app.stored_user(alice.id).await.unwrap().email,
        "alice@example.com"
    );
}

#[tokio::test]
async fn post_is_405_with_allow() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let res = alice.post(PATH, json!({})).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        res.json,
        json!({ "detail": "Method \"POST\" not allowed." })
    );
    assert_view_headers(&res);
}

#[tokio::test]
async fn delete_needs_the_current_password() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;

    let res = alice.delete(PATH).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({ "current_password": ["This field is required."] })
    );
    assert_view_headers(&res);

    let res = alice
        .call(
            "DELETE",
            PATH,
            Some(json!({ "current_password": "wrong-pass-1" })),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({ "current_password": ["Invalid password."] })
    );
    // Not trimmed: the password with spaces around it is another password.
    let spaced = format!(" {PASSWORD} ");
    let res = alice
        .call("DELETE", PATH, Some(json!({ "current_password": spaced })))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(app.stored_user(alice.id).await.is_some());

    let res = alice
        .call(
            "DELETE",
            PATH,
            Some(json!({ "current_password": PASSWORD })),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.body.is_empty());
    assert_view_headers(&res);
    assert!(app.stored_user(alice.id).await.is_none());

    let res = alice.get(PATH).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, json!({ "detail": "Invalid token." }));
    let login = app.login("/api-token-auth/", "alice", PASSWORD).await;
    assert_eq!(login.json, json!({ "non_field_errors": [UNABLE] }));
}

#[tokio::test]
async fn head_and_options_answer_like_any_view() {
    // djoser answers both with a 500 on `me`; Portcullis answers them normally.
    let app = TestApp::new().await;
    let alice = app.user("alice").await;

    let head = alice.call("HEAD", PATH, None).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_view_headers(&head);

    let options = alice.call("OPTIONS", PATH, None).await;
    assert_eq!(options.status, StatusCode::OK);
    assert_view_headers(&options);
    assert_eq!(options.json["name"], json!("Me"));
    assert_eq!(options.json["description"], json!(""));
    assert_eq!(
        options.json["parses"],
        json!([
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data"
        ])
    );
    let put = &options.json["actions"]["PUT"];
    assert_eq!(
        put["email"],
        json!({ "type": "email", "required": false, "read_only": false,
                "label": "Email address", "max_length": 254 })
    );
    assert_eq!(put["username"]["read_only"], json!(true));
}

#[tokio::test]
async fn inactive_users_are_refused_with_their_own_message() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    app.deactivate(alice.id).await;
    for method in ["GET", "PATCH", "DELETE"] {
        let body = json!({ "email": "x@example.com", "current_password": PASSWORD });
        let res = alice.call(method, PATH, Some(body)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{method}");
        assert_eq!(res.json, json!({ "detail": "User inactive or deleted." }));
        assert_eq!(res.header("www-authenticate").as_deref(), Some("Token"));
        assert_view_headers(&res);
    }
    let user = app.stored_user(alice.id).await.unwrap();
    assert_eq!(user.email, "alice@example.com");
}
