//! How lists compare text and nulls, which must not depend on the database (these tests run on
//! SQLite, and on PostgreSQL with `PORTCULLIS_TEST_DATABASE_URL`): `?ordering=` by code point
//! whatever the locale, `?search=` folding ASCII letters only (SQLite's `LIKE`), nulls first
//! ascending and last descending, and comparisons with a number column given text.

use crate::harness::Caller;
use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use serde_json::{Value, json};

const SCHEMA: &str = r#"
[[resources]]
name = "words"
ordering = ["id"]
search_fields = ["text"]
ordering_fields = ["text", "rank"]
filter_fields = ["rank", "text"]
pagination = "none"

[resources.access]
list = "authenticated"
create = "authenticated"

[[resources.fields]]
name = "text"
type = "string"
max_length = 20

[[resources.fields]]
name = "rank"
type = "integer"
null = true
"#;

/// Six words written by `ann`, some without a rank.
async fn words(ann: &Caller<'_>) {
    for (text, rank) in [
        ("b", json!(2)),
        ("B", json!(null)),
        ("é", json!(1)),
        ("a", json!(null)),
        ("É", json!(3)),
        ("Z", json!(2)),
    ] {
        ann.create("/api/words/", json!({"text": text, "rank": rank}))
            .await;
    }
}

fn texts(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a plain list")
        .iter()
        .map(|row| row["text"].as_str().expect("a text"))
        .collect()
}

#[tokio::test]
async fn text_orders_by_code_point_and_search_folds_ascii_only() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    words(&ann).await;
    let up = ann.get("/api/words/?ordering=text").await;
    assert_eq!(texts(&up.json), ["B", "Z", "a", "b", "É", "é"]);
    let down = ann.get("/api/words/?ordering=-text").await;
    assert_eq!(texts(&down.json), ["é", "É", "b", "a", "Z", "B"]);
    assert_eq!(
        texts(&ann.get("/api/words/?search=b").await.json),
        ["b", "B"]
    );
    assert_eq!(
        texts(&ann.get("/api/words/?search=%C3%A9").await.json),
        ["é"]
    );
    assert_eq!(
        texts(&ann.get("/api/words/?search=%C3%89").await.json),
        ["É"]
    );
}

#[tokio::test]
async fn nulls_come_first_ascending_and_last_descending() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    words(&ann).await;
    let up = ann.get("/api/words/?ordering=rank").await;
    assert_eq!(texts(&up.json), ["B", "a", "é", "b", "Z", "É"]);
    let down = ann.get("/api/words/?ordering=-rank").await;
    assert_eq!(texts(&down.json), ["É", "Z", "b", "é", "a", "B"]);
}

#[tokio::test]
async fn filters_compare_in_the_column_s_type() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    words(&ann).await;
    assert_eq!(texts(&ann.get("/api/words/?rank=2").await.json), ["b", "Z"]);
    let bad = ann.get("/api/words/?rank=two").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json, json!({"rank": ["Enter a whole number."]}));
    // Text with a NUL matches no stored text (PostgreSQL cannot even hold one).
    let nul = ann.get("/api/words/?text=a%00").await;
    assert_eq!(nul.status, StatusCode::OK);
    assert_eq!(nul.json, json!([]));
}
