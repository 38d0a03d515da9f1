//! `/api/notes/<id>/`: ids read as Django reads them, other users' public notes (readable, not
//! writable) and input that is unknown or read-only.

use super::*;
use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn ids_are_read_as_django_reads_them() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let note = ann.create("/api/notes/", json!({"title": "one"})).await;
    let id = note["id"].as_i64().unwrap();

    // Django casts the URL's pk with int(): a sign, surrounding spaces and leading zeros pass.
    for path in [
        format!("/api/notes/+{id}/"),
        format!("/api/notes/%20{id}/"),
        format!("/api/notes/0{id}/"),
    ] {
        let reply = ann.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.json);
        assert_eq!(reply.json["id"], id, "{path}");
    }
    // Integers matching no row, however large: the model's 404.
    for raw in ["0", "-1", "99999999999999999999999", "1_000"] {
        let reply = ann.get(&format!("/api/notes/{raw}/")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{raw}");
        assert_eq!(reply.json, json!({"detail": NO_NOTE}), "{raw}");
    }
    // Text that is no integer: the plain 404.
    for raw in ["abc", "0x1", "1e3", "%E2%9C%93"] {
        let reply = ann.get(&format!("/api/notes/{raw}/")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{raw}");
        assert_eq!(reply.json, json!({"detail": "Not found."}), "{raw}");
    }
    // `1.5` is id 1 with the format `5`, which no renderer has.
    let reply = ann.get("/api/notes/1.5/").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json, json!({"detail": "Not found."}));
    // Writes to a huge id: the same 404, after the permission check.
    for method in ["PUT", "PATCH", "DELETE"] {
        let reply = ann
            .call(
                method,
                "/api/notes/99999999999999999999999/",
                Some(json!({"title": "x"})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method}");
        assert_eq!(reply.json, json!({"detail": NO_NOTE}), "{method}");
    }
}

#[tokio::test]
async fn a_public_note_is_readable_but_not_writable_by_others() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    let admin = app.superuser("admin").await;
    let public = ann
        .create("/api/notes/", json!({"title": "open", "is_public": true}))
        .await;
    let private = ann.create("/api/notes/", json!({"title": "closed"})).await;
    let public_url = format!("/api/notes/{}/", public["id"]);
    let private_url = format!("/api/notes/{}/", private["id"]);

    let read = bob.get(&public_url).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json, public);
    // Visible but not writable: 403, and the permission is checked before the body, so an
    // invalid body gets the same 403 rather than a 400.
    for (method, body) in [
        ("PATCH", json!({"title": "mine now"})),
        ("PUT", json!({"title": ""})),
        ("DELETE", Value::Null),
    ] {
        let reply = bob.call(method, &public_url, Some(body)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method}");
        assert_eq!(reply.json, json!({"detail": DENIED}), "{method}");
    }
    // Not visible: 404 whatever the method.
    let hidden = bob.patch(&private_url, json!({"title": ""})).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.json, json!({"detail": NO_NOTE}));
    let listed = bob.get("/api/notes/").await;
    assert_eq!(listed.listed("title"), [json!("open")]);

    // Staff sees and edits everything.
    let all = admin.get("/api/notes/").await;
    assert_eq!(all.json["count"], 2);
    let edited = admin.patch(&private_url, json!({"body": "by staff"})).await;
    assert_eq!(edited.status, StatusCode::OK);
    assert_eq!(edited.json["owner"], "ann", "the owner does not change");
    let deleted = admin.delete(&public_url).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(deleted.body.is_empty());
    assert_eq!(ann.get(&public_url).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_and_read_only_input_is_ignored() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    app.user("mallory").await;
    let reply = ann
        .post(
            "/api/notes/",
            json!({
                "title": "  padded  ",
                "id": 4242,
                "owner": "mallory",
                "created_at": "2000-01-01T00:00:00Z",
                "updated_at": "2000-01-01T00:00:00Z",
                "colour": "red",
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json);
    let note = reply.json;
    assert_eq!(note["title"], "padded", "trimmed as DRF's CharField does");
    assert_ne!(note["id"], 4242);
    assert_eq!(note["owner"], "ann");
    assert!(!note["created_at"].as_str().unwrap().starts_with("2000"));
    assert!(note.get("colour").is_none());
    // In the order of the reference NoteSerializer's Meta.fields, as DRF renders them.
    let keys: Vec<&String> = note.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "title",
            "body",
            "is_public",
            "owner",
            "created_at",
            "updated_at"
        ],
        "the serializer's field order, as DRF writes it"
    );

    // An update moves updated_at and keeps created_at.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let url = format!("/api/notes/{}/", note["id"]);
    let patched = ann
        .patch(&url, json!({"created_at": "1999-01-01T00:00:00Z"}))
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(patched.json["created_at"], note["created_at"]);
    assert!(patched.json["updated_at"].as_str() > note["updated_at"].as_str());

    // HTML form input: DRF reads a missing checkbox as false on PUT.
    let public = ann.patch(&url, json!({"is_public": true})).await;
    assert_eq!(public.json["is_public"], true);
    let put = ann.form("PUT", &url, "title=again").await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.json);
    assert_eq!(put.json["is_public"], false);
    assert_eq!(
        put.json["body"], "",
        "an absent optional field keeps its value on PUT"
    );
}
