//! DRF's generic views and a tutorial's registration at the paths of a project's own
//! (`[[urls]]` with `view = "ListCreateAPIView"`, ...), configured exactly as
//! tests/projects/generic_views/portcullis.toml configures them: each view's own queryset
//! (the caller's rows, published rows, the rows of the project in the URL), lookup field,
//! permission classes and path converters; and what `portcullis check` refuses.

use crate::harness::resources::ResourceApp;
use crate::harness::{PASSWORD, credentials, token_auth};
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::{PaginationStyle, UrlPattern};
use serde_json::json;

const CONFIG: &str = include_str!("../../../../../tests/projects/generic_views/portcullis.toml");
const SCHEMA: &str = include_str!("../../../../../tests/projects/generic_views/schema.toml");

/// The project's configuration, with djoser at `auth/` besides (the harness registers its
/// users there).
async fn project() -> ResourceApp {
    // The loader's default for a file that names no pagination: DRF's, none.
    project_paginated(PaginationStyle::None).await
}

/// The project with DEFAULT_PAGINATION_CLASS set to `style` (PAGE_SIZE 1).
async fn project_paginated(style: PaginationStyle) -> ResourceApp {
    let mut config: Config = toml::from_str(CONFIG).expect("the project's portcullis.toml");
    config.pagination = style;
    config.page_size = 1;
    config.urls.push(UrlPattern {
        path: "auth/".into(),
        include: Some("djoser.urls".into()),
        ..UrlPattern::default()
    });
    ResourceApp::with_config_and_schema(config, SCHEMA).await
}

#[tokio::test]
async fn note_views_serve_only_the_callers_rows_at_their_own_paths() {
    let app = project().await;
    let ann = app.user("ann").await;
    let ben = app.staff("ben").await;
    let note = ann
        .create("/api/notes/", json!({"title": "first", "content": "hello"}))
        .await;
    let id = note["id"].as_i64().expect("id");
    assert_eq!(note["owner"], "ann");

    // `filter(owner=request.user)`, not the router's visibility: even staff see only theirs.
    assert_eq!(ben.get("/api/notes/").await.json, json!([]));
    let theirs = ben.get(&format!("/api/notes/{id}/")).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.detail(), "No Note matches the given query.");

    let edit = format!("/api/notes/{id}/edit/");
    let get_edit = ann.get(&edit).await;
    assert_eq!(get_edit.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        get_edit.header("allow").as_deref(),
        Some("OPTIONS, PATCH, PUT")
    );
    let patched = ann.patch(&edit, json!({"title": "edited"})).await;
    assert_eq!(patched.json["title"], "edited");

    // `<int:pk>`: a pk that is no integer is no URL at all.
    assert_eq!(ann.get("/api/notes/abc/").await.detail(), "Not found.");
    let delete = format!("/api/notes/delete/{id}/");
    assert_eq!(
        app.anon().delete(&delete).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(ben.delete(&delete).await.status, StatusCode::NOT_FOUND);
    assert_eq!(ann.delete(&delete).await.status, StatusCode::NO_CONTENT);
    assert_eq!(ann.get("/api/notes/").await.json, json!([]));
}

