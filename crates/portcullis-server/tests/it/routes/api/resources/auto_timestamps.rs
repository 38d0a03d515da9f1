//! `auto_now_add` and `auto_now` on datetime fields of any name (`created`, `modified`): set by
//! the server, read-only, rendered as DRF renders datetimes, usable in orderings and as a
//! cursor's; `timestamps = true` is the shorthand for `created_at`/`updated_at`, and a table
//! made with it migrates to the explicit fields without a change.

use crate::harness::resources::ResourceApp;
use portcullis_server::Config;
use portcullis_server::config::PaginationStyle;
use serde_json::json;

const SCHEMA: &str = r#"
[[resources]]
name = "tasks"
ordering = ["-created"]
ordering_fields = ["created", "modified"]

[[resources.fields]]
name = "title"
type = "string"
max_length = 50

[[resources.fields]]
name = "created"
type = "datetime"
auto_now_add = true

[[resources.fields]]
name = "modified"
type = "datetime"
auto_now = true
"#;

#[tokio::test]
async fn set_by_the_server_and_read_only() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let created = ann
        .create(
            "/api/tasks/",
            json!({"title": "a", "created": "2001-01-01T00:00:00Z"}),
        )
        .await;
    let at = created["created"].as_str().expect("a datetime").to_string();
    assert!(at.ends_with('Z') && !at.starts_with("2001"), "{created}");
    assert_eq!(created["modified"], created["created"]);
    let id = created["id"].as_i64().expect("an id");
    let patched = ann
        .patch(
            &format!("/api/tasks/{id}/"),
            json!({"title": "b", "modified": "2001-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(
        patched.json["created"],
        json!(at),
        "auto_now_add keeps its value"
    );
    assert!(
        patched.json["modified"].as_str() > Some(at.as_str()),
        "auto_now is set on every save: {}",
        patched.text
    );
    ann.create("/api/tasks/", json!({"title": "c"})).await;
    let newest_first = ann.get("/api/tasks/").await;
    assert_eq!(newest_first.listed("title"), [json!("c"), json!("b")]);
    let by_modified = ann.get("/api/tasks/?ordering=modified").await;
    assert_eq!(by_modified.listed("title"), [json!("b"), json!("c")]);
    let options = ann.send("OPTIONS", "/api/tasks/", &[], None).await;
    assert_eq!(
        options.json["actions"]["POST"]["created"],
        json!({"type": "datetime", "required": false, "read_only": true, "label": "Created"})
    );
}

#[tokio::test]
async fn a_cursor_follows_djangos_created_by_default() {
    let config = Config {
        pagination: PaginationStyle::CursorPagination,
        page_size: 1,
        ..Config::default()
    };
    let app = ResourceApp::with_config_and_schema(
        config,
        &SCHEMA.replace("ordering = [\"-created\"]\n", ""),
    )
    .await;
    let ann = app.user("ann").await;
    ann.create("/api/tasks/", json!({"title": "old"})).await;
    ann.create("/api/tasks/", json!({"title": "new"})).await;
    // DRF's CursorPagination.ordering is "-created".
    let first = ann.get("/api/tasks/").await;
    assert_eq!(first.listed("title"), [json!("new")]);
    let next = first.json["next"]
        .as_str()
        .expect("a next page")
        .replace("http://localhost", "");
    let second = ann.get(&next).await;
    assert_eq!(second.listed("title"), [json!("old")]);
}

#[tokio::test]
async fn a_timestamps_table_migrates_to_explicit_fields_and_new_ones() {
    let before = r#"
[[resources]]
name = "notes"
timestamps = true

[[resources.fields]]
name = "title"
type = "string"
max_length = 50
"#;
    let mut app = ResourceApp::with_schema(before).await;
    let ann = app.user("ann").await;
    let created = ann.create("/api/notes/", json!({"title": "kept"})).await;
    drop(ann);
    let explicit = format!(
        "{}\n[[resources.fields]]\nname = \"created_at\"\ntype = \"datetime\"\nauto_now_add = true\n\n[[resources.fields]]\nname = \"updated_at\"\ntype = \"datetime\"\nauto_now = true\n",
        before.replace("timestamps = true\n", "")
    );
    let outcome = app.change_schema(&explicit, false).await;
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    assert!(
        outcome.applied.is_empty(),
        "the same columns: {:?}",
        outcome.applied
    );
    let with_modified = format!(
        "{explicit}\n[[resources.fields]]\nname = \"modified\"\ntype = \"datetime\"\nauto_now = true\n"
    );
    let outcome = app.change_schema(&with_modified, false).await;
    assert_eq!(outcome.applied, ["Add field modified to notes"]);
    let bob = app.user("bob").await;
    let id = created["id"].as_i64().expect("an id");
    let row = bob.get(&format!("/api/notes/{id}/")).await;
    assert_eq!(row.json["created_at"], created["created_at"]);
    // Rows that existed get the time of the migration, as Django's timezone.now default.
    assert!(
        row.json["modified"].as_str() >= created["created_at"].as_str(),
        "{}",
        row.text
    );
}
