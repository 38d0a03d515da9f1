//! What both notes URLs answer alike: HEAD, OPTIONS (DRF's metadata body), `.json` format
//! suffixes and `?format=`.

use super::*;
use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let note = ann.create("/api/notes/", json!({"title": "hello"})).await;
    let id = note["id"].as_i64().unwrap();

    let list = ann.call("HEAD", "/api/notes/", None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.is_empty());
    assert_eq!(
        list.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        list.header("allow").as_deref(),
        Some("GET, HEAD, OPTIONS, POST")
    );

    let detail = ann.call("HEAD", &format!("/api/notes/{id}/"), None).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.is_empty());
    assert_eq!(
        detail.header("allow").as_deref(),
        Some("DELETE, GET, HEAD, OPTIONS, PATCH, PUT")
    );

    let missing = ann.call("HEAD", "/api/notes/999999/", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.is_empty());

    let anonymous = app.anon().call("HEAD", "/api/notes/", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.body.is_empty());
    assert_eq!(
        anonymous.header("www-authenticate").as_deref(),
        Some("Token")
    );
}

#[tokio::test]
async fn options_gives_drf_metadata() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let note = ann.create("/api/notes/", json!({"title": "mine"})).await;
    let id = note["id"].as_i64().unwrap();

    let list = ann.call("OPTIONS", "/api/notes/", None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(
        list.json,
        metadata("Note List", Some(json!({"POST": note_fields()})))
    );

    let detail = ann
        .call("OPTIONS", &format!("/api/notes/{id}/"), None)
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert_eq!(
        detail.json,
        metadata("Note Instance", Some(json!({"PUT": note_fields()})))
    );

    // OPTIONS runs the permission check like any other method.
    let anonymous = app.anon().call("OPTIONS", "/api/notes/", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.json,
        json!({"detail": "Authentication credentials were not provided."})
    );
}

#[tokio::test]
async fn format_suffixes_and_format_parameter() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let note = ann
        .create("/api/notes/", json!({"title": "suffixed"}))
        .await;
    let id = note["id"].as_i64().unwrap();

    for path in [
        format!("/api/notes/{id}.json"),
        format!("/api/notes/{id}.json/"),
        format!("/api/notes/{id}/?format=json"),
    ] {
        let reply = ann.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.json, note, "{path}");
    }
    for path in [
        "/api/notes.json",
        "/api/notes.json/",
        "/api/notes/?format=json",
    ] {
        let reply = ann.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.json["results"], json!([note]), "{path}");
    }
    // A format no renderer has: DRF's 404.
    for path in [
        format!("/api/notes/{id}.xml"),
        "/api/notes/?format=xml".into(),
    ] {
        let reply = ann.get(&path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.json, json!({"detail": "Not found."}), "{path}");
    }
    // The suffix works for writes too.
    let patched = ann
        .patch(&format!("/api/notes/{id}.json"), json!({"body": "more"}))
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(patched.json["body"], "more");
}