#[tokio::test]
async fn posts_are_found_by_slug_among_the_published_ones() {
    let app = project().await;
    let ann = app.user("ann").await;
    let new = "/api/posts/new/";
    let anonymous = app
        .anon()
        .post(new, json!({"slug": "x", "title": "x"}))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    ann.create(
        new,
        json!({"slug": "hello", "title": "Hello", "published": true}),
    )
    .await;
    ann.create(new, json!({"slug": "draft", "title": "Draft"}))
        .await;
    let bad = ann
        .post(new, json!({"slug": "no spaces", "title": "x"}))
        .await;
    assert_eq!(
        bad.json,
        json!({"slug": ["Enter a valid \"slug\" consisting of letters, numbers, underscores or hyphens."]})
    );

    let listed = app.anon().get("/api/posts/").await;
    assert_eq!(listed.json.as_array().map(Vec::len), Some(1));
    let hello = app.anon().get("/api/posts/hello/").await;
    assert_eq!(
        (hello.status, hello.json["title"].clone()),
        (StatusCode::OK, json!("Hello"))
    );
    let draft = app.anon().get("/api/posts/draft/").await;
    assert_eq!(draft.detail(), "No Post matches the given query.");
    // `<slug:slug>` refuses a dot: Django's plain 404 for an unknown URL.
    assert_eq!(
        app.anon().get("/api/posts/a.b/").await.detail(),
        "Not found."
    );
    let delete = app.anon().delete("/api/posts/hello/").await;
    assert_eq!(delete.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn tasks_live_under_a_project_of_the_caller() {
    let app = project().await;
    let ann = app.user("ann").await;
    let ben = app.user("ben").await;
    let project = ann.create("/api/projects/", json!({"name": "Home"})).await;
    let pid = project["id"].as_i64().expect("id");
    let tasks = format!("/api/projects/{pid}/tasks/");

    // The project comes from the URL; one in the body is read-only and ignored.
    let task = ann
        .create(&tasks, json!({"title": "dishes", "project": 999}))
        .await;
    assert_eq!(
        (task["project"].clone(), task["owner"].clone()),
        (json!(pid), json!("ann"))
    );
    assert_eq!(ann.get(&tasks).await.json.as_array().map(Vec::len), Some(1));

    // Another user's project lists nothing, and `get_object_or_404` refuses a new task —
    // after the body is validated.
    assert_eq!(ben.get(&tasks).await.json, json!([]));
    let invalid = ben.post(&tasks, json!({"title": ""})).await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    let refused = ben.post(&tasks, json!({"title": "sneaky"})).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(refused.detail(), "No Project matches the given query.");
    let unknown = ann
        .post("/api/projects/999999/tasks/", json!({"title": "x"}))
        .await;
    assert_eq!(unknown.detail(), "No Project matches the given query.");
}

#[tokio::test]
async fn registration_answers_as_the_projects_serializers_say() {
    let app = project().await;
    // The tutorial's: no validators, the password write-only.
    let made = app
        .anon()
        .post(
            "/api/user/register/",
            json!({"username": "weak", "password": "123"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    assert_eq!(
        made.json.as_object().map(|o| o.len()),
        Some(2),
        "{}",
        made.json
    );
    let login = app
        .anon()
        .post("/api-token-auth/", credentials("weak", "123"))
        .await;
    assert_eq!(login.status, StatusCode::OK);

    // With names, an email, Django's validators and a token.
    let weak = app
        .anon()
        .post(
            "/api/register/",
            json!({"username": "bob", "password": "123"}),
        )
        .await;
    assert_eq!(
        weak.json["password"].as_array().map(Vec::len),
        Some(3),
        "{}",
        weak.json
    );
    let body = json!({"username": "bob", "password": PASSWORD, "email": "bob@EXAMPLE.com",
        "first_name": "Bob", "last_name": "Stone"});
    let made = app.anon().post("/api/register/", body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    assert_eq!(made.json["user"]["email"], "bob@example.com");
    assert_eq!(made.json["user"]["last_name"], "Stone");
    assert!(made.json["user"].get("password").is_none());
    let token = made.str("token");
    let notes = app.authorized(&token_auth(&token)).get("/api/notes/").await;
    assert_eq!(notes.status, StatusCode::OK);
}

#[tokio::test]
async fn a_generic_list_paginates_as_the_project_says() {
    let app = project_paginated(PaginationStyle::LimitOffsetPagination).await;
    let ann = app.user("ann").await;
    for title in ["a", "b"] {
        ann.create("/api/notes/", json!({"title": title, "content": "x"}))
            .await;
    }
    let page = ann.get("/api/notes/").await;
    assert_eq!(page.json["count"], 2);
    assert_eq!(page.listed("title"), [json!("a")]);
    assert!(
        page.str("next").ends_with("/api/notes/?limit=1&offset=1"),
        "{}",
        page.json
    );
}

/// `[cors] enabled = false`: the project has no django-cors-headers, so no CORS header and no
/// `Vary: Origin`, and a preflight is an OPTIONS like any other (DRF's metadata).
#[tokio::test]
async fn without_cors_middleware_no_response_speaks_cors() {
    let app = project().await;
    let origin = [("origin", "http://localhost:5173")];
    let listed = app.anon().send("GET", "/api/posts/", &origin, None).await;
    assert_eq!(listed.vary().as_deref(), Some("accept"));
    assert_eq!(listed.header("access-control-allow-origin"), None);
    let preflight = [
        ("origin", "http://localhost:5173"),
        ("access-control-request-method", "POST"),
    ];
    let options = app
        .anon()
        .send("OPTIONS", "/api/posts/", &preflight, None)
        .await;
    assert_eq!(options.json["name"], "Post List");
}

fn generic(path: &str, view: &str, resource: &str) -> UrlPattern {
    UrlPattern {
        path: path.into(),
        view: Some(view.into()),
        resource: Some(resource.into()),
        ..UrlPattern::default()
    }
}

#[test]
fn check_refuses_what_the_schema_cannot_serve() {
    let found: Vec<String> = Config {
        urls: vec![
            generic("api/tasks/", "ListAPIView", "tasks"),
            UrlPattern {
                queryset: Some([("title".to_string(), json!("request.user"))].into()),
                ..generic("api/mine/", "ListAPIView", "notes")
            },
            UrlPattern {
                lookup_field: Some("nope".into()),
                ..generic("api/notes/<str:nope>/", "RetrieveAPIView", "notes")
            },
            generic("api/notes/<int:pk>/", "RetrieveAPIView", "notes"),
            // Django would try `<str:title>` after `<int:pk>` refuses; Portcullis's router
            // captures a segment by its place, not its pattern.
            UrlPattern {
                lookup_field: Some("title".into()),
                ..generic("api/notes/<str:title>/", "RetrieveAPIView", "notes")
            },
            UrlPattern {
                path: "api/login/<int:pk>/".into(),
                view: Some("obtain_auth_token".into()),
                ..UrlPattern::default()
            },
        ],
        ..Config::default()
    }
    .problems()
    .iter()
    .map(ToString::to_string)
    .collect();
    let expected = [
        "urls[0]: resource \"tasks\" is not in the schema",
        "urls[1]: queryset \"title\" = \"request.user\": only an owner field holds a user",
        "urls[2]: lookup_field \"nope\" is not a field of notes",
        "urls[3]: /api/notes/{pk}/ conflicts with a URL already served",
        "urls[4]: /api/notes/{title}/ conflicts with a URL already served",
        "urls[5]: path \"api/login/<int:pk>/\" has a converter or a parameter; only a generic view's path",
    ];
    for want in expected {
        assert!(
            found.iter().any(|p| p.starts_with(want)),
            "missing {want:?} in {found:#?}"
        );
    }
}
