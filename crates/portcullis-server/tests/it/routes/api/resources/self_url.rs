//! A `HyperlinkedModelSerializer`: the row's own `url` (`HyperlinkedIdentityField`) and the
//! serializer's `Meta.fields` order (`serializer_fields`), in bodies, OPTIONS and the 201's
//! `Location`; `check` refuses a link no router can reverse.

use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::UrlPattern;
use serde_json::json;

const SCHEMA: &str = r#"
[[resources]]
name = "projects"
timestamps = true
serializer_fields = ["url", "id", "name", "created_at", "updated_at", "owner"]

[[resources.fields]]
name = "name"
type = "string"
max_length = 50

[[resources.fields]]
name = "owner"
type = "owner"
related = "string"
"#;

#[tokio::test]
async fn bodies_hold_the_url_in_the_serializers_order() {
    let app = ResourceApp::with_schema(SCHEMA).await;
    let ann = app.user("ann").await;
    let created = ann.post("/api/projects/", json!({"name": "Apollo"})).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.json["id"].as_i64().expect("an id");
    let url = format!("http://localhost/api/projects/{id}/");
    // CreateModelMixin.get_success_headers: the body's url is the Location.
    assert_eq!(created.header("location"), Some(url.clone()));
    assert_eq!(created.json["url"], url);
    assert_eq!(created.json["owner"], "ann", "str(user) is the username");
    let keys: Vec<&String> = created
        .json
        .as_object()
        .expect("an object")
        .keys()
        .collect();
    assert_eq!(
        keys,
        ["url", "id", "name", "created_at", "updated_at", "owner"],
        "{}",
        created.text
    );
    assert!(
        created
            .text
            .starts_with(&format!("{{\"url\":\"{url}\",\"id\":{id},"))
    );
    let detail = ann.get(&format!("/api/projects/{id}/")).await;
    assert_eq!(detail.text, created.text);
    let options = ann.send("OPTIONS", "/api/projects/", &[], None).await;
    let post = options.json["actions"]["POST"].as_object().expect("POST");
    let keys: Vec<&String> = post.keys().collect();
    assert_eq!(
        keys,
        ["url", "id", "name", "created_at", "updated_at", "owner"]
    );
    assert_eq!(
        post["url"],
        json!({"type": "field", "required": false, "read_only": true, "label": "Url"})
    );
    // The url is read-only: a PATCH naming one changes nothing.
    let patched = ann
        .patch(
            &format!("/api/projects/{id}/"),
            json!({"url": "http://x/", "name": "B"}),
        )
        .await;
    assert_eq!(patched.json["url"], url);
}

#[tokio::test]
async fn without_serializer_fields_the_declared_order_stays() {
    let app = ResourceApp::with_schema(&SCHEMA.replace(
        "serializer_fields = [\"url\", \"id\", \"name\", \"created_at\", \"updated_at\", \"owner\"]\n",
        "",
    ))
    .await;
    let ann = app.user("ann").await;
    let created = ann.post("/api/projects/", json!({"name": "Apollo"})).await;
    let keys: Vec<&String> = created
        .json
        .as_object()
        .expect("an object")
        .keys()
        .collect();
    assert_eq!(keys, ["id", "name", "owner", "created_at", "updated_at"]);
    assert_eq!(created.header("location"), None);
}

#[test]
fn serializer_fields_must_list_every_field_once() {
    let text = SCHEMA.replace("\"owner\"]", "\"nope\", \"name\"]");
    let problems = portcullis_server::resources::Schema::parse(&text).expect_err("refused");
    assert_eq!(
        problems,
        [
            "resource projects: serializer_fields: \"nope\" is not a field (nor \"id\" or \"url\")",
            "resource projects: serializer_fields: \"name\" is listed twice",
            "resource projects: serializer_fields: field owner is missing (a model field the serializer leaves out has no place in the schema file)",
        ]
    );
}

#[test]
fn check_refuses_a_url_no_router_reverses() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("schema.toml");
    let schema = format!(
        "{SCHEMA}\n[[resources]]\nname = \"tags\"\n[[resources.fields]]\nname = \"label\"\ntype = \"text\"\n"
    );
    std::fs::write(&path, schema).expect("written");
    let problems: Vec<String> = Config {
        schema_file: path.display().to_string(),
        urls: vec![UrlPattern {
            path: "api/".into(),
            router: Some("DefaultRouter".into()),
            resources: Some(vec!["tags".into()]),
            ..UrlPattern::default()
        }],
        ..Config::default()
    }
    .problems()
    .iter()
    .map(ToString::to_string)
    .collect();
    assert!(
        problems.iter().any(|p| p.contains(
            "resource projects: serializer_fields has \"url\", but no router in [[urls]] registers projects"
        )),
        "{problems:#?}"
    );
}

#[tokio::test]
async fn errors_come_in_the_serializers_order() {
    let app = ResourceApp::with_schema(
        r#"
[[resources]]
name = "pairs"
serializer_fields = ["second", "id", "first"]

[[resources.fields]]
name = "first"
type = "integer"

[[resources.fields]]
name = "second"
type = "integer"
"#,
    )
    .await;
    let ann = app.user("ann").await;
    let answer = ann.post("/api/pairs/", json!({})).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.text,
        r#"{"second":["This field is required."],"first":["This field is required."]}"#
    );
}

/// DRF's `CursorPagination` reads a row's position from the model instance, not from the body:
/// a serializer without the id, or rendering the ordering field another way, pages as well.
#[tokio::test]
async fn a_cursor_pages_by_fields_the_body_does_not_show() {
    let schema = r#"
[[resources]]
name = "tags"
serializer_fields = ["url", "label", "rank"]
cursor_ordering = "id"
ordering_fields = ["rank"]

[[resources.fields]]
name = "label"
type = "string"
max_length = 20

[[resources.fields]]
name = "rank"
type = "integer"
write_only = true
"#;
    let config = Config {
        pagination: portcullis_server::config::PaginationStyle::CursorPagination,
        page_size: 1,
        ..Config::default()
    };
    let app = ResourceApp::with_config_and_schema(config, schema).await;
    let ann = app.user("ann").await;
    for (label, rank) in [("a", 3), ("b", 1), ("c", 2)] {
        let res = ann
            .post("/api/tags/", json!({"label": label, "rank": rank}))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    for (path, want) in [
        ("/api/tags/", ["a", "b", "c"]),
        ("/api/tags/?ordering=rank", ["b", "c", "a"]),
    ] {
        let mut seen = Vec::new();
        let mut next = Some(path.to_string());
        while let Some(path) = next.take() {
            let page = ann.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text);
            seen.extend(page.listed("label"));
            next = page.json["next"]
                .as_str()
                .map(|n| n.replace("http://localhost", ""));
            if let Some(next) = &next {
                // The cursor holds the last row's position (`p=`), as DRF writes it, not an
                // offset over rows whose position it could not read (`o=`).
                let cursor = next.split("cursor=").nth(1).expect("a cursor");
                let cursor =
                    percent_encoding::percent_decode_str(cursor.split('&').next().unwrap_or(""))
                        .decode_utf8_lossy()
                        .to_string();
                let decoded =
                    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &cursor)
                        .expect("base64");
                let decoded = String::from_utf8(decoded).expect("text");
                assert!(decoded.contains("p="), "{path}: {decoded}");
                assert!(!decoded.contains("o="), "{path}: {decoded}");
            }
            assert!(seen.len() <= 3, "{path} pages on past the rows: {seen:?}");
        }
        assert_eq!(seen, want.map(|l| json!(l)), "{path}");
    }
}
