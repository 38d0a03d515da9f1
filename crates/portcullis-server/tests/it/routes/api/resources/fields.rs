//! Fields of schema-defined resources, on the projects/tasks schema
//! (tests/fixtures/projects.toml): defaults, DRF's and Django's messages with all errors of a
//! request reported together, text constraints and uniqueness, read-only and write-only fields,
//! PUT, and the OPTIONS description of every field type. What each type accepts is in
//! field_types.rs.

use crate::harness::resources::{ResourceApp, field_error};
use crate::harness::{Client, Response};
use axum::http::StatusCode;
use serde_json::{Value, json};

const DATE_FORMAT: &str = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.";
const DATETIME_FORMAT: &str = "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";

/// POST a project, whatever the answer; the reply.
async fn post_project(client: &Client<'_>, body: Value) -> Response {
    client.post("/api/projects/", body).await
}

/// PATCH one field of a project; the reply.
async fn patch(client: &Client<'_>, id: &Value, body: Value) -> Response {
    client.patch(&format!("/api/projects/{id}/"), body).await
}

#[tokio::test]
async fn a_created_row_has_its_defaults_and_hides_write_only_fields() {
    let app = ResourceApp::projects().await;
    let ann = app.user("ann").await;
    let project = ann
        .create(
            "/api/projects/",
            json!({"name": "  Apollo  ", "secret": "s3cret"}),
        )
        .await;
    let mut shown = project.clone();
    for volatile in ["id", "created_at", "updated_at"] {
        assert!(shown[volatile] != Value::Null, "{volatile}");
        shown.as_object_mut().unwrap().remove(volatile);
    }
    assert_eq!(
        shown,
        json!({
            "name": "Apollo",
            "code": "",
            "description": "",
            "status": "open",
            "priority": 3,
            "budget": null,
            "is_public": false,
            "archived": false,
            "starts_on": null,
            "deadline": null,
            "settings": {"theme": "light"},
            "revision": 1,
            "owner": "ann",
        })
    );
    // Timestamps as DRF renders them: ISO 8601 in UTC with a `Z`.
    let created = project["created_at"].as_str().unwrap();
    assert!(created.ends_with('Z') && created.contains('T'), "{created}");

    // The write-only value is stored, never shown.
    let id = project["id"].as_i64().unwrap_or_default();
    let secret = app
        .sql()
        .await
        .texts("SELECT secret FROM projects WHERE id = ?", &[id.into()])
        .await;
    assert_eq!(secret, ["s3cret"]);
    let read = ann.get(&format!("/api/projects/{}/", project["id"])).await;
    // The row is read (not a 404 or an error, which would have no `secret` either)...
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert_eq!(read.json["id"], project["id"]);
    // ... and has no `secret`.
    assert!(read.json.get("secret").is_none());
}

#[tokio::test]
async fn every_error_of_a_request_is_reported_together() {
    let app = ResourceApp::projects().await;
    let ann = app.user("ann").await;
    let everything_wrong = json!({
        "name": "ab",
        "code": "too long code",
        "status": "pending",
        "priority": 9,
        "budget": -1,
        "is_public": "maybe",
        "archived": "nah",
        "starts_on": "31/01/2025",
        "deadline": "tomorrow",
        "settings": null,
        "secret": "x".repeat(21),
        "unknown": "ignored",
    });
    let reply = post_project(&ann, everything_wrong).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!({
            "name": ["Ensure this field has at least 3 characters."],
            "code": ["Ensure this field has no more than 8 characters."],
            "status": ["\"pending\" is not a valid choice."],
            "priority": ["Ensure this value is less than or equal to 5."],
            "budget": ["Ensure this value is greater than or equal to 0."],
            "is_public": ["Must be a valid boolean."],
            "archived": ["Must be a valid boolean."],
            "starts_on": [DATE_FORMAT],
            "deadline": [DATETIME_FORMAT],
            "settings": ["This field may not be null."],
            "secret": ["Ensure this field has no more than 20 characters."],
        })
    );
    let listed = ann.get("/api/projects/").await;
    assert_eq!(listed.json["count"], 0, "nothing was written");

    let empty = post_project(&ann, json!({})).await;
    assert_eq!(empty.json, field_error("name", "This field is required."));
    let null = post_project(&ann, json!({"name": null})).await;
    assert_eq!(
        null.json,
        field_error("name", "This field may not be null.")
    );
    let blank = post_project(&ann, json!({"name": "   "})).await;
    assert_eq!(
        blank.json,
        field_error("name", "This field may not be blank.")
    );
}

