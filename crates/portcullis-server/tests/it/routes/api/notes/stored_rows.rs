//! `/api/notes/` over rows that another program wrote straight into the `notes` table, in
//! Django's layout and storage format (Django itself sharing the database, a bulk load such as
//! `bench/seed.py`): they are listed and read like the server's own rows.

use super::*;
use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use serde_json::json;

const INSERT: &str = "INSERT INTO notes (title, body, is_public, owner_id, created_at, updated_at) \
                      VALUES (?, ?, ?, ?, ?, ?)";

#[tokio::test]
async fn rows_written_in_djangos_layout_are_served_like_the_servers_own() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    let db = app.sql().await;
    // Django's columns and its SQLite text form of UTC timestamps; booleans as 0 and 1.
    for (title, public, owner, at) in [
        ("bob's secret", 0_i64, bob.id, "2025-03-04 05:06:07.000000"),
        ("bob's open", 1, bob.id, "2025-03-04 05:06:08.123456"),
        ("ann's old", 0, ann.id, "2025-01-01 00:00:00.000001"),
    ] {
        let args = [
            title.into(),
            "".into(),
            public.into(),
            owner.into(),
            at.into(),
            at.into(),
        ];
        db.execute(INSERT, &args).await;
    }
    let ids = db
        .rows::<(i64, String)>("SELECT id, title FROM notes ORDER BY id", &[])
        .await;
    db.close().await;
    let id_of = |title: &str| ids.iter().find(|(_, t)| t == title).map(|(id, _)| *id);

    let new = ann
        .create("/api/notes/", json!({"title": "ann's new"}))
        .await;
    let page = ann.get("/api/notes/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.json["count"], 3, "ann's two and bob's public one");
    // Newest first, DRF's timestamp form (a zero fraction dropped), the owner's username.
    assert_eq!(
        page.json["results"],
        json!([
            new,
            {"id": id_of("bob's open"), "title": "bob's open", "body": "", "is_public": true,
             "owner": "bob", "created_at": "2025-03-04T05:06:08.123456Z",
             "updated_at": "2025-03-04T05:06:08.123456Z"},
            {"id": id_of("ann's old"), "title": "ann's old", "body": "", "is_public": false,
             "owner": "ann", "created_at": "2025-01-01T00:00:00.000001Z",
             "updated_at": "2025-01-01T00:00:00.000001Z"},
        ])
    );
    let secret = format!("/api/notes/{}/", id_of("bob's secret").unwrap_or_default());
    let hidden = ann.get(&secret).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.json, json!({"detail": NO_NOTE}));
    let own = bob.get(&secret).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.json["created_at"], "2025-03-04T05:06:07Z");
    assert_eq!(bob.get("/api/notes/").await.json["count"], 2);
}

/// A list page is written from its rows directly (no JSON object per row), a detail from the
/// row's object: both must give the same bytes for a row, escapes and timestamps included.
#[tokio::test]
async fn a_list_page_holds_each_rows_detail_byte_for_byte() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let db = app.sql().await;
    for (title, body, at) in [
        (
            "a \"quoted\" title\\",
            "line\nbreak\t\u{1}",
            "2025-03-04 05:06:07.120000",
        ),
        ("été ✓ 😀", "", "2025-03-04 05:06:08.000000"),
    ] {
        let args = [
            title.into(),
            body.into(),
            0_i64.into(),
            ann.id.into(),
            at.into(),
            at.into(),
        ];
        db.execute(INSERT, &args).await;
    }
    db.close().await;
    let page = ann.get("/api/notes/").await;
    assert_eq!(page.status, StatusCode::OK);
    let results = page.json["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), 2);
    let mut details = Vec::new();
    for row in &results {
        let detail = ann.get(&format!("/api/notes/{}/", row["id"])).await;
        assert_eq!(detail.status, StatusCode::OK);
        details.push(detail.text);
    }
    assert_eq!(
        page.text,
        format!(
            r#"{{"count":2,"next":null,"previous":null,"results":[{}]}}"#,
            details.join(",")
        )
    );
    assert!(page.text.contains(r#""title":"a \"quoted\" title\\""#));
    assert!(
        page.text
            .contains(r#""created_at":"2025-03-04T05:06:07.120000Z""#)
    );
}
