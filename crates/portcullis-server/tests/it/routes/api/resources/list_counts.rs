//! A list's `count` is exact after every write, whoever writes: the server's own writes, and
//! another connection's (another process on the same SQLite file, such as the CLI, or another
//! instance on PostgreSQL, once the database has announced it). SQLite's readers keep counts
//! between pages (`store/sqlite/read_job.rs`), PostgreSQL in its result cache, so these pin
//! that a kept count never outlives a commit.

use crate::harness::db::{Arg, on_postgres};
use crate::harness::resources::ResourceApp;
use serde_json::json;

#[tokio::test]
async fn a_count_follows_every_commit_whoever_makes_it() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    for n in 1..=3 {
        ann.create("/api/notes/", json!({"title": format!("n{n}")}))
            .await;
    }
    // The same page twice: the second may be answered from what the first counted.
    for _ in 0..2 {
        let page = ann.get("/api/notes/").await;
        assert_eq!(page.json["count"], 3, "{}", page.text);
        assert_eq!(page.listed("title").len(), 3);
    }

    // Another connection deletes a row: the next page counts two.
    let db = app.sql().await;
    let first: i64 = db.int("SELECT MIN(id) FROM notes", &[]).await;
    assert_eq!(
        db.execute("DELETE FROM notes WHERE id = ?", &[Arg::from(first)])
            .await,
        1
    );
    db.close().await;
    if on_postgres() {
        // On PostgreSQL another process's commit is known once the table's trigger announces
        // it to this instance's listener, a moment later (`postgres/data_version.rs`).
        let took = ann
            .seen_within("/api/notes/", |page| page["count"] == 2)
            .await;
        assert!(
            took < std::time::Duration::from_secs(1),
            "announced after {took:?}"
        );
    }
    let page = ann.get("/api/notes/").await;
    assert_eq!(page.json["count"], 2, "{}", page.text);
    assert_eq!(page.listed("title"), [json!("n3"), json!("n2")]);

    // The server's own write: three again, and a filtered count apart from the whole.
    ann.create("/api/notes/", json!({"title": "n4", "is_public": true}))
        .await;
    let page = ann.get("/api/notes/").await;
    assert_eq!(page.json["count"], 3, "{}", page.text);
    let public = ann.get("/api/notes/?is_public=true").await;
    assert_eq!(public.json["count"], 1, "{}", public.text);
    let page = ann.get("/api/notes/").await;
    assert_eq!(page.json["count"], 3, "{}", page.text);
}
