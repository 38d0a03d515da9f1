//! Many-to-many fields (`type = "many_to_many"`), as a `ModelSerializer` renders Django's
//! `ManyToManyField`: a list of the linked rows' ids in id order, validated as DRF's
//! `ManyRelatedField` (each id must be a row the caller may see), replaced by PUT, kept by a PATCH
//! without it, filtered with `?tags=<id>`, and gone with either side of a link.

use crate::harness::resources::{ResourceApp, field_error};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Labels (each user's own, or public) and articles with an optional `labels` list and a
/// required `topics` list.
const SCHEMA: &str = r#"
[[resources]]
name = "labels"
ordering = ["id"]
visible_to = "owner_or_public"
public_flag = "public"
[resources.access]
list = "anyone"
retrieve = "anyone"

[[resources.fields]]
name = "name"
type = "string"
max_length = 20

[[resources.fields]]
name = "public"
type = "boolean"

[[resources.fields]]
name = "owner"
type = "owner"

[[resources]]
name = "topics"
ordering = ["id"]

[[resources.fields]]
name = "name"
type = "string"
max_length = 20

[[resources]]
name = "articles"
ordering = ["id"]
filter_fields = ["labels"]

[[resources.fields]]
name = "title"
type = "string"
max_length = 50

[[resources.fields]]
name = "labels"
type = "many_to_many"
to = "labels"
blank = true

[[resources.fields]]
name = "topics"
type = "many_to_many"
to = "topics"
"#;

fn id(row: &Value) -> i64 {
    row["id"].as_i64().expect("an id")
}

/// Rows of `resource` created by `caller` with these names (public labels), their ids.
async fn rows(caller: &crate::harness::Caller<'_>, resource: &str, names: &[&str]) -> Vec<i64> {
    let mut ids = Vec::new();
    for name in names {
        let row = caller
            .create(
                &format!("/api/{resource}/"),
                json!({"name": name, "public": true}),
            )
            .await;
        ids.push(id(&row));
    }
    ids
}

#[tokio::test]
async fn links_render_as_ids_and_are_replaced_or_kept() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let l = rows(&ann, "labels", &["red", "green", "blue"]).await;
    let t = rows(&ann, "topics", &["science"]).await;
    // Any order, repeated ids: stored once each, rendered in id order.
    let created = ann
        .create(
            "/api/articles/",
            json!({"title": "first", "labels": [l[2], l[0], l[1], l[0]], "topics": [t[0]]}),
        )
        .await;
    assert_eq!(created["labels"], json!([l[0], l[1], l[2]]));
    assert_eq!(created["topics"], json!([t[0]]));
    let url = format!("/api/articles/{}/", id(&created));
    assert_eq!(ann.get(&url).await.json, created);
    assert_eq!(
        ann.get("/api/articles/").await.results(),
        vec![created.clone()]
    );

    // PUT without the optional field keeps its links; PATCH with it replaces the set; PATCH
    // without it keeps it.
    let put = ann
        .put(&url, json!({"title": "again", "topics": [t[0]]}))
        .await;
    assert_eq!(put.status, StatusCode::OK);
    assert_eq!(put.json["labels"], json!([l[0], l[1], l[2]]));
    let patched = ann.patch(&url, json!({"labels": [l[2]]})).await;
    assert_eq!(patched.json["labels"], json!([l[2]]));
    let patched = ann.patch(&url, json!({"labels": [l[2], l[0]]})).await;
    assert_eq!(patched.json["labels"], json!([l[0], l[2]]));
    let kept = ann.patch(&url, json!({"title": "renamed"})).await;
    assert_eq!(kept.json["labels"], json!([l[0], l[2]]));
    let cleared = ann.patch(&url, json!({"labels": []})).await;
    assert_eq!(cleared.json["labels"], json!([]));

    // Form input: the repeated key is the list; a PUT without it clears the links (DRF's
    // getlist gives an empty list), a PATCH without it keeps them.
    let form = ann
        .form("PATCH", &url, &format!("labels={}&labels={}", l[1], l[0]))
        .await;
    assert_eq!(form.json["labels"], json!([l[0], l[1]]));
    let form = ann.form("PATCH", &url, "title=f").await;
    assert_eq!(form.json["labels"], json!([l[0], l[1]]));
    let form = ann
        .form("PUT", &url, &format!("title=g&topics={}", t[0]))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.json["labels"], json!([]));
}

