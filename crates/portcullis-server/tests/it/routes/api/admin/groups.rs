//! `/api/admin/groups/`, `/api/admin/permissions/` and `/api/admin/resources/`: groups with
//! their permissions as `resource.codename` keys (granting what Django's `has_perm` checks),
//! the permission list, and the resource descriptions the console's row browser reads — whose
//! rows staff then see in full through the resource's own endpoint.

use crate::harness::admin::AdminApp;
use axum::http::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn permissions_list_the_four_of_each_resource() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let reply = admin.get("/api/admin/permissions/").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let keys: Vec<&str> = reply
        .json
        .as_array()
        .map(|list| list.iter().filter_map(|p| p["key"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["notes.add", "notes.change", "notes.delete", "notes.view"]
    );
    assert_eq!(reply.json[0]["name"], "Can add note");
    assert_eq!(reply.json[0]["resource"], "notes");
    assert_eq!(reply.json[0]["codename"], "add");
}

#[tokio::test]
async fn a_group_is_created_renamed_regranted_and_deleted() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let ann_id = app.user("ann").await.id;
    let reply = admin
        .post(
            "/api/admin/groups/",
            json!({"name": "editors", "permissions": ["notes.change", "notes.add"]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.json["id"].as_i64().expect("an id");
    assert_eq!(
        reply.json,
        json!({"id": id, "name": "editors", "permissions": ["notes.add", "notes.change"]})
    );

    // Membership grants the group's permissions, as Django's has_perm sees them.
    let reply = admin
        .patch(
            &format!("/api/admin/users/{ann_id}/"),
            json!({"groups": [id]}),
        )
        .await;
    assert_eq!(reply.json["groups"], json!([id]));
    let store = app.store();
    assert!(
        store
            .accounts()
            .user_has_perm(ann_id, "notes", "add")
            .await
            .expect("a query")
    );
    assert!(
        !store
            .accounts()
            .user_has_perm(ann_id, "notes", "delete")
            .await
            .expect("a query")
    );

    let path = format!("/api/admin/groups/{id}/");
    let reply = admin
        .patch(
            &path,
            json!({"name": "writers", "permissions": ["notes.delete"]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json["name"], "writers");
    assert_eq!(reply.json["permissions"], json!(["notes.delete"]));
    assert!(
        !store
            .accounts()
            .user_has_perm(ann_id, "notes", "add")
            .await
            .expect("a query")
    );
    assert!(
        store
            .accounts()
            .user_has_perm(ann_id, "notes", "delete")
            .await
            .expect("a query")
    );
    // A rename alone keeps the permissions.
    let reply = admin.patch(&path, json!({"name": "authors"})).await;
    assert_eq!(reply.json["permissions"], json!(["notes.delete"]));
    let reply = admin.get("/api/admin/groups/").await;
    assert_eq!(reply.json["count"], 1);
    assert_eq!(reply.json["results"][0]["name"], "authors");

    let reply = admin.delete(&path).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(
        !store
            .accounts()
            .user_has_perm(ann_id, "notes", "delete")
            .await
            .expect("a query")
    );
    let reply = admin.get(&format!("/api/admin/users/{ann_id}/")).await;
    assert_eq!(reply.json["groups"], json!([]));
}

#[tokio::test]
async fn group_input_is_validated_with_drfs_messages() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let create = |body: Value| admin.post("/api/admin/groups/", body);
    assert_eq!(
        create(json!({})).await.json,
        json!({"name": ["This field is required."]})
    );
    assert_eq!(
        create(json!({"name": " ", "permissions": ["notes.fly"]}))
            .await
            .json,
        json!({
            "name": ["This field may not be blank."],
            "permissions": ["Object with permission=notes.fly does not exist."],
        })
    );
    assert_eq!(
        create(json!({"name": "x".repeat(151), "permissions": [3]}))
            .await
            .json,
        json!({
            "name": ["Ensure this field has no more than 150 characters."],
            "permissions": ["Invalid value."],
        })
    );
    assert_eq!(
        create(json!({"name": "ops"})).await.status,
        StatusCode::CREATED
    );
    let other = create(json!({"name": "dev"})).await;
    let reply = create(json!({"name": "ops"})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!({"name": ["group with this name already exists."]})
    );
    // Renaming onto another group's name is refused; keeping one's own name is fine.
    let path = format!("/api/admin/groups/{}/", other.json["id"]);
    let reply = admin.patch(&path, json!({"name": "ops"})).await;
    assert_eq!(
        reply.json,
        json!({"name": ["group with this name already exists."]})
    );
    let reply = admin.patch(&path, json!({"name": "dev"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = admin.get("/api/admin/groups/999/").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.detail(), "No Group matches the given query.");
}

#[tokio::test]
async fn resources_describe_the_row_browser_and_staff_see_every_row() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let reply = admin.get("/api/admin/resources/").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let notes = &reply.json[0];
    assert_eq!(notes["name"], "notes");
    assert_eq!(notes["label"], "Note");
    assert_eq!(notes["url"], "http://localhost/api/notes/");
    let fields: Vec<&str> = notes["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        fields,
        [
            "id",
            "title",
            "body",
            "is_public",
            "owner",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(notes["fields"][1]["type"], "string");
    assert_eq!(notes["fields"][1]["max_length"], 200);
    assert_eq!(notes["fields"][0]["read_only"], true);
    assert_eq!(notes["search_fields"], json!(["title", "body"]));
    assert_eq!(
        notes["permissions"],
        json!(["notes.add", "notes.change", "notes.delete", "notes.view"])
    );

    // A private note of another user: hidden from others, listed for staff.
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    let reply = ann.post("/api/notes/", json!({"title": "secret"})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(bob.get("/api/notes/").await.json["count"], 0);
    let reply = admin.get("/api/notes/").await;
    assert_eq!(reply.json["count"], 1);
    assert_eq!(reply.json["results"][0]["title"], "secret");
}