#[tokio::test]
async fn strings_trim_choices_and_uniqueness() {
    let app = ResourceApp::projects().await;
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    let apollo = ann
        .create(
            "/api/projects/",
            json!({"name": "Apollo", "code": "  ab  "}),
        )
        .await;
    assert_eq!(apollo["code"], "  ab  ", "trim = false keeps the spaces");
    let id = &apollo["id"];

    // Unique across every row, visible or not, with Django's message; case-sensitive, as
    // SQLite compares text.
    let taken = post_project(&bob, json!({"name": " Apollo "})).await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        taken.json,
        field_error("name", "project with this name already exists.")
    );
    bob.create("/api/projects/", json!({"name": "apollo"}))
        .await;
    // A row keeps its own value.
    let same = patch(&ann, id, json!({"name": "Apollo", "status": "closed"})).await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.json);
    assert_eq!(same.json["status"], "closed");

    // Choices compare the text exactly; blank is not a choice here.
    for bad in ["Closed", "", " open"] {
        let reply = patch(&ann, id, json!({"status": bad})).await;
        assert_eq!(
            reply.json,
            field_error("status", &format!("\"{bad}\" is not a valid choice.")),
            "{bad:?}"
        );
    }
    // Numbers are coerced to text, as DRF's CharField does; a list is not a string.
    let number = patch(&ann, id, json!({"description": 42})).await;
    assert_eq!(number.json["description"], "42");
    let list = patch(&ann, id, json!({"description": ["a"]})).await;
    assert_eq!(list.json, field_error("description", "Not a valid string."));
    // Text may be blank when the schema says so.
    let cleared = patch(&ann, id, json!({"description": ""})).await;
    assert_eq!(cleared.json["description"], "");
    let nul = patch(&ann, id, json!({"description": "a\u{0}b"})).await;
    assert_eq!(
        nul.json,
        field_error("description", "Null characters are not allowed.")
    );
}

#[tokio::test]
async fn read_only_fields_and_put() {
    let app = ResourceApp::projects().await;
    let ann = app.user("ann").await;
    let project = ann
        .create(
            "/api/projects/",
            json!({"name": "Stable", "priority": 5, "revision": 7}),
        )
        .await;
    assert_eq!(
        project["revision"], 1,
        "read-only: the default, not the input"
    );
    let url = format!("/api/projects/{}/", project["id"]);

    // PUT is a full update: required fields must be there...
    let missing = ann.put(&url, json!({"priority": 1})).await;
    assert_eq!(missing.json, field_error("name", "This field is required."));
    // ... and optional fields that are absent keep their values.
    let put = ann
        .put(&url, json!({"name": "Stable 2", "revision": 9}))
        .await;
    assert_eq!(put.status, StatusCode::OK);
    assert_eq!(put.json["name"], "Stable 2");
    assert_eq!(put.json["priority"], 5);
    assert_eq!(put.json["revision"], 1);
    assert_eq!(put.json["created_at"], project["created_at"]);
}

#[tokio::test]
async fn options_describes_every_field_type() {
    let app = ResourceApp::projects().await;
    let ann = app.user("ann").await;
    let reply = ann.call("OPTIONS", "/api/projects/", None).await;
    assert_eq!(reply.json["name"], "Project List");
    let fields = &reply.json["actions"]["POST"];
    let info = |kind: &str, required: bool, read_only: bool, label: &str| json!({"type": kind, "required": required, "read_only": read_only, "label": label});
    let mut name = info("string", true, false, "Name");
    name["max_length"] = json!(40);
    name["min_length"] = json!(3);
    let mut code = info("string", false, false, "Code");
    code["max_length"] = json!(8);
    // As DRF's ModelSerializer builds a ChoiceField: choices, no max_length.
    let mut status = info("choice", false, false, "Status");
    status["choices"] = json!([
        {"value": "open", "display_name": "open"},
        {"value": "closed", "display_name": "closed"}
    ]);
    // Whole bounds are shown as integers, as Django's validators hold them.
    let mut priority = info("integer", false, false, "Priority");
    priority["min_value"] = json!(1);
    priority["max_value"] = json!(5);
    let mut budget = info("float", false, false, "Budget");
    budget["min_value"] = json!(0);
    budget["max_value"] = json!(1000.5);
    let mut secret = info("string", false, false, "Secret");
    secret["max_length"] = json!(20);
    assert_eq!(
        *fields,
        json!({
            "id": info("integer", false, true, "ID"),
            "name": name,
            "code": code,
            "description": info("string", false, false, "Description"),
            "status": status,
            "priority": priority,
            "budget": budget,
            "is_public": info("boolean", false, false, "Is public"),
            "archived": info("boolean", false, false, "Archived"),
            "starts_on": info("date", false, false, "Starts on"),
            "deadline": info("datetime", false, false, "Deadline"),
            "settings": info("json", false, false, "Settings"),
            "secret": secret,
            "revision": info("integer", false, true, "Revision"),
            "owner": info("field", false, true, "Owner"),
            "created_at": info("datetime", false, true, "Created at"),
            "updated_at": info("datetime", false, true, "Updated at"),
        })
    );
    let tasks = ann.call("OPTIONS", "/api/tasks/", None).await;
    assert_eq!(tasks.json["name"], "Task List");
}
