//! Access rules and visibility of schema-defined resources, on the projects/tasks schema
//! (tests/fixtures/projects.toml): `anyone`, `authenticated`, `owner`, `staff` and model
//! permissions (granted directly or through a group), lists of rules, and `owner_or_public` and
//! `owner` visibility. References are in references.rs, list parameters in
//! lists.rs.

use crate::harness::resources::ResourceApp;
use crate::harness::world::{url, world};
use axum::http::StatusCode;
use serde_json::{Value, json};

const DENIED: &str = "You do not have permission to perform this action.";
const NO_CREDENTIALS: &str = "Authentication credentials were not provided.";

fn detail(message: &str) -> Value {
    json!({ "detail": message })
}

#[tokio::test]
async fn anyone_reads_public_rows_and_owners_their_own() {
    let app = ResourceApp::projects().await;
    let w = world(&app).await;
    // `anyone` lists and retrieves, under the visibility rule: only public rows.
    let anonymous = app.anon().get("/api/projects/").await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert_eq!(anonymous.listed("name"), [json!("Ann public")]);
    assert_eq!(app.anon().get(&url(&w.ann_public)).await.json, w.ann_public);
    let hidden = app.anon().get(&url(&w.ann_private)).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.json, detail("No Project matches the given query."));
    // `authenticated` creates: anonymous callers get DRF's 401 with the challenge.
    let create = app
        .anon()
        .post("/api/projects/", json!({"name": "Nope"}))
        .await;
    assert_eq!(create.status, StatusCode::UNAUTHORIZED);
    assert_eq!(create.json, detail(NO_CREDENTIALS));
    assert_eq!(create.header("www-authenticate").as_deref(), Some("Token"));

    // Each user: its own rows and the public ones (ordering = ["name"]).
    let bob = w.bob.get("/api/projects/").await;
    assert_eq!(
        bob.listed("name"),
        [json!("Ann public"), json!("Bob private")]
    );
    let ann = w.ann.get("/api/projects/").await;
    assert_eq!(
        ann.listed("name"),
        [json!("Ann private"), json!("Ann public")]
    );
    let not_bobs = w.bob.get(&url(&w.ann_private)).await;
    assert_eq!(not_bobs.status, StatusCode::NOT_FOUND);

    // Staff sees everything.
    let admin = app.superuser("admin").await;
    let all = admin.get("/api/projects/?page_size=3").await;
    assert_eq!(all.json["count"], 3);
    assert_eq!(admin.get(&url(&w.bob_private)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn owner_rule_guards_writes() {
    let app = ResourceApp::projects().await;
    let w = world(&app).await;
    let public = url(&w.ann_public);
    // Visible but not writable: 403, checked before the body is validated.
    for (method, body) in [
        ("PATCH", json!({"description": "bob was here"})),
        ("PUT", json!({"name": ""})),
        ("PATCH", json!({"priority": "not a number"})),
    ] {
        let reply = w.bob.call(method, &public, Some(body)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method}");
        assert_eq!(reply.json, detail(DENIED), "{method}");
    }
    // Invisible: 404, never a 403 that confirms the row exists.
    for method in ["GET", "PATCH", "PUT"] {
        let reply = w
            .bob
            .call(method, &url(&w.ann_private), Some(json!({})))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method}");
    }
    // DELETE also needs projects.delete, which bob lacks: that view-level check runs before
    // the row is looked up (DRF's check_permissions), so the 403 is the same for any id.
    for path in [url(&w.ann_private), "/api/projects/999999/".into()] {
        let reply = w.bob.delete(&path).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    // The owner writes, staff too.
    let own = w.ann.patch(&public, json!({"priority": 4})).await;
    assert_eq!(own.status, StatusCode::OK);
    let admin = app.superuser("admin").await;
    let staff = admin.patch(&public, json!({"priority": 1})).await;
    assert_eq!(staff.status, StatusCode::OK);
    assert_eq!(staff.json["owner"], "ann");
}

#[tokio::test]
async fn every_rule_of_a_list_must_pass() {
    let app = ResourceApp::projects().await;
    let w = world(&app).await;
    let ann_id = app.user_row("ann").await.id;
    // destroy = ["owner", "projects.delete"]: the owner alone is not enough...
    let refused = w.ann.delete(&url(&w.ann_private)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json, detail(DENIED));
    // ... nor the permission alone ...
    app.grant_directly(w.bob.id, "projects", "delete").await;
    let not_owner = w.bob.delete(&url(&w.ann_public)).await;
    assert_eq!(not_owner.status, StatusCode::FORBIDDEN);
    let invisible = w.bob.delete(&url(&w.ann_private)).await;
    assert_eq!(invisible.status, StatusCode::NOT_FOUND);
    // ... both are.
    app.grant_directly(ann_id, "projects", "delete").await;
    let deleted = w.ann.delete(&url(&w.ann_private)).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        w.ann.get(&url(&w.ann_private)).await.status,
        StatusCode::NOT_FOUND
    );
    let bobs = w.bob.delete(&url(&w.bob_private)).await;
    assert_eq!(bobs.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn model_permissions_through_a_group() {
    let app = ResourceApp::projects().await;
    let w = world(&app).await;
    let carol = app.user("carol").await;
    let project = w.ann_public["id"].clone();

    // create = "tasks.add": without it, 403 — before the body is even looked at.
    for body in [
        json!({"title": "t", "project": project}),
        json!({"title": ""}),
    ] {
        let reply = carol.post("/api/tasks/", body).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_eq!(reply.json, detail(DENIED));
    }
    let anonymous = app.anon().post("/api/tasks/", json!({"title": "t"})).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // Django's way: the permission on a group, the user in the group.
    app.grant_through_group(carol.id, "editors", "tasks", "add")
        .await;
    let task = carol
        .create(
            "/api/tasks/",
            json!({"title": "Write docs", "project": project, "estimate": 1.5}),
        )
        .await;
    assert_eq!(task["owner"], "carol");
    assert_eq!(task["project"], project);
    assert_eq!(task["done"], false);
    let task_url = format!("/api/tasks/{}/", task["id"]);

    // update = "tasks.change": even the owner needs it; the view-level check comes first.
    let patch = json!({"done": true});
    let refused = carol.patch(&task_url, patch.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    app.grant_through_group(carol.id, "editors", "tasks", "change")
        .await;
    let done = carol.patch(&task_url, patch.clone()).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(done.json["done"], true);
    // Another member of the group has the permission, but the task is not visible to him.
    app.grant_through_group(w.bob.id, "editors", "tasks", "change")
        .await;
    let hidden = w.bob.patch(&task_url, patch).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.json, detail("No Task matches the given query."));

    // destroy = "staff".
    let not_staff = carol.delete(&task_url).await;
    assert_eq!(not_staff.status, StatusCode::FORBIDDEN);
    let admin = app.superuser("admin").await;
    assert_eq!(admin.get("/api/tasks/").await.json["count"], 1);
    let gone = admin.delete(&task_url).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
}
