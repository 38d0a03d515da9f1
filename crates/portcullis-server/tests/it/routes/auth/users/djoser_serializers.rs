//! djoser's `SERIALIZERS` of the project's own (`[djoser.serializers.user]`, `current_user`,
//! `user_create`: `Meta.fields` and `Meta.read_only_fields`): which fields each view shows,
//! how `AbstractUser`'s other fields render, what stays read-only whatever the body says, and
//! what `check` refuses.

use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::UserSerializerConfig;
use serde_json::json;

fn meta(fields: &[&str], read_only: &[&str]) -> Option<UserSerializerConfig> {
    Some(UserSerializerConfig {
        fields: fields.iter().map(|f| f.to_string()).collect(),
        read_only_fields: read_only.iter().map(|f| f.to_string()).collect(),
    })
}

fn config() -> Config {
    let mut config = Config::default();
    config.djoser.serializers.user = meta(&["id", "username", "first_name"], &["username"]);
    config.djoser.serializers.current_user = meta(
        &[
            "id",
            "email",
            "username",
            "first_name",
            "last_name",
            "is_staff",
            "date_joined",
            "last_login",
        ],
        &["email", "username", "is_staff", "date_joined", "last_login"],
    );
    config
}

/// A DRF timestamp: `2026-01-02T03:04:05.123456Z`.
fn is_drf_datetime(value: &serde_json::Value) -> bool {
    let text = value.as_str().unwrap_or("");
    text.len() == 27 && text.ends_with('Z') && text.as_bytes().get(10) == Some(&b'T')
}

#[tokio::test]
async fn current_user_and_user_show_their_own_fields() {
    let app = TestApp::migrated(config()).await;
    let ann = app.user("ann").await;
    let me = ann.get("/auth/users/me/").await;
    assert_eq!(me.status, StatusCode::OK);
    let body = me.json.as_object().expect("an object");
    let keys: Vec<&str> = body.keys().map(String::as_str).collect();
    for key in [
        "id",
        "email",
        "username",
        "first_name",
        "last_name",
        "is_staff",
        "date_joined",
        "last_login",
    ] {
        assert!(keys.contains(&key), "{keys:?}");
    }
    assert_eq!(keys.len(), 8, "{keys:?}");
    assert_eq!(me.json["is_staff"], json!(false));
    assert!(
        is_drf_datetime(&me.json["date_joined"]),
        "{}",
        me.json["date_joined"]
    );
    // The login at /api-token-auth/ (DRF's ObtainAuthToken) leaves last_login as it is;
    // djoser's token login sets it.
    assert_eq!(me.json["last_login"], json!(null));
    app.login("/auth/token/login/", "ann", PASSWORD).await;
    let me = ann.get("/auth/users/me/").await;
    assert!(
        is_drf_datetime(&me.json["last_login"]),
        "{}",
        me.json["last_login"]
    );
    let by_id = ann.get(&format!("/auth/users/{}/", ann.id)).await;
    assert_eq!(
        by_id.json,
        json!({"id": ann.id, "username": "ann", "first_name": ""})
    );
    let list = ann.get("/auth/users/").await;
    assert_eq!(
        list.json["results"],
        json!([{"id": ann.id, "username": "ann", "first_name": ""}])
    );
}

