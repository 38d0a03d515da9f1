//! References between schema-defined resources, on the projects/tasks schema
//! (tests/fixtures/projects.toml): a reference must point at a row that exists and that the
//! caller can see (another user's private row is answered exactly like a missing one), with
//! DRF's `PrimaryKeyRelatedField` messages; filters by reference; `on_delete = "cascade"`.

use crate::harness::resources::ResourceApp;
use crate::harness::resources::field_error;
use crate::harness::world::{url, world};
use axum::http::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn references_must_be_visible_to_the_caller() {
    let app = ResourceApp::projects().await;
    let w = world(&app).await;
    let bob_id = w.bob.id;
    app.grant_through_group(bob_id, "editors", "tasks", "add")
        .await;
    let private_id = w.ann_private["id"].as_i64().unwrap();
    let invalid_pk = |id: i64| format!("Invalid pk \"{id}\" - object does not exist.");

    // Another user's private project: exactly as if it did not exist.
    let other = w
        .bob
        .post(
            "/api/tasks/",
            json!({"title": "sneaky", "project": private_id}),
        )
        .await;
    assert_eq!(other.status, StatusCode::BAD_REQUEST);
    assert_eq!(other.json, field_error("project", &invalid_pk(private_id)));
    let missing = w
        .bob
        .post("/api/tasks/", json!({"title": "ghost", "project": 999_999}))
        .await;
    assert_eq!(missing.json, field_error("project", &invalid_pk(999_999)));
    // DRF's other PrimaryKeyRelatedField messages, all errors together.
    for (value, message) in [
        (
            json!("abc"),
            "Incorrect type. Expected pk value, received str.",
        ),
        (
            json!(true),
            "Incorrect type. Expected pk value, received bool.",
        ),
        (
            json!([1]),
            "Incorrect type. Expected pk value, received list.",
        ),
        (Value::Null, "This field may not be null."),
    ] {
        let reply = w
            .bob
            .post("/api/tasks/", json!({"project": value, "due": "soon"}))
            .await;
        assert_eq!(
            reply.json,
            json!({
                "title": ["This field is required."],
                "project": [message],
                "due": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
            }),
            "{value}"
        );
    }
    // A public project of someone else, or one's own, is fine; a pk as text too.
    let on_public = w
        .bob
        .create(
            "/api/tasks/",
            json!({"title": "help ann", "project": w.ann_public["id"]}),
        )
        .await;
    let own = w.bob.create("/api/tasks/", json!({"title": "mine", "project": w.bob_private["id"].to_string(), "due": "2025-03-01"}))
        .await;
    assert_eq!(own["project"], w.bob_private["id"]);
    assert_eq!(own["due"], "2025-03-01");
    // Updates are checked the same way.
    app.grant_through_group(bob_id, "editors", "tasks", "change")
        .await;
    let moved = w
        .bob
        .patch(
            &format!("/api/tasks/{}/", own["id"]),
            json!({"project": private_id}),
        )
        .await;
    assert_eq!(moved.json, field_error("project", &invalid_pk(private_id)));

    // Tasks are visible to their owner only; filters by reference and boolean.
    let admin = app.superuser("admin").await;
    let ann_tasks = w.ann.get("/api/tasks/").await;
    assert_eq!(ann_tasks.json["count"], 0);
    let by_project = w
        .bob
        .get(&format!("/api/tasks/?project={}", w.ann_public["id"]))
        .await;
    assert_eq!(by_project.listed("title"), [json!("help ann")]);
    let bad_filter = w.bob.get("/api/tasks/?project=abc").await;
    assert_eq!(bad_filter.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad_filter.json,
        field_error("project", "Enter a whole number.")
    );

    // Deleting a project deletes its tasks (on_delete = "cascade").
    let deleted = admin.delete(&url(&w.ann_public)).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let left = admin.get("/api/tasks/").await;
    assert_eq!(left.listed("title"), [json!("mine")]);
    assert_eq!(
        w.bob
            .get(&format!("/api/tasks/{}/", on_public["id"]))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// `on_delete = "restrict"`: deleting a row another row still points at is refused by the
/// database's constraint, answered as a conflict the client can act on (409, the constraint's
/// own message kept out of the answer), and both rows stay.
#[tokio::test]
async fn a_restricted_delete_is_a_conflict() {
    let schema = r#"
[[resources]]
name = "shelves"
[resources.access]
destroy = "authenticated"
[[resources.fields]]
name = "label"
type = "string"
max_length = 20

[[resources]]
name = "books"
[[resources.fields]]
name = "shelf"
type = "reference"
to = "shelves"
on_delete = "restrict"
"#;
    let app = crate::harness::resources::ResourceApp::with_schema(schema).await;
    let ann = app.user("ann").await;
    let shelf = ann.create("/api/shelves/", json!({"label": "top"})).await;
    let book = ann
        .create("/api/books/", json!({"shelf": shelf["id"]}))
        .await;
    let shelf_url = format!("/api/shelves/{}/", shelf["id"]);
    let refused = ann.delete(&shelf_url).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert_eq!(
        refused.json,
        json!({"detail": "The row conflicts with other rows; reload and try again."})
    );
    assert_eq!(ann.get(&shelf_url).await.status, StatusCode::OK);
    let book_url = format!("/api/books/{}/", book["id"]);
    assert_eq!(ann.get(&book_url).await.status, StatusCode::OK);
}
