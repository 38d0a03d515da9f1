//! A custom user model's own fields (`[[user_model.fields]]`, Django's
//! `class User(AbstractUser): phone = models.CharField(...)`): registration validates and
//! stores them with the user, djoser's views show and change them, a user made elsewhere has
//! their defaults, and `check` refuses what the model cannot declare.

use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::{UserField, UserSerializerConfig};
use serde_json::{Value, json};

/// The fields of tests/projects/user_profile: `city` required, the others optional.
fn own_fields() -> Vec<Value> {
    vec![
        json!({"name": "city", "type": "string", "max_length": 40}),
        json!({"name": "phone", "type": "string", "max_length": 20, "blank": true}),
        json!({"name": "birth_date", "type": "date", "null": true}),
        json!({"name": "newsletter", "type": "boolean", "default": false}),
        json!({"name": "level", "type": "integer", "default": 1, "min": 1, "max": 5}),
    ]
}

fn config() -> Config {
    let mut config = Config::default();
    config.user_model.fields = own_fields();
    config.user_model.required_fields = vec![
        UserField::Email,
        UserField::Own("city".into()),
        UserField::Own("phone".into()),
    ];
    let fields = [
        "id",
        "username",
        "city",
        "phone",
        "birth_date",
        "newsletter",
        "level",
    ];
    config.djoser.serializers.current_user = Some(UserSerializerConfig {
        fields: fields.iter().map(|f| f.to_string()).collect(),
        read_only_fields: vec!["username".into()],
    });
    config
}

async fn register(app: &TestApp, body: Value) -> Response {
    app.anon().post("/auth/users/", body).await
}

#[tokio::test]
async fn registration_validates_and_stores_them_in_the_users_transaction() {
    let app = TestApp::migrated(config()).await;
    let res = register(&app, json!({"username": "ann", "password": PASSWORD})).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!({"city": ["This field is required."]}));
    let res = register(
        &app,
        json!({"username": "ann", "password": PASSWORD, "city": "", "phone": "1".repeat(21)}),
    )
    .await;
    assert_eq!(
        res.json,
        json!({"city": ["This field may not be blank."], "phone": ["Ensure this field has no more than 20 characters."]})
    );
    assert_eq!(app.user_count().await, 0, "nothing is written on a 400");
    let res = register(
        &app,
        json!({"username": "ann", "password": PASSWORD, "city": " Lyon ", "newsletter": true}),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.json["id"].clone();
    // djoser's UserCreateSerializer: REQUIRED_FIELDS, the login field, the id; `newsletter`
    // is not among its fields, so it keeps its default.
    assert_eq!(
        res.json,
        json!({"email": "", "city": "Lyon", "phone": "", "username": "ann", "id": id})
    );
    let ann = app.with_key(&app.token("ann", PASSWORD).await);
    assert_eq!(
        ann.get("/auth/users/me/").await.json,
        json!({"id": id, "username": "ann", "city": "Lyon", "phone": "", "birth_date": null, "newsletter": false, "level": 1})
    );
}

