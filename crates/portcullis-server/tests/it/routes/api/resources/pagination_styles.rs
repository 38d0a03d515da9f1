//! DRF's pagination classes as a user meets them: no pagination (plain arrays), limit/offset
//! and cursor pages, chosen by the configuration (DEFAULT_PAGINATION_CLASS) or by a resource
//! (a viewset's `pagination_class`), and `portcullis check`'s refusal of unknown names.

use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::PaginationStyle;
use portcullis_server::resources::Schema;
use portcullis_server::resources::schema::DEFAULT_SCHEMA;
use serde_json::{Value, json};

/// A schema of events: `pagination` and extra keys added to the resource table.
fn events_schema(extra: &str) -> String {
    format!(
        r#"
[[resources]]
name = "events"
timestamps = true
ordering = ["-starts_at"]
ordering_fields = ["title", "starts_at"]
visible_to = "owner"
{extra}

[resources.access]
list = "authenticated"
create = "authenticated"

[[resources.fields]]
name = "title"
type = "string"
max_length = 100

[[resources.fields]]
name = "starts_at"
type = "datetime"

[[resources.fields]]
name = "owner"
type = "owner"
"#
    )
}

async fn app(pagination: PaginationStyle, schema: &str) -> ResourceApp {
    let config = Config {
        pagination,
        ..Config::default()
    };
    ResourceApp::with_config_and_schema(config, schema).await
}

fn titles(list: &Value) -> Vec<Value> {
    list.as_array()
        .expect("a plain JSON array")
        .iter()
        .map(|r| r["title"].clone())
        .collect()
}

#[tokio::test]
async fn without_pagination_a_list_is_a_plain_array_of_every_row() {
    let app = app(PaginationStyle::None, DEFAULT_SCHEMA).await;
    let ann = app.user("ann").await;
    let empty = ann.get("/api/notes/").await;
    assert_eq!(empty.json, json!([]));
    for n in 1..=25 {
        ann.create("/api/notes/", json!({"title": format!("n{n:02}")}))
            .await;
    }
    let all = ann.get("/api/notes/").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(
        all.json.as_array().unwrap().len(),
        25,
        "more than PAGE_SIZE"
    );
    assert_eq!(titles(&all.json)[0], "n25");
    // Ordering and search still apply; page parameters mean nothing.
    let ordered = ann.get("/api/notes/?ordering=title&search=n1&page=9").await;
    assert_eq!(ordered.json.as_array().unwrap().len(), 10);
    assert_eq!(titles(&ordered.json)[0], "n10");
}

#[tokio::test]
async fn a_resource_overrides_the_configured_style() {
    // The configuration pages by number; the resource asks for none.
    let schema = DEFAULT_SCHEMA.replace(
        "public_flag = \"is_public\"\n",
        "public_flag = \"is_public\"\npagination = \"none\"\n",
    );
    let app = app(PaginationStyle::PageNumberPagination, &schema).await;
    let ann = app.user("ann").await;
    ann.create("/api/notes/", json!({"title": "one"})).await;
    let list = ann.get("/api/notes/").await;
    assert_eq!(titles(&list.json), [json!("one")]);
}

#[tokio::test]
async fn limit_offset_pages_link_as_drf_does() {
    let schema = events_schema("pagination = \"LimitOffsetPagination\"\npage_size = 2");
    let app = app(PaginationStyle::None, &schema).await;
    let ann = app.user("ann").await;
    let empty = ann.get("/api/events/").await;
    assert_eq!(
        empty.json,
        json!({"count": 0, "next": null, "previous": null, "results": []})
    );
    // DRF links back from any offset, even in an empty list.
    let empty = ann.get("/api/events/?offset=3").await;
    assert_eq!(
        empty.json["previous"],
        "http://localhost/api/events/?limit=2&offset=1"
    );
    for day in 1..=5 {
        let at = format!("2026-01-0{day}T10:00:00Z");
        ann.create(
            "/api/events/",
            json!({"title": format!("d{day}"), "starts_at": at}),
        )
        .await;
    }
    let first = ann.get("/api/events/").await;
    assert_eq!(first.json["count"], 5);
    assert_eq!(first.listed("title"), [json!("d5"), json!("d4")]);
    assert_eq!(
        first.json["next"],
        "http://localhost/api/events/?limit=2&offset=2"
    );
    assert_eq!(first.json["previous"], Value::Null);

    let middle = ann.get("/api/events/?offset=1&limit=3").await;
    assert_eq!(
        middle.listed("title"),
        [json!("d4"), json!("d3"), json!("d2")]
    );
    // Within one limit of the start, the previous link drops `offset`.
    assert_eq!(
        middle.json["previous"],
        "http://localhost/api/events/?limit=3"
    );
    assert_eq!(
        middle.json["next"],
        "http://localhost/api/events/?limit=3&offset=4"
    );

    // 0, negative and non-numeric values fall back to the defaults.
    for query in ["limit=0", "limit=-1&offset=-4", "limit=x&offset=y"] {
        let reply = ann.get(&format!("/api/events/?{query}")).await;
        assert_eq!(reply.listed("title"), [json!("d5"), json!("d4")], "{query}");
    }
    // Past the end: no rows, and a previous link one limit back.
    let past = ann.get("/api/events/?offset=9").await;
    assert_eq!(past.results(), Vec::<Value>::new());
    assert_eq!(past.json["next"], Value::Null);
    assert_eq!(
        past.json["previous"],
        "http://localhost/api/events/?limit=2&offset=7"
    );
}

