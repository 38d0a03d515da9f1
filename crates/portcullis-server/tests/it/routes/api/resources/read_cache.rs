//! The answers of resource reads are kept while the database is unchanged
//! (`store/result_cache.rs`). Nobody may notice: a read that starts after any commit has
//! returned — the server's own writes, an account change a row shows (its owner's name) or
//! takes away (a deleted owner's rows), another connection's write such as the CLI's — answers
//! as if nothing had been kept. On PostgreSQL another process's commit counts once the database
//! has announced it to this instance, a moment after it returned. Each check reads the same thing twice first, so that the second
//! answer is one the cache could have kept.

use crate::harness::db::{Arg, on_postgres};
use crate::harness::resources::ResourceApp;
use crate::harness::{ME, PASSWORD};
use axum::http::StatusCode;
use portcullis_server::Config;
use serde_json::json;

/// GET `path` twice as `caller`; the second answer's body.
async fn twice(caller: &crate::harness::Client<'_>, path: &str) -> serde_json::Value {
    let first = caller.get(path).await;
    let second = caller.get(path).await;
    assert_eq!(first.text, second.text, "nothing changed in between");
    second.json
}

#[tokio::test]
async fn a_read_after_a_commit_sees_it_whoever_committed() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let note = ann.create("/api/notes/", json!({"title": "one"})).await;
    let path = format!("/api/notes/{}/", note["id"]);
    assert_eq!(twice(&ann, &path).await["title"], "one");
    assert_eq!(twice(&ann, "/api/notes/").await["count"], 1);

    // The server's own writes.
    let res = ann.patch(&path, json!({"title": "two"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(twice(&ann, &path).await["title"], "two");
    ann.create("/api/notes/", json!({"title": "three"})).await;
    assert_eq!(twice(&ann, "/api/notes/").await["count"], 2);

    // Another connection to the same file, as the CLI or `sqlite3` would be.
    let db = app.sql().await;
    let id = note["id"].as_i64().expect("an id");
    db.execute(
        "UPDATE notes SET title = ? WHERE id = ?",
        &[Arg::from("from elsewhere"), Arg::from(id)],
    )
    .await;
    db.execute("DELETE FROM notes WHERE title = ?", &[Arg::from("three")])
        .await;
    db.close().await;
    if on_postgres() {
        // On PostgreSQL another process's commit is known once the table's trigger announces
        // it to this instance's listener, a moment later (`postgres/data_version.rs`).
        let took = ann
            .seen_within(&path, |body| body["title"] == "from elsewhere")
            .await;
        assert!(
            took < std::time::Duration::from_secs(1),
            "announced after {took:?}"
        );
    }
    assert_eq!(twice(&ann, &path).await["title"], "from elsewhere");
    let page = twice(&ann, "/api/notes/").await;
    assert_eq!(page["count"], 1, "{page}");

    // Deleted by the server: gone at once, and the list with it.
    assert_eq!(ann.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_eq!(ann.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(twice(&ann, "/api/notes/").await["count"], 0);
}

#[tokio::test]
async fn an_owner_renamed_or_deleted_shows_at_once_to_others() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    let note = ann
        .create("/api/notes/", json!({"title": "shared", "is_public": true}))
        .await;
    let path = format!("/api/notes/{}/", note["id"]);
    assert_eq!(twice(&bob, &path).await["owner"], "ann");

    let res = ann
        .post(
            "/auth/users/set_username/",
            json!({"new_username": "anna", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    assert_eq!(twice(&bob, &path).await["owner"], "anna");
    assert_eq!(twice(&bob, "/api/notes/").await["count"], 1);

    let res = ann
        .call("DELETE", ME, Some(json!({"current_password": PASSWORD})))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    assert_eq!(bob.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(twice(&bob, "/api/notes/").await["count"], 0);
}

#[tokio::test]
async fn with_the_read_cache_off_the_answers_are_the_same() {
    let mut config = Config::default();
    config.limits.read_cache_kb = 0;
    let app = ResourceApp::start(config).await;
    let ann = app.user("ann").await;
    let note = ann.create("/api/notes/", json!({"title": "one"})).await;
    let path = format!("/api/notes/{}/", note["id"]);
    assert_eq!(twice(&ann, &path).await["title"], "one");
    ann.patch(&path, json!({"title": "two"})).await;
    assert_eq!(twice(&ann, &path).await["title"], "two");
    assert_eq!(twice(&ann, "/api/notes/").await["count"], 1);
}