#[tokio::test]
async fn me_changes_them_with_drfs_messages() {
    let app = TestApp::migrated(config()).await;
    register(
        &app,
        json!({"username": "bob", "password": PASSWORD, "city": "Nice"}),
    )
    .await;
    let bob = app.with_key(&app.token("bob", PASSWORD).await);
    let res = bob
        .patch(
            "/auth/users/me/",
            json!({"birth_date": "31/01/1990", "newsletter": "maybe", "level": 9, "phone": null}),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({
            "phone": ["This field may not be null."],
            "birth_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
            "newsletter": ["Must be a valid boolean."],
            "level": ["Ensure this value is less than or equal to 5."],
        })
    );
    let res = bob
        .patch(
            "/auth/users/me/",
            json!({"birth_date": "1990-01-31", "newsletter": "yes", "level": "3", "username": "zed"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        (
            &res.json["birth_date"],
            &res.json["newsletter"],
            &res.json["level"],
            &res.json["username"]
        ),
        (&json!("1990-01-31"), &json!(true), &json!(3), &json!("bob"))
    );
    // PUT: every writable field without a default or blank is required.
    let res = bob.put("/auth/users/me/", json!({"phone": "07"})).await;
    assert_eq!(res.json, json!({"city": ["This field is required."]}));
    let res = bob
        .put(
            "/auth/users/me/",
            json!({"city": "Metz", "birth_date": null}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        (
            &res.json["city"],
            &res.json["birth_date"],
            &res.json["level"]
        ),
        (&json!("Metz"), &Value::Null, &json!(3))
    );
    assert_eq!(bob.get("/auth/users/me/").await.json["city"], "Metz");
}

#[tokio::test]
async fn a_user_made_by_the_command_line_has_the_defaults_and_can_set_them() {
    let app = TestApp::migrated(config()).await;
    let root = app.superuser("root").await;
    let res = root.get("/auth/users/me/").await;
    assert_eq!(
        res.json,
        json!({"id": root.id, "username": "root", "city": "", "phone": "", "birth_date": null, "newsletter": false, "level": 1})
    );
    let res = root
        .patch("/auth/users/me/", json!({"phone": "0102"}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        (&res.json["phone"], &res.json["level"]),
        (&json!("0102"), &json!(1))
    );
}

#[tokio::test]
async fn the_list_shows_each_users_own_values_and_a_deleted_user_takes_its_row() {
    let app = TestApp::migrated(config()).await;
    for (name, city) in [("ann", "Lyon"), ("bob", "Brest")] {
        let body = json!({"username": name, "password": PASSWORD, "city": city});
        assert_eq!(register(&app, body).await.status, StatusCode::CREATED);
    }
    let root = app.superuser("root").await;
    // The default configuration pages the list.
    let list = root.get("/auth/users/").await.json["results"].clone();
    let cities: Vec<(&str, &str)> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|u| {
            (
                u["username"].as_str().unwrap_or(""),
                u["city"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for expected in [("ann", "Lyon"), ("bob", "Brest"), ("root", "")] {
        assert!(cities.contains(&expected), "{cities:?}");
    }
    let ann = app.with_key(&app.token("ann", PASSWORD).await);
    let res = ann
        .call(
            "DELETE",
            "/auth/users/me/",
            Some(json!({"current_password": PASSWORD})),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let rows = app
        .sql()
        .await
        .int("SELECT COUNT(*) FROM portcullis_user_profile", &[])
        .await;
    assert_eq!(
        rows, 1,
        "the deleted user's row goes with it (ON DELETE CASCADE)"
    );
}

#[tokio::test]
async fn a_field_added_later_is_migrated_and_shows_its_default() {
    let mut first = config();
    first.user_model.fields.truncate(2);
    first.djoser.serializers.current_user = None;
    let mut app = TestApp::migrated(first).await;
    register(
        &app,
        json!({"username": "ann", "password": PASSWORD, "city": "Lyon"}),
    )
    .await;
    app.restart(config());
    let outcome = app.migrate(false).await;
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    let ann = app.with_key(&app.token("ann", PASSWORD).await);
    let me = ann.get("/auth/users/me/").await.json;
    assert_eq!(
        (&me["city"], &me["newsletter"], &me["level"]),
        (&json!("Lyon"), &json!(false), &json!(1))
    );
}

#[test]
fn check_refuses_what_the_model_cannot_declare() {
    let mut config = config();
    config.user_model.fields.extend([
        json!({"name": "username", "type": "string", "max_length": 10}),
        json!({"name": "badge", "type": "string", "max_length": 10, "read_only": true}),
        json!({"name": "size", "type": "integer", "max_length": 3}),
        json!({"name": "team", "type": "reference", "to": "teams"}),
    ]);
    config
        .user_model
        .required_fields
        .push(UserField::Own("nickname".into()));
    let problems: Vec<String> = config.problems().iter().map(|p| p.to_string()).collect();
    for expected in [
        "user_model.fields: field username: the name is a field of AbstractUser",
        "user_model.fields: field badge: read_only is the serializer's: list the field in [djoser.serializers.*] read_only_fields, or leave it to the model's blank, null and default",
        "user_model.fields: field team: type \"reference\" is not supported on the user model (string, text, integer, float, boolean, date, datetime, json)",
        "user_model.fields: field team: to does not apply to the user model's own fields",
        "user_model.required_fields: \"nickname\" is neither email, first_name, last_name nor a field of [[user_model.fields]]",
    ] {
        assert!(problems.iter().any(|p| p == expected), "{problems:?}");
    }
    // The serializer listing the fields does not repeat their problems.
    assert_eq!(problems.len(), 6, "{problems:#?}");
}

#[tokio::test]
async fn the_admin_api_shows_them_and_a_user_it_creates_has_the_defaults() {
    let app = crate::harness::admin::AdminApp::with_config(config()).await;
    let root = app.superuser("root").await;
    let res = root
        .post(
            "/api/admin/users/",
            json!({"username": "ann", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.json["id"].as_i64().expect("id");
    let detail = root.get(&format!("/api/admin/users/{id}/")).await;
    assert_eq!(
        detail.json["profile"],
        json!({"city": "", "phone": "", "birth_date": null, "newsletter": false, "level": 1})
    );
    let ann = app.with_key(&app.token("ann", PASSWORD).await);
    ann.patch("/auth/users/me/", json!({"city": "Lyon", "level": 2}))
        .await;
    let detail = root.get(&format!("/api/admin/users/{id}/")).await;
    assert_eq!(
        (
            &detail.json["profile"]["city"],
            &detail.json["profile"]["level"]
        ),
        (&json!("Lyon"), &json!(2))
    );
}

#[tokio::test]
async fn a_unique_field_is_checked_against_the_other_users_only() {
    let mut config = config();
    config.user_model.fields.push(
        json!({"name": "nickname", "type": "string", "max_length": 30, "unique": true, "null": true, "blank": true}),
    );
    if let Some(meta) = config.djoser.serializers.current_user.as_mut() {
        meta.fields.push("nickname".into());
    }
    let app = TestApp::migrated(config).await;
    for name in ["ann", "bob"] {
        let body = json!({"username": name, "password": PASSWORD, "city": "Lyon"});
        assert_eq!(register(&app, body).await.status, StatusCode::CREATED);
    }
    let ann = app.with_key(&app.token("ann", PASSWORD).await);
    let bob = app.with_key(&app.token("bob", PASSWORD).await);
    // Two users without a nickname hold null, not a colliding "".
    assert_eq!(
        ann.get("/auth/users/me/").await.json["nickname"],
        json!(null)
    );
    let res = ann
        .patch("/auth/users/me/", json!({"nickname": "annie"}))
        .await;
    assert_eq!(res.json["nickname"], "annie");
    let res = ann
        .patch("/auth/users/me/", json!({"nickname": "annie"}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "its own value is no conflict");
    let res = bob
        .patch("/auth/users/me/", json!({"nickname": "annie"}))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({"nickname": ["user with this nickname already exists."]})
    );
    assert_eq!(
        bob.get("/auth/users/me/").await.json["nickname"],
        json!(null)
    );
}

#[test]
fn check_reports_the_engines_own_refusals_under_the_field() {
    let mut config = config();
    config
        .user_model
        .fields
        .push(json!({"name": "size", "type": "integer", "max_length": 3}));
    let problems: Vec<String> = config.problems().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "user_model.fields: field size: max_length, min_length and blank apply to string and text fields only"
        ]
    );
}
