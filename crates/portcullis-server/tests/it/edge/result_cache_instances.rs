//! PostgreSQL's result cache across instances on one real database
//! (`PORTCULLIS_TEST_DATABASE_URL`; skipped without it, failing under CI): instance B keeps
//! the answers of its resource reads; a write through instance A is read on B within a second,
//! since the resource table's trigger announces it; B's own writes are read on B at once; and a
//! change that bypasses the triggers is not seen by B until something announced follows (so B
//! did serve from its cache).

use std::time::Duration;

use portcullis_server::Config;
use serde_json::{Value, json};

use super::auth_cache_instances::{connect, wait_for_listeners};
use crate::harness::Client;
use crate::harness::db::on_postgres;
use crate::harness::resources::ResourceApp;

/// Two instances with the notes resource on a fresh PostgreSQL database, both listening;
/// `None` when the tests are skipped (no PostgreSQL outside CI).
async fn two_instances() -> Option<(ResourceApp, crate::harness::TestApp)> {
    if !on_postgres() {
        let message = "these tests need a real PostgreSQL: set PORTCULLIS_TEST_DATABASE_URL to \
                       an admin URL on which they may create databases";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("skipped: {message}");
        return None;
    }
    let a = ResourceApp::start(Config::default()).await;
    let b = a.instance().await;
    wait_for_listeners(&a, 2).await;
    Some((a, b))
}

/// GET `path` twice (the second answer one the cache could have kept); its body.
async fn twice(client: &Client<'_>, path: &str) -> Value {
    let first = client.get(path).await;
    let second = client.get(path).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.text, second.text, "nothing changed in between");
    second.json
}

#[tokio::test]
async fn a_note_written_on_a_is_read_on_b_within_a_second() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let ann = a.user("ann").await;
    let on_b = b.with_key(&ann.token);
    let note = ann.create("/api/notes/", json!({"title": "one"})).await;
    let path = format!("/api/notes/{}/", note["id"]);
    assert_eq!(twice(&on_b, "/api/notes/").await["count"], 1);
    assert_eq!(twice(&on_b, &path).await["title"], "one");

    ann.create("/api/notes/", json!({"title": "two"})).await;
    let took = on_b
        .seen_within("/api/notes/", |page| page["count"] == 2)
        .await;
    assert!(
        took < Duration::from_secs(1),
        "the new note listed after {took:?}"
    );
    assert_eq!(ann.patch(&path, json!({"title": "uno"})).await.status, 200);
    let took = on_b.seen_within(&path, |body| body["title"] == "uno").await;
    assert!(
        took < Duration::from_secs(1),
        "the change read after {took:?}"
    );
    assert_eq!(ann.delete(&path).await.status, 204);
    let took = on_b
        .seen_within(&path, |body| body.get("id").is_none())
        .await;
    assert!(
        took < Duration::from_secs(1),
        "the deletion read after {took:?}"
    );
}

#[tokio::test]
async fn an_unannounced_change_is_kept_out_only_until_an_announced_one() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let ann = a.user("ann").await;
    let on_b = b.with_key(&ann.token);
    let note = ann.create("/api/notes/", json!({"title": "one"})).await;
    let path = format!("/api/notes/{}/", note["id"]);
    assert_eq!(twice(&on_b, &path).await["title"], "one");

    // A change that fires no trigger (as a restore or a replica-mode script would).
    let mut conn = connect(&a).await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "SET session_replication_role = replica; \
         UPDATE notes SET body = 'quietly' WHERE id = {}",
        note["id"]
    )))
    .execute(&mut conn)
    .await
    .expect("change the note behind the caches' back");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let body = on_b.get(&path).await.json;
    assert_eq!(body["body"], "", "served from B's cache: {body}");

    // B's own write is read on B at once, and with it what it had not been told.
    let res = on_b.patch(&path, json!({"title": "two"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let body = on_b.get(&path).await.json;
    assert_eq!(
        (&body["title"], &body["body"]),
        (&json!("two"), &json!("quietly")),
        "{body}"
    );
}
