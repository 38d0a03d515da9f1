//! The user model's `REQUIRED_FIELDS` (`[user_model] required_fields`) in djoser's user
//! serializers, and djoser's `USER_CREATE_PASSWORD_RETYPE` (`[djoser]`): which fields
//! registration takes and the user body shows, as a project configured that way answers.

use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::UserField;
use serde_json::json;

async fn app_with(change: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::default();
    change(&mut config);
    TestApp::migrated(config).await
}

#[tokio::test]
async fn names_are_registered_shown_and_changed_when_the_model_requires_them() {
    let app = app_with(|c| {
        c.user_model.required_fields =
            vec![UserField::Email, UserField::FirstName, UserField::LastName];
    })
    .await;
    let anon = app.anon();
    let res = anon
        .post(
            "/auth/users/",
            json!({"username": "ann", "password": PASSWORD, "first_name": "  Ann ", "last_name": "Lee"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let id = res.json["id"].clone();
    assert_eq!(
        res.json,
        json!({"email": "", "first_name": "Ann", "id": id, "last_name": "Lee", "username": "ann"})
    );
    let ann = app.with_key(&app.token("ann", PASSWORD).await);
    let res = ann
        .patch("/auth/users/me/", json!({"first_name": "Annie"}))
        .await;
    assert_eq!(
        (res.str("first_name"), res.str("last_name")),
        ("Annie".into(), "Lee".into())
    );
    assert_eq!(ann.get("/auth/users/me/").await.str("first_name"), "Annie");

    let long = "x".repeat(151);
    let res = anon
        .post(
            "/auth/users/",
            json!({"username": "bob", "password": PASSWORD, "last_name": long}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"last_name": ["Ensure this field has no more than 150 characters."]})
    );
    let res = anon
        .post(
            "/auth/users/",
            json!({"username": "cat", "password": "Marguerite1984x", "first_name": "Marguerite"}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"password": ["The password is too similar to the first name."]})
    );
    let res = ann.send("OPTIONS", "/auth/users/me/", &[], None).await;
    assert_eq!(
        res.json["actions"]["PUT"]["first_name"],
        json!({"type": "string", "required": false, "read_only": false, "label": "First name", "max_length": 150})
    );
}

#[tokio::test]
async fn fields_the_model_does_not_list_are_ignored() {
    let app = TestApp::new().await;
    let res = app
        .anon()
        .post(
            "/auth/users/",
            json!({"username": "ann", "password": PASSWORD, "first_name": "Ann"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(
        res.json.as_object().map(|o| o.len()),
        Some(3),
        "{}",
        res.json
    );
}

#[tokio::test]
async fn the_retyped_password_must_match_after_the_validators() {
    let app = app_with(|c| c.djoser.user_create_password_retype = true).await;
    let anon = app.anon();
    let register = |body: serde_json::Value| anon.post("/auth/users/", body);
    let res = register(json!({"username": "ann", "password": PASSWORD})).await;
    assert_eq!(
        res.json,
        json!({"re_password": ["This field is required."]})
    );
    let res =
        register(json!({"username": "ann", "password": "12345", "re_password": "54321"})).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.json.get("password").is_some(), "{}", res.json);
    let res =
        register(json!({"username": "ann", "password": PASSWORD, "re_password": "other"})).await;
    assert_eq!(
        res.json,
        json!({"non_field_errors": ["The two password fields didn't match."]})
    );
    let res =
        register(json!({"username": "ann", "password": PASSWORD, "re_password": PASSWORD})).await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert!(res.json.get("re_password").is_none());
}
