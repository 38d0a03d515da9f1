//! The raw text of answers whose key order a frontend sees (`Object.keys(row)` as table
//! columns, snapshot tests): Django writes each object's keys in its serializer's field order,
//! and so must Portcullis. Parsed JSON would hide the order, so these compare bytes.

use crate::harness::resources::ResourceApp;
use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_created_note_lists_its_fields_as_the_model_serializer_declares_them() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let res = ann.post("/api/notes/", json!({"title": "t"})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let (id, created, updated) = (
        &res.json["id"],
        res.str("created_at"),
        res.str("updated_at"),
    );
    // `Meta.fields`: the id, the declared fields, then the timestamps.
    assert_eq!(
        res.text,
        format!(
            r#"{{"id":{id},"title":"t","body":"","is_public":false,"owner":"ann","created_at":"{created}","updated_at":"{updated}"}}"#
        )
    );
}

#[tokio::test]
async fn djoser_writes_a_new_user_login_field_before_its_id_and_me_the_other_way_round() {
    let app = TestApp::new().await;
    let body = json!({"password": PASSWORD, "username": "ann", "email": "ann@example.com"});
    let created = app.anon().post("/auth/users/", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = &created.json["id"];
    // `UserCreateSerializer.Meta.fields`: REQUIRED_FIELDS + (LOGIN_FIELD, USER_ID_FIELD, ...).
    assert_eq!(
        created.text,
        format!(r#"{{"email":"ann@example.com","username":"ann","id":{id}}}"#)
    );
    // `UserSerializer.Meta.fields`: REQUIRED_FIELDS + (USER_ID_FIELD, LOGIN_FIELD).
    let token = app.token("ann", PASSWORD).await;
    let me = app.with_key(&token).get(ME).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(
        me.text,
        format!(r#"{{"email":"ann@example.com","id":{id},"username":"ann"}}"#)
    );
}

#[tokio::test]
async fn simplejwt_writes_refresh_before_access() {
    let app = TestApp::new().await;
    app.register("ann", PASSWORD).await;
    let res = app
        .anon()
        .post("/api/token/", credentials("ann", PASSWORD))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let (refresh, access) = (res.str("refresh"), res.str("access"));
    assert_eq!(
        res.text,
        format!(r#"{{"refresh":"{refresh}","access":"{access}"}}"#)
    );
}

#[tokio::test]
async fn options_metadata_comes_in_simple_metadata_order() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let res = ann.send("OPTIONS", "/api/notes/", &[], None).await;
    assert_eq!(res.status, StatusCode::OK);
    // The text of the reference Django's answer, byte for byte.
    let field = |name: &str, kind: &str, required: bool, read_only: bool, label: &str| {
        format!(
            r#""{name}":{{"type":"{kind}","required":{required},"read_only":{read_only},"label":"{label}"}}"#
        )
    };
    let expected = format!(
        concat!(
            r#"{{"name":"Note List","description":"","renders":["application/json","text/html"],"#,
            r#""parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"],"#,
            r#""actions":{{"POST":{{{},"title":{{"type":"string","required":true,"read_only":false,"#,
            r#""label":"Title","max_length":200}},{},{},{},{},{}}}}}}}"#
        ),
        field("id", "integer", false, true, "ID"),
        field("body", "string", false, false, "Body"),
        field("is_public", "boolean", false, false, "Is public"),
        field("owner", "field", false, true, "Owner"),
        field("created_at", "datetime", false, true, "Created at"),
        field("updated_at", "datetime", false, true, "Updated at"),
    );
    assert_eq!(res.text, expected);
}

#[tokio::test]
async fn a_400_lists_its_fields_in_the_serializers_order_not_the_requests() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let res = ann
        .post("/api/notes/", json!({"is_public": "maybe", "title": ""}))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.text,
        r#"{"title":["This field may not be blank."],"is_public":["Must be a valid boolean."]}"#
    );
}

#[tokio::test]
async fn djoser_set_username_reports_current_password_first() {
    let app = TestApp::new().await;
    let ann = app.user("ann").await;
    let res = ann.post("/auth/users/set_username/", json!({})).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.text,
        r#"{"current_password":["This field is required."],"new_username":["This field is required."]}"#
    );
}

#[tokio::test]
async fn options_shows_min_length_before_max_length() {
    let app = ResourceApp::projects().await;
    let ann = app.user("ann").await;
    let res = ann.call("OPTIONS", "/api/projects/", None).await;
    assert_eq!(res.status, StatusCode::OK);
    // SimpleMetadata's attributes: read_only, label, help_text, min_length, max_length, ...
    let name = r#""name":{"type":"string","required":true,"read_only":false,"label":"Name","min_length":3,"max_length":40}"#;
    assert!(res.text.contains(name), "{}", res.text);
}