#[tokio::test]
async fn read_only_fields_and_the_flags_are_ignored_in_a_body() {
    let app = TestApp::migrated(config()).await;
    let ann = app.user("ann").await;
    let res = ann
        .patch(
            "/auth/users/me/",
            json!({"is_staff": true, "is_superuser": true, "email": "x@example.com", "date_joined": "2000-01-01T00:00:00Z", "last_name": "Lee"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        (
            &res.json["is_staff"],
            &res.json["email"],
            &res.json["last_name"]
        ),
        (&json!(false), &json!("ann@example.com"), &json!("Lee"))
    );
    let stored = app.stored_user(ann.id).await.expect("stored");
    assert!(!stored.is_staff && !stored.is_superuser);
    assert_eq!(stored.email, "ann@example.com");
    // The user serializer has no last_name: PUT on the id ignores it and needs nothing else.
    let res = ann
        .put(
            &format!("/auth/users/{}/", ann.id),
            json!({"first_name": "Ann", "last_name": "X"}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"id": ann.id, "username": "ann", "first_name": "Ann"})
    );
    let me = ann.get("/auth/users/me/").await;
    assert_eq!(me.json["last_name"], "Lee");
}

#[tokio::test]
async fn user_create_renders_its_fields_without_the_password() {
    let mut config = Config::default();
    config.djoser.serializers.user_create = meta(
        &["username", "password", "first_name", "id", "is_staff"],
        &["is_staff"],
    );
    let app = TestApp::migrated(config).await;
    let res = app
        .anon()
        .post(
            "/auth/users/",
            json!({"username": "ann", "password": PASSWORD, "first_name": "Ann", "is_staff": true, "email": "a@example.com"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.json["id"].clone();
    assert_eq!(
        res.json,
        json!({"username": "ann", "first_name": "Ann", "id": id, "is_staff": false})
    );
    let stored = app
        .stored_user(id.as_i64().expect("id"))
        .await
        .expect("stored");
    assert_eq!((stored.email.as_str(), stored.is_staff), ("", false));
}

#[test]
fn check_refuses_serializers_that_would_write_what_djoser_must_not() {
    let mut config = Config::default();
    config.djoser.serializers.current_user = meta(
        &["id", "username", "is_staff", "password", "nickname"],
        &["username", "email"],
    );
    config.djoser.serializers.user = meta(&["id", "username", "date_joined"], &[]);
    config.djoser.serializers.user_create = meta(&["username", "id"], &[]);
    let problems: Vec<String> = config.problems().iter().map(|p| p.to_string()).collect();
    for expected in [
        "djoser.serializers.current_user: is_staff: must be in read_only_fields: a user could grant itself this flag, and in Portcullis only a superuser grants it (through the admin API or the command line)",
        "djoser.serializers.current_user: password: must not be in fields: the password changes through set_password only",
        "djoser.serializers.current_user: \"nickname\" names no field of the user model (the fields of AbstractUser and [[user_model.fields]])",
        "djoser.serializers.current_user: read_only_fields: \"email\" is not in fields",
        "djoser.serializers.user: date_joined: must be in read_only_fields: Portcullis keeps it (writing it is not supported)",
        "djoser.serializers.user_create: fields must list \"password\", writable: djoser's UserCreateSerializer declares it (DRF refuses a declared field missing from fields)",
    ] {
        assert!(
            problems.iter().any(|p| p == expected),
            "{expected}\n{problems:#?}"
        );
    }
    assert_eq!(problems.len(), 6, "{problems:#?}");
}

#[test]
fn check_keeps_the_email_of_a_model_that_logs_in_with_it_read_only() {
    let mut config = Config::default();
    config.user_model.username_field = portcullis_server::config::LoginField::Email;
    config.user_model.required_fields = Vec::new();
    config.djoser.serializers.current_user = meta(&["id", "email"], &[]);
    let problems: Vec<String> = config.problems().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "djoser.serializers.current_user: email: must be in read_only_fields: the login field changes through set_email only (djoser's own UserSerializer makes it read-only)"
        ]
    );
}

#[tokio::test]
async fn a_username_the_serializer_makes_writable_is_validated_and_changed() {
    let mut config = Config::default();
    config.djoser.serializers.user = meta(&["id", "username"], &[]);
    let app = TestApp::migrated(config).await;
    let ann = app.user("ann").await;
    app.user("bob").await;
    let path = format!("/auth/users/{}/", ann.id);
    let res = ann.patch(&path, json!({"username": "bob"})).await;
    assert_eq!(
        res.json,
        json!({"username": ["A user with that username already exists."]})
    );
    let res = ann.patch(&path, json!({"username": "no spaces"})).await;
    assert_eq!(
        res.json,
        json!({"username": ["Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."]})
    );
    let res = ann.put(&path, json!({})).await;
    assert_eq!(res.json, json!({"username": ["This field is required."]}));
    let res = ann.patch(&path, json!({"username": "ann"})).await;
    assert_eq!(res.status, StatusCode::OK, "its own name is no conflict");
    let res = ann.put(&path, json!({"username": " annie "})).await;
    assert_eq!(res.json, json!({"id": ann.id, "username": "annie"}));
    assert_eq!(
        app.stored_user(ann.id).await.expect("stored").username,
        "annie"
    );
    // `me` keeps djoser's own serializer: the username is read-only there.
    let res = ann
        .patch("/auth/users/me/", json!({"username": "zed"}))
        .await;
    assert_eq!(res.json["username"], "annie");
    app.token("annie", PASSWORD).await;
}
