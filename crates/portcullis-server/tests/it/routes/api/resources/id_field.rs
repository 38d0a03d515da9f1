//! `id_field = "pk"`: the primary key rendered under the name a project's serializer gives it
//! (`fields = ["pk", ...]`), in every body and in OPTIONS, while lookups stay by the key.

use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use serde_json::json;

const SCHEMA: &str = r#"
[[resources]]
name = "items"
id_field = "pk"
visible_to = "owner"

[[resources.fields]]
name = "title"
type = "string"
max_length = 50

[[resources.fields]]
name = "owner"
type = "owner"
"#;

#[tokio::test]
async fn the_primary_key_is_named_pk_everywhere() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let created = ann
        .create("/api/items/", json!({"title": "one", "pk": 999}))
        .await;
    assert_eq!(created.get("id"), None, "{created}");
    let pk = created["pk"].as_i64().expect("a pk");
    assert_ne!(pk, 999, "the pk is read-only");
    let detail = ann.get(&format!("/api/items/{pk}/")).await;
    assert_eq!(detail.json, created);
    let list = ann.get("/api/items/").await;
    assert_eq!(list.json["results"][0]["pk"], json!(pk));
    let options = ann.send("OPTIONS", "/api/items/", &[], None).await;
    assert_eq!(
        options.json["actions"]["POST"]["pk"],
        json!({"type": "integer", "required": false, "read_only": true, "label": "ID"})
    );
    assert_eq!(options.json["actions"]["POST"].get("id"), None);
    let deleted = ann.delete(&format!("/api/items/{pk}/")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
}

#[test]
fn other_names_are_refused() {
    let text = SCHEMA.replace("id_field = \"pk\"", "id_field = \"uuid\"");
    let problems = portcullis_server::resources::Schema::parse(&text).expect_err("refused");
    assert_eq!(
        problems,
        ["resource items: id_field \"uuid\": the primary key is rendered as \"id\" or \"pk\""]
    );
}
