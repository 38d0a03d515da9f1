//! A foreign key rendered as the project's serializer declares it (`related`): a slug (read and
//! written by it), `str()` of the target, the target nested as its own serializer renders it,
//! or the target's detail URL (written by URL) — with DRF's messages for bad input.

use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use serde_json::json;

const SCHEMA: &str = r#"
[[resources]]
name = "projects"
str = "name"
ordering = ["id"]

[[resources.fields]]
name = "name"
type = "string"
max_length = 50
unique = true

[[resources]]
name = "tags"
ordering = ["id"]

[[resources.fields]]
name = "label"
type = "string"
max_length = 30

[[resources]]
name = "tasks"
ordering = ["id"]

[[resources.fields]]
name = "title"
type = "string"
max_length = 100

[[resources.fields]]
name = "project"
type = "reference"
to = "projects"
related = "slug"
slug_field = "name"

[[resources.fields]]
name = "tag"
type = "reference"
to = "tags"
related = "string"
null = true
on_delete = "set_null"

[[resources.fields]]
name = "project_name"
source = "project"
type = "reference"
to = "projects"
related = "slug"
slug_field = "name"
read_only = true

[[resources.fields]]
name = "board"
type = "reference"
to = "projects"
related = "string"
null = true

[[resources]]
name = "comments"
ordering = ["id"]

[[resources.fields]]
name = "task"
type = "reference"
to = "tasks"
related = "nested"

[[resources.fields]]
name = "task_id"
source = "task"
type = "reference"
to = "tasks"
write_only = true

[[resources.fields]]
name = "project"
type = "reference"
to = "projects"
related = "hyperlink"
"#;

#[tokio::test]
async fn slugs_strings_nested_objects_and_hyperlinks() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let project = ann
        .create("/api/projects/", json!({"name": "Apollo"}))
        .await;
    let pid = project["id"].as_i64().expect("an id");
    let tag = ann.create("/api/tags/", json!({"label": "urgent"})).await;
    let tid = tag["id"].as_i64().expect("an id");
    // The tag is written through the database: `tag` is read-only (StringRelatedField).
    let task = ann
        .create(
            "/api/tasks/",
            json!({"title": "Plan", "project": "Apollo", "tag": tid}),
        )
        .await;
    assert_eq!(task["project"], "Apollo", "{task}");
    // ReadOnlyField(source="project.name"), over the same foreign key.
    assert_eq!(task["project_name"], "Apollo", "{task}");
    assert_eq!(task["tag"], json!(null), "read-only: {task}");
    let task_id = task["id"].as_i64().expect("an id");
    app.sql()
        .await
        .execute(
            "UPDATE tasks SET tag_id = ?, board_id = ? WHERE id = ?",
            &[tid.into(), pid.into(), task_id.into()],
        )
        .await;
    let detail = ann.get(&format!("/api/tasks/{task_id}/")).await;
    // str(tag) without __str__ is Django's default; str(project) is its `str` field.
    assert_eq!(detail.json["tag"], format!("Tag object ({tid})"));
    assert_eq!(detail.json["board"], "Apollo");

    let comment = ann
        .create(
            "/api/comments/",
            json!({"task_id": task_id, "project": format!("http://elsewhere/api/projects/{pid}/")}),
        )
        .await;
    assert_eq!(
        comment["project"],
        format!("http://localhost/api/projects/{pid}/")
    );
    assert_eq!(comment["task"], detail.json, "nested as the task renders");
    assert_eq!(comment.get("task_id"), None, "write-only");
    let listed = ann.get("/api/comments/").await;
    assert_eq!(listed.results()[0], comment);
    // A relative URL, percent-escapes decoded (DRF's `unquote`).
    let escaped: String = pid.to_string().chars().map(|c| format!("%3{c}")).collect();
    let second = ann
        .create(
            "/api/comments/",
            json!({"task_id": task_id, "project": format!("/api/projects/{escaped}/")}),
        )
        .await;
    assert_eq!(second["project"], comment["project"]);
}