#[tokio::test]
async fn input_is_validated_as_drf_many_related_field() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let t = rows(&ann, "topics", &["science"]).await;
    let missing = |pk: &str| format!("Invalid pk \"{pk}\" - object does not exist.");
    let wrong = |kind: &str| format!("Incorrect type. Expected pk value, received {kind}.");
    let required = ann.post("/api/articles/", json!({"title": "x"})).await;
    assert_eq!(required.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        required.json,
        field_error("topics", "This field is required.")
    );
    for (topics, message) in [
        (json!([]), "This list may not be empty.".to_string()),
        (json!({}), "This list may not be empty.".to_string()),
        (
            json!("1"),
            "Expected a list of items but got type \"str\".".to_string(),
        ),
        (
            json!(5),
            "Expected a list of items but got type \"int\".".to_string(),
        ),
        (Value::Null, "This field may not be null.".to_string()),
        // The first bad item only, as Django stops there.
        (json!([999, "x"]), missing("999")),
        (json!(["x", 999]), wrong("str")),
        (json!([null]), missing("None")),
        (json!([true]), wrong("bool")),
        (json!([[1]]), wrong("list")),
        (json!({"a": 1}), wrong("str")),
        (
            json!(["99999999999999999999"]),
            missing("99999999999999999999"),
        ),
        (json!([9.5]), missing("9.5")),
    ] {
        let reply = ann
            .post("/api/articles/", json!({"title": "x", "topics": topics}))
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{topics}");
        assert_eq!(reply.json, field_error("topics", &message), "{topics}");
    }
    // Text ids as Python's int() reads them, and a float int()ed.
    let ok = ann
        .post(
            "/api/articles/",
            json!({"title": "x", "topics": [format!(" {} ", t[0])], "labels": {}}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    assert_eq!(ok.json["topics"], json!([t[0]]));
    assert_eq!(ok.json["labels"], json!([]));
    let float = ann
        .post(
            "/api/articles/",
            json!({"title": "y", "topics": [t[0] as f64 + 0.5]}),
        )
        .await;
    assert_eq!(float.json["topics"], json!([t[0]]));
    // Every field's errors at once, and nothing written.
    let both = ann
        .post(
            "/api/articles/",
            json!({"title": "", "labels": "x", "topics": [999]}),
        )
        .await;
    assert_eq!(
        both.json,
        json!({
            "title": ["This field may not be blank."],
            "labels": ["Expected a list of items but got type \"str\"."],
            "topics": [missing("999")],
        })
    );
    assert_eq!(ann.get("/api/articles/").await.results().len(), 2);
}

#[tokio::test]
async fn linked_rows_must_be_visible_to_the_caller() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    let t = rows(&ann, "topics", &["science"]).await;
    let private = bob
        .create("/api/labels/", json!({"name": "mine", "public": false}))
        .await;
    let public = bob
        .create("/api/labels/", json!({"name": "ours", "public": true}))
        .await;
    // Another user's private label is answered exactly as a missing one.
    let refused = ann
        .post(
            "/api/articles/",
            json!({"title": "x", "topics": [t[0]], "labels": [id(&public), id(&private)]}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.json,
        field_error(
            "labels",
            &format!("Invalid pk \"{}\" - object does not exist.", id(&private))
        )
    );
    let own = bob
        .create(
            "/api/articles/",
            json!({"title": "x", "topics": [t[0]], "labels": [id(&public), id(&private)]}),
        )
        .await;
    assert_eq!(own["labels"], json!([id(&private), id(&public)]));
}

#[tokio::test]
async fn the_exact_filter_lists_each_linked_row_once() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let l = rows(&ann, "labels", &["a", "b"]).await;
    let t = rows(&ann, "topics", &["t"]).await;
    let both = ann
        .create(
            "/api/articles/",
            json!({"title": "both", "labels": [l[0], l[1]], "topics": [t[0]]}),
        )
        .await;
    let one = ann
        .create(
            "/api/articles/",
            json!({"title": "one", "labels": [l[1]], "topics": [t[0]]}),
        )
        .await;
    ann.create("/api/articles/", json!({"title": "none", "topics": [t[0]]}))
        .await;
    let titles = |reply: &crate::harness::Response| reply.listed("title");
    let by_b = ann.get(&format!("/api/articles/?labels={}", l[1])).await;
    assert_eq!(by_b.json["count"], 2);
    assert_eq!(titles(&by_b), [json!("both"), json!("one")]);
    let by_a = ann.get(&format!("/api/articles/?labels={}", l[0])).await;
    assert_eq!(by_a.results(), vec![both]);
    assert!(
        ann.get("/api/articles/?labels=999")
            .await
            .results()
            .is_empty()
    );
    assert!(
        ann.get("/api/articles/?labels=99999999999999999999")
            .await
            .results()
            .is_empty()
    );
    let bad = ann.get("/api/articles/?labels=red").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json, field_error("labels", "Enter a whole number."));
    let _ = one;
}

#[tokio::test]
async fn links_go_with_either_side() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let l = rows(&ann, "labels", &["a", "b"]).await;
    let t = rows(&ann, "topics", &["t"]).await;
    let article = ann
        .create(
            "/api/articles/",
            json!({"title": "x", "labels": [l[0], l[1]], "topics": [t[0]]}),
        )
        .await;
    let url = format!("/api/articles/{}/", id(&article));
    let deleted = ann.delete(&format!("/api/labels/{}/", l[0])).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(ann.get(&url).await.json["labels"], json!([l[1]]));
    assert_eq!(ann.delete(&url).await.status, StatusCode::NO_CONTENT);
    let left = app
        .sql()
        .await
        .int("SELECT COUNT(*) FROM articles_labels", &[])
        .await;
    assert_eq!(left, 0);
    // The label itself stays.
    assert_eq!(
        ann.get(&format!("/api/labels/{}/", l[1])).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn options_show_a_related_field() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let reply = ann.call("OPTIONS", "/api/articles/", None).await;
    let post = &reply.json["actions"]["POST"];
    assert_eq!(
        post["labels"],
        json!({"type": "field", "required": false, "read_only": false, "label": "Labels"})
    );
    assert_eq!(
        post["topics"],
        json!({"type": "field", "required": true, "read_only": false, "label": "Topics"})
    );
}

mod join_table;
mod schema_check;
