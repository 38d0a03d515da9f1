//! Lists of schema-defined resources: DRF's pagination with a capped `page_size` parameter,
//! search, ordering, exact filters and the API root (the plans of the list queries are in
//! `list_plans.rs`).

use crate::harness::resources::ResourceApp;
use crate::harness::world::world;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::resources::schema::DEFAULT_SCHEMA;
use serde_json::{Value, json};

fn detail(message: &str) -> Value {
    json!({ "detail": message })
}

#[tokio::test]
async fn page_size_parameter_is_capped_when_configured() {
    // The built-in notes with DRF's page_size_query_param and max_page_size, PAGE_SIZE = 2.
    let schema = DEFAULT_SCHEMA.replace(
        "public_flag = \"is_public\"\n",
        "public_flag = \"is_public\"\npage_size_query_param = \"page_size\"\nmax_page_size = 3\n",
    );
    assert_ne!(schema, DEFAULT_SCHEMA);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.toml");
    std::fs::write(&path, schema).unwrap();
    let app = ResourceApp::start(Config {
        schema_file: path.display().to_string(),
        page_size: 2,
        ..Config::default()
    })
    .await;
    let ann = app.user("ann").await;
    for n in 1..=5 {
        ann.create("/api/notes/", json!({"title": format!("n{n}")}))
            .await;
    }

    let page = ann.get("/api/notes/").await;
    assert_eq!(page.json["count"], 5);
    assert_eq!(page.listed("title"), [json!("n5"), json!("n4")]);
    assert_eq!(page.json["next"], "http://localhost/api/notes/?page=2");

    let one = ann.get("/api/notes/?page_size=1").await;
    assert_eq!(one.listed("title"), [json!("n5")]);
    assert_eq!(
        one.json["next"],
        "http://localhost/api/notes/?page=2&page_size=1"
    );

    // Above the cap: the cap.
    let capped = ann.get("/api/notes/?page_size=100").await;
    assert_eq!(capped.results().len(), 3);
    let second = ann.get("/api/notes/?page_size=100&page=2").await;
    assert_eq!(second.listed("title"), [json!("n2"), json!("n1")]);
    assert_eq!(second.json["next"], Value::Null);
    assert_eq!(
        second.json["previous"],
        "http://localhost/api/notes/?page_size=100"
    );

    // Not a positive integer: the default size, as DRF's _positive_int(strict=True) decides.
    for bad in ["0", "-1", "abc", ""] {
        let reply = ann.get(&format!("/api/notes/?page_size={bad}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{bad}");
        assert_eq!(reply.results().len(), 2, "{bad}");
    }

    let beyond = ann.get("/api/notes/?page_size=3&page=3").await;
    assert_eq!(beyond.status, StatusCode::NOT_FOUND);
    assert_eq!(beyond.json, json!({"detail": "Invalid page."}));
}

#[tokio::test]
async fn search_escapes_like_wildcards() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    for title in ["100% sure", "1000 sheep", "snake_case", "snakeXcase"] {
        ann.create("/api/notes/", json!({"title": title})).await;
    }
    let percent = ann.get("/api/notes/?search=100%25").await;
    assert_eq!(percent.listed("title"), [json!("100% sure")]);
    let underscore = ann.get("/api/notes/?search=e_c").await;
    assert_eq!(underscore.listed("title"), [json!("snake_case")]);
    // Case-insensitive, as Django's icontains on SQLite.
    let upper = ann.get("/api/notes/?search=SHEEP").await;
    assert_eq!(upper.listed("title"), [json!("1000 sheep")]);
    // DRF validates the search text as a CharField: a NUL is refused, with a bare list.
    let nul = ann.get("/api/notes/?search=a%00b").await;
    assert_eq!(nul.status, StatusCode::BAD_REQUEST);
    assert_eq!(nul.json, json!(["Null characters are not allowed."]));
}

#[tokio::test]
async fn list_parameters_and_the_api_root() {
    let app = ResourceApp::projects().await;
    let w = world(&app).await;
    let ann = &w.ann;
    for (name, priority, budget) in [("Zeta", 2, 10.0), ("Eta", 2, 5.5), ("Theta", 1, 700.0)] {
        ann.create("/api/projects/", json!({"name": name, "priority": priority, "budget": budget, "description": format!("about {name}")}))
        .await;
    }
    // page_size = 2 by default; page_size_query_param capped at max_page_size = 3.
    let first = ann.get("/api/projects/").await;
    assert_eq!(first.json["count"], 5);
    assert_eq!(
        first.listed("name"),
        [json!("Ann private"), json!("Ann public")]
    );
    assert_eq!(first.json["next"], "http://localhost/api/projects/?page=2");
    let last = ann.get("/api/projects/?page=last").await;
    assert_eq!(last.listed("name"), [json!("Zeta")]);
    assert_eq!(
        ann.get("/api/projects/?page_size=50").await.results().len(),
        3
    );
    let invalid = ann.get("/api/projects/?page=4").await;
    assert_eq!(invalid.status, StatusCode::NOT_FOUND);
    assert_eq!(invalid.json, detail("Invalid page."));

    // Ordering on declared fields, `-` for descending; other fields are ignored.
    let by_priority = ann
        .get("/api/projects/?ordering=-priority,name&page_size=3")
        .await;
    assert_eq!(
        by_priority.listed("name"),
        [json!("Ann private"), json!("Ann public"), json!("Eta")]
    );
    let by_budget = ann.get("/api/projects/?ordering=-budget&page_size=3").await;
    assert_eq!(
        by_budget.listed("name"),
        [json!("Theta"), json!("Zeta"), json!("Eta")]
    );
    let ignored = ann
        .get("/api/projects/?ordering=description&page_size=3")
        .await;
    assert_eq!(
        ignored.listed("name"),
        [json!("Ann private"), json!("Ann public"), json!("Eta")]
    );

    // Search over name and description, case-insensitively.
    // Every term must match somewhere: "Zeta" and "Theta" contain "eta" too.
    let search = ann.get("/api/projects/?search=ABOUT+eta").await;
    assert_eq!(search.json["count"], 3);
    assert_eq!(search.listed("name"), [json!("Eta"), json!("Theta")]);

    // Exact filters on declared fields.
    let closed = ann.get("/api/projects/?status=closed").await;
    assert_eq!(closed.listed("name"), [json!("Ann public")]);
    let archived = w.bob.get("/api/projects/?archived=true").await;
    assert_eq!(archived.listed("name"), [json!("Bob private")]);
    let priority = ann.get("/api/projects/?priority=2").await;
    assert_eq!(priority.listed("name"), [json!("Eta"), json!("Zeta")]);
    let unknown = ann.get("/api/projects/?budget=10").await;
    assert_eq!(unknown.json["count"], 5, "budget is not a filter field");

    // The API root lists every resource.
    let root = ann.get("/api/").await;
    assert_eq!(
        root.json,
        json!({
            "projects": "http://localhost/api/projects/",
            "tasks": "http://localhost/api/tasks/",
        })
    );
}