#[tokio::test]
async fn cursor_pages_walk_forward_and_back() {
    let schema = events_schema("pagination = \"CursorPagination\"\npage_size = 2");
    let app = app(PaginationStyle::None, &schema).await;
    let ann = app.user("ann").await;
    let empty = ann.get("/api/events/").await;
    assert_eq!(
        empty.json,
        json!({"next": null, "previous": null, "results": []})
    );
    for day in 1..=5 {
        let at = format!("2026-01-0{day}T10:00:00Z");
        ann.create(
            "/api/events/",
            json!({"title": format!("d{day}"), "starts_at": at}),
        )
        .await;
    }
    let first = ann.get("/api/events/").await;
    assert_eq!(first.json.get("count"), None);
    assert_eq!(first.listed("title"), [json!("d5"), json!("d4")]);
    assert_eq!(first.json["previous"], Value::Null);
    // DRF's cursor: base64 of `p=<str(datetime)>`, quoted.
    assert_eq!(
        first.json["next"],
        "http://localhost/api/events/?cursor=cD0yMDI2LTAxLTA0KzEwJTNBMDAlM0EwMCUyQjAwJTNBMDA%3D"
    );

    let mut seen = first.listed("title");
    let mut next = first.json["next"].as_str().map(str::to_string);
    let mut last = first;
    while let Some(url) = next {
        let path = url.trim_start_matches("http://localhost");
        last = ann.get(path).await;
        seen.extend(last.listed("title"));
        next = last.json["next"].as_str().map(str::to_string);
    }
    assert_eq!(seen, ["d5", "d4", "d3", "d2", "d1"].map(|t| json!(t)));

    let back = last.json["previous"].as_str().unwrap();
    let back = ann.get(back.trim_start_matches("http://localhost")).await;
    assert_eq!(back.listed("title"), [json!("d3"), json!("d2")]);

    for bad in ["Y", "YQ", "%C3%A9", "bz0tMQ%3D%3D"] {
        let reply = ann.get(&format!("/api/events/?cursor={bad}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{bad}");
        assert_eq!(reply.json, json!({"detail": "Invalid cursor"}), "{bad}");
    }
}

#[test]
fn unknown_pagination_names_are_refused_with_the_choices() {
    let problems = Schema::parse(&events_schema("pagination = \"PageNumber\"")).unwrap_err();
    assert!(
        problems[0].contains(
            "\"PageNumber\" is not a pagination class; one of: none, PageNumberPagination"
        ),
        "{problems:?}"
    );
    let problems = Schema::parse(&events_schema("cursor_ordering = \"-owner\"")).unwrap_err();
    assert!(problems[0].contains("cursor_ordering"), "{problems:?}");
    let parsed: Result<Config, _> = toml::from_str("pagination = \"Pages\"");
    let message = parsed.unwrap_err().to_string();
    assert!(message.contains("LimitOffsetPagination"), "{message}");
}

#[tokio::test]
async fn djoser_user_list_follows_the_configured_style() {
    let plain = app(PaginationStyle::None, DEFAULT_SCHEMA).await;
    let ann = plain.user("ann").await;
    let list = ann.get("/auth/users/").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json[0]["username"], "ann");
    assert_eq!(list.json.as_array().map(Vec::len), Some(1));

    let windowed = app(PaginationStyle::LimitOffsetPagination, DEFAULT_SCHEMA).await;
    let bob = windowed.user("bob").await;
    let page = bob.get("/auth/users/?limit=1").await;
    assert_eq!(page.json["count"], 1);
    assert_eq!(page.listed("username"), [json!("bob")]);
    assert_eq!(page.json["next"], Value::Null);
}