#[tokio::test]
async fn bad_slugs_and_hyperlinks_get_drf_messages() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let project = ann
        .create("/api/projects/", json!({"name": "Apollo"}))
        .await;
    let pid = project["id"].as_i64().expect("an id");
    let task = ann
        .create("/api/tasks/", json!({"title": "Plan", "project": "Apollo"}))
        .await;
    let task_id = task["id"].as_i64().expect("an id");
    for (slug, message) in [
        (json!("nope"), "Object with name=nope does not exist."),
        (json!(12), "Object with name=12 does not exist."),
        (json!(["a"]), "Object with name=['a'] does not exist."),
        (json!(""), "This field may not be null."),
    ] {
        let answer = ann
            .post("/api/tasks/", json!({"title": "x", "project": slug}))
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert_eq!(answer.json, json!({"project": [message]}), "{slug}");
    }
    for (link, message) in [
        (
            json!("http://h/api/nowhere/"),
            "Invalid hyperlink - No URL match.",
        ),
        (
            json!("http://h/api/projects/999/"),
            "Invalid hyperlink - Object does not exist.",
        ),
        (
            json!("http://h/api/projects/abc/"),
            "Invalid hyperlink - Object does not exist.",
        ),
        (
            json!(format!("http://h/api/tasks/{task_id}/")),
            "Invalid hyperlink - Incorrect URL match.",
        ),
        (
            json!("/api/projects/"),
            "Invalid hyperlink - Incorrect URL match.",
        ),
        // Any view of the project's urls.py is another view; the web app is not Django's.
        (
            json!("http://h/api-token-auth/"),
            "Invalid hyperlink - Incorrect URL match.",
        ),
        (json!("http://h/"), "Invalid hyperlink - No URL match."),
        (
            json!(format!("http://h/api/projects/{pid}")),
            "Invalid hyperlink - No URL match.",
        ),
        (
            json!(5),
            "Incorrect type. Expected URL string, received int.",
        ),
    ] {
        let answer = ann
            .post(
                "/api/comments/",
                json!({"task_id": task_id, "project": link}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert_eq!(answer.json, json!({"project": [message]}), "{link}");
    }
}

#[tokio::test]
async fn options_describe_related_fields_as_drf() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let options = ann.send("OPTIONS", "/api/comments/", &[], None).await;
    let post = &options.json["actions"]["POST"];
    assert_eq!(
        post["project"],
        json!({"type": "field", "required": true, "read_only": false, "label": "Project"})
    );
    assert_eq!(post["task"]["type"], "nested object");
    assert_eq!(post["task"]["read_only"], true);
    assert_eq!(
        post["task"]["children"]["project"],
        json!({"type": "field", "required": true, "read_only": false, "label": "Project"})
    );
    assert_eq!(
        post["task"]["children"]["tag"],
        json!({"type": "field", "required": false, "read_only": true, "label": "Tag"})
    );
    assert_eq!(post["task_id"]["label"], "Task id");
}

#[test]
fn check_refuses_what_drf_could_not_render() {
    let not_unique = SCHEMA.replace("max_length = 50\nunique = true", "max_length = 50");
    let problems = portcullis_server::resources::Schema::parse(&not_unique).expect_err("refused");
    assert!(
        problems.contains(&"resource tasks, field project: slug_field \"name\" is not a unique, non-null string field of projects (read-only: a field of projects that is not a reference)".to_string()),
        "{problems:?}"
    );
    let cycle = format!(
        "{SCHEMA}\n[[resources.fields]]\nname = \"again\"\ntype = \"reference\"\nto = \"comments\"\nrelated = \"nested\"\nnull = true\n"
    );
    let problems = portcullis_server::resources::Schema::parse(&cycle).expect_err("refused");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("nested serializers that nest comments again never end")),
        "{problems:?}"
    );
    let unknown = SCHEMA.replace("related = \"hyperlink\"", "related = \"url\"");
    let problems = portcullis_server::resources::Schema::parse(&unknown).expect_err("refused");
    assert!(
        problems.iter().any(
            |p| p.contains("related \"url\" is not one of pk, slug, string, nested, hyperlink")
        ),
        "{problems:?}"
    );
}
