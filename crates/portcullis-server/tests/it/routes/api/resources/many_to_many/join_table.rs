//! The join table behind a many-to-many field: long lists written in bounded batches and
//! replaced whole, a row and its links in one transaction, and reads through its indexes.

use super::{SCHEMA, id, rows};
use crate::harness::db::skip_on_postgres;
use crate::harness::resources::ResourceApp;
use serde_json::json;

#[tokio::test]
async fn long_lists_are_written_and_replaced_whole() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let db = app.sql().await;
    db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) \
         INSERT INTO topics (name) SELECT 't' || i FROM n",
        &[],
    )
    .await;
    let all: Vec<i64> = (1..=2500).collect();
    let mut sent: Vec<i64> = all.iter().rev().copied().collect();
    sent.extend(&all[..10]);
    let created = ann
        .create("/api/articles/", json!({"title": "long", "topics": sent}))
        .await;
    assert_eq!(created["topics"], json!(all));
    let url = format!("/api/articles/{}/", id(&created));
    let fewer = ann.patch(&url, json!({"topics": all[5..1500]})).await;
    assert_eq!(fewer.json["topics"], json!(all[5..1500]));
    let few = ann.patch(&url, json!({"topics": [all[3], all[7]]})).await;
    assert_eq!(few.json["topics"], json!([all[3], all[7]]));
    let stored = db.int("SELECT COUNT(*) FROM articles_topics", &[]).await;
    assert_eq!(stored, 2);
}

#[tokio::test]
async fn a_row_and_its_links_are_written_together_or_not_at_all() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let t = rows(&ann, "topics", &["ok", "doomed"]).await;
    let article = ann
        .create("/api/articles/", json!({"title": "kept", "topics": [t[0]]}))
        .await;
    // A link the database refuses after validation (as a target deleted in between would be).
    let condition = format!("NEW.topics_id = {}", t[1]);
    app.sql()
        .await
        .create_failing_trigger("refuse", "INSERT", "articles_topics", &condition, "refused")
        .await;
    let failed = ann
        .post(
            "/api/articles/",
            json!({"title": "half", "topics": [t[0], t[1]]}),
        )
        .await;
    assert!(failed.status.is_server_error(), "{}", failed.status);
    let url = format!("/api/articles/{}/", id(&article));
    let failed = ann
        .put(&url, json!({"title": "changed", "topics": [t[1]]}))
        .await;
    assert!(failed.status.is_server_error(), "{}", failed.status);
    // Neither the new row nor the update's title nor its removed link was kept.
    let listed = ann.get("/api/articles/").await.results();
    assert_eq!(listed, vec![article]);
}

#[tokio::test]
async fn links_and_the_filter_are_read_through_the_join_table_s_indexes() {
    if skip_on_postgres("reads SQLite's query plans") {
        return;
    }
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let l = rows(&ann, "labels", &["a", "b"]).await;
    let t = rows(&ann, "topics", &["t"]).await;
    for n in 0..20 {
        ann.create(
            "/api/articles/",
            json!({"title": format!("a{n}"), "labels": [l[n % 2]], "topics": [t[0]]}),
        )
        .await;
    }
    let schema = app.state.schema();
    let articles = schema.resource("articles").expect("articles");
    // A page's links: one statement for all its rows, searched in the pair's index, no sort.
    let links = portcullis_server::resources::many_to_many::links_statement_of(
        articles,
        "labels",
        &(1..=20).collect::<Vec<i64>>(),
    )
    .expect("a many-to-many field");
    let plan = app
        .query_plan(&links.to_string(sea_query::SqliteQueryBuilder))
        .await;
    assert!(
        plan.iter().any(
            |s| s.starts_with("SEARCH articles_labels USING COVERING INDEX ux_articles_labels")
        ),
        "{plan:?}"
    );
    assert!(!plan.iter().any(|s| s.contains("TEMP B-TREE")), "{plan:?}");
    // `?labels=<id>` looks the linked rows up by the target's index.
    let (_, select) =
        portcullis_server::resources::query::list_statements(articles, None, |name| {
            (name == "labels").then(|| l[0].to_string())
        })
        .expect("a valid filter");
    let plan = app
        .query_plan(&select.to_string(sea_query::SqliteQueryBuilder))
        .await;
    assert!(
        plan.iter()
            .any(|s| s.contains("ix_articles_labels_labels_id")),
        "{plan:?}"
    );
}
