//! Many-to-many fields (`type = "many_to_many"`), as a `ModelSerializer` renders Django's
//! `ManyToManyField`: a list of the linked rows' ids in id order, validated as DRF's
//! `ManyRelatedField` (each id must be a row the caller may see), replaced by PUT, kept by a PATCH
//! without it, filtered with `?tags=<id>`, and gone with either side of a link.

use crate::harness::db::skip_on_postgres;
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

#[test]
fn check_refuses_what_a_list_of_ids_cannot_do() {
    let with = |extra_resource: &str, extra_field: &str| {
        format!(
            "[[resources]]\nname = \"tags\"\n[[resources.fields]]\nname = \"n\"\ntype = \"text\"\n\
             [[resources]]\nname = \"posts\"\n{extra_resource}\n\
             [[resources.fields]]\nname = \"tags\"\ntype = \"many_to_many\"\nto = \"tags\"\n{extra_field}\n"
        )
    };
    let refused =
        |text: String| portcullis_server::resources::Schema::parse(&text).expect_err("refused");
    assert_eq!(
        refused(with("ordering_fields = [\"tags\"]", "")),
        [
            "resource posts: ordering_fields: \"tags\" is a many-to-many field: it holds a list of ids, which rows cannot be ordered by"
        ]
    );
    assert_eq!(
        refused(with("ordering = [\"tags\"]", "")),
        [
            "resource posts: ordering: \"tags\" is a many-to-many field: it holds a list of ids, which rows cannot be ordered by"
        ]
    );
    assert_eq!(
        refused(with("search_fields = [\"tags\"]", "")),
        [
            "resource posts: search_fields: \"tags\" is a many-to-many field: it holds a list of ids, which rows cannot be searched in (search looks in string and text fields)"
        ]
    );
    assert_eq!(
        refused(with("", "null = true")),
        [
            "resource posts: field tags: null has no effect on a many-to-many field (Django's fields.W340); use blank = true for an optional, possibly empty list"
        ]
    );
    assert_eq!(
        refused(with("", "unique = true")),
        [
            "resource posts: field tags: a many-to-many field cannot be unique (Django's fields.E330)"
        ]
    );
    let no_target = "[[resources]]\nname = \"posts\"\n[[resources.fields]]\nname = \"tags\"\ntype = \"many_to_many\"\n";
    assert_eq!(
        refused(no_target.to_string()),
        ["resource posts: field tags: a many_to_many needs `to = \"<resource>\"`"]
    );
    // The join table `posts_tags` would be another resource's table.
    let clash = with("", "")
        + "[[resources]]\nname = \"posts_tags\"\n[[resources.fields]]\nname = \"n\"\ntype = \"text\"\n";
    assert_eq!(
        refused(clash),
        [
            "resource posts, field tags: its join table \"posts_tags\" would be the table of resource posts_tags; rename the field or the resource"
        ]
    );
    assert!(
        portcullis_server::resources::Schema::parse(&with(
            "filter_fields = [\"tags\"]",
            "blank = true"
        ))
        .is_ok()
    );
}

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
