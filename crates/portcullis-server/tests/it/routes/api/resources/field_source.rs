//! `source`: a field under a wire name apart from its model field (DRF's `source=`), stored in
//! the model field's column; lists filter, search and order by model field names, as DRF's
//! filters do; two serializer fields over one foreign key (a string to read, a pk to write).

use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use serde_json::json;

const SCHEMA: &str = r#"
[[resources]]
name = "tags"

[[resources.fields]]
name = "label"
type = "string"
max_length = 30

[[resources]]
name = "notes"
ordering = ["id"]
search_fields = ["title"]
ordering_fields = ["title"]
filter_fields = ["tag"]

[[resources.fields]]
name = "note_title"
source = "title"
type = "string"
max_length = 20

[[resources.fields]]
name = "tag"
type = "reference"
to = "tags"
related = "string"
null = true

[[resources.fields]]
name = "tag_id"
source = "tag"
type = "reference"
to = "tags"
write_only = true
null = true
"#;

#[tokio::test]
async fn a_wire_name_over_a_model_field() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let tag = ann.create("/api/tags/", json!({"label": "urgent"})).await;
    let tid = tag["id"].as_i64().expect("an id");
    let first = ann
        .create("/api/notes/", json!({"note_title": "beta", "tag_id": tid}))
        .await;
    assert_eq!(first["note_title"], "beta");
    assert_eq!(first["tag"], format!("Tag object ({tid})"));
    assert_eq!(first.get("tag_id"), None, "write-only");
    ann.create("/api/notes/", json!({"note_title": "alpha", "tag_id": ""}))
        .await;
    // Stored in the model field's column.
    let titles = app
        .sql()
        .await
        .texts("SELECT title FROM notes ORDER BY id", &[])
        .await;
    assert_eq!(titles, ["beta", "alpha"]);
    // The model field's name is what the filters know; the wire name is ignored.
    let ordered = ann.get("/api/notes/?ordering=title").await;
    assert_eq!(
        ordered.listed("note_title"),
        [json!("alpha"), json!("beta")]
    );
    let ignored = ann.get("/api/notes/?ordering=-note_title").await;
    assert_eq!(
        ignored.listed("note_title"),
        [json!("beta"), json!("alpha")]
    );
    let found = ann.get("/api/notes/?search=alp").await;
    assert_eq!(found.listed("note_title"), [json!("alpha")]);
    let tagged = ann.get(&format!("/api/notes/?tag={tid}")).await;
    assert_eq!(tagged.listed("note_title"), [json!("beta")]);
    let missing = ann.post("/api/notes/", json!({"title": "x"})).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        missing.json,
        json!({"note_title": ["This field is required."]})
    );
    let options = ann.send("OPTIONS", "/api/notes/", &[], None).await;
    let keys: Vec<&String> = options.json["actions"]["POST"]
        .as_object()
        .expect("POST")
        .keys()
        .collect();
    assert_eq!(keys, ["id", "note_title", "tag", "tag_id"]);
}

#[test]
fn filters_name_model_fields() {
    let text = SCHEMA.replace(
        "ordering_fields = [\"title\"]",
        "ordering_fields = [\"note_title\"]",
    );
    let problems = portcullis_server::resources::Schema::parse(&text).expect_err("refused");
    assert_eq!(
        problems,
        [
            "resource notes: ordering_fields: \"note_title\" is not a field of the model (note_title is the serializer's name for \"title\", which filters name)"
        ]
    );
}

#[test]
fn two_writable_fields_over_one_model_field_are_refused() {
    let text = SCHEMA.replace("write_only = true\n", "");
    let problems = portcullis_server::resources::Schema::parse(&text)
        .expect("a string field is read-only, so this is fine");
    assert_eq!(problems.resources.len(), 2);
    let text = SCHEMA.replace("related = \"string\"\n", "");
    let problems = portcullis_server::resources::Schema::parse(&text).expect_err("refused");
    assert_eq!(
        problems,
        [
            "resource notes: field tag_id: its column \"tag_id\" is already the column of field tag: only one field over a model field may be written (make the other read_only, or related = \"string\"/\"nested\")"
        ]
    );
    let text = SCHEMA.replace("source = \"title\"", "source = \"note_title\"");
    let problems = portcullis_server::resources::Schema::parse(&text).expect_err("refused");
    assert_eq!(
        problems[0],
        "resource notes: field note_title: source \"note_title\" is the field's own name: DRF refuses a redundant source"
    );
}
