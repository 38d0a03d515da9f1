//! `/api/schema/`: the OpenAPI 3.1 document, as drf-spectacular's `SpectacularAPIView` serves it
//! (YAML by default, JSON when asked, to anyone), compared with its committed snapshots so that
//! an API change is never made without the snapshot changing with it.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use portcullis_server::Config;
use portcullis_server::config::UrlPattern;

use crate::harness::TestApp;
use crate::harness::resources::ResourceApp;

const GENERIC_VIEWS: &str =
    include_str!("../../../../../../tests/projects/generic_views/portcullis.toml");
const GENERIC_VIEWS_SCHEMA: &str =
    include_str!("../../../../../../tests/projects/generic_views/schema.toml");

async fn get(app: &TestApp, uri: &str, accept: Option<&str>) -> crate::harness::Response {
    let mut request = Request::builder().uri(uri);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    app.send(request.body(Body::empty()).expect("a request"))
        .await
}

/// Compare `actual` with the snapshot file `name` (under tests/it/snapshots/); with
/// `UPDATE_SNAPSHOTS=1` the file is written instead.
fn assert_snapshot(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write the snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected == actual {
        return;
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(e, a)| e != a)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    panic!(
        "the OpenAPI document differs from {} from line {}:\n  snapshot: {:?}\n  now:      {:?}\n\
         If the API changed on purpose, update the snapshot with\n  \
         UPDATE_SNAPSHOTS=1 cargo test -p portcullis-server --test it -- schema\n\
         and commit it with the change.",
        path.display(),
        line + 1,
        expected.lines().nth(line).unwrap_or("<end>"),
        actual.lines().nth(line).unwrap_or("<end>"),
    );
}

#[tokio::test]
async fn the_default_configurations_document_matches_its_snapshot() {
    let app = TestApp::new().await;
    let response = app.anon().get("/api/schema/").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_snapshot("openapi-default.yaml", &response.text);
}

#[tokio::test]
async fn a_projects_generic_views_are_in_its_document_and_its_snapshot() {
    let mut config: Config = toml::from_str(GENERIC_VIEWS).expect("the project's portcullis.toml");
    config.urls.push(UrlPattern {
        path: "auth/".into(),
        include: Some("djoser.urls".into()),
        ..UrlPattern::default()
    });
    let app = ResourceApp::with_config_and_schema(config, GENERIC_VIEWS_SCHEMA).await;
    let response = app.anon().get("/api/schema/?format=json").await;
    assert_eq!(response.status, StatusCode::OK);
    let paths = response.json["paths"].as_object().expect("paths");
    let names: Vec<&String> = paths.keys().collect();
    assert!(paths.contains_key("/api/notes/{pk}/edit/"), "{names:?}");
    assert!(paths.contains_key("/auth/users/me/"), "{names:?}");
    let yaml = app.anon().get("/api/schema/").await;
    assert_snapshot("openapi-generic-views.yaml", &yaml.text);
}

#[tokio::test]
async fn yaml_is_the_default_and_json_is_served_when_asked_for() {
    let app = TestApp::new().await;
    let yaml = get(&app, "/api/schema/", None).await;
    assert_eq!(
        yaml.header("content-type").as_deref(),
        Some("application/vnd.oai.openapi; charset=utf-8")
    );
    assert!(yaml.text.starts_with("openapi: 3.1.0\n"), "{}", yaml.text);

    let by_format = get(&app, "/api/schema/?format=json", None).await;
    assert_eq!(
        by_format.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(by_format.json["openapi"], "3.1.0");

    let oai = get(
        &app,
        "/api/schema/",
        Some("application/vnd.oai.openapi+json"),
    )
    .await;
    assert_eq!(
        oai.header("content-type").as_deref(),
        Some("application/vnd.oai.openapi+json")
    );
    assert_eq!(oai.json, by_format.json);
    let plain = get(&app, "/api/schema/", Some("application/json")).await;
    assert_eq!(plain.json, by_format.json);
}

#[tokio::test]
async fn the_document_describes_bodies_errors_and_both_auth_schemes() {
    let app = TestApp::new().await;
    let doc = app.anon().get("/api/schema/?format=json").await.json;
    let notes = &doc["paths"]["/api/notes/"];
    assert_eq!(notes["get"]["operationId"], "notes_list");
    assert_eq!(notes["post"]["operationId"], "notes_create");
    assert_eq!(
        doc["paths"]["/api/notes/{id}/"]["patch"]["requestBody"]["content"]["application/json"]["schema"]
            ["$ref"],
        "#/components/schemas/PatchedNoteRequest"
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Note"]["properties"]["title"]["maxLength"], 200);
    assert_eq!(
        schemas["NoteRequest"]["required"],
        serde_json::json!(["title"])
    );
    assert_eq!(
        schemas["PaginatedNoteList"]["properties"]["results"]["items"]["$ref"],
        "#/components/schemas/Note"
    );
    assert_eq!(
        notes["get"]["responses"]["401"]["$ref"],
        "#/components/responses/NotAuthenticated"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["tokenAuth"]["type"],
        "apiKey"
    );
    // A login is open to anyone; the notes are not.
    let login = &doc["paths"]["/auth/token/login/"]["post"]["security"];
    assert!(
        login
            .as_array()
            .expect("security")
            .contains(&serde_json::json!({}))
    );
    let list = &notes["get"]["security"];
    assert!(
        !list
            .as_array()
            .expect("security")
            .contains(&serde_json::json!({}))
    );
}

#[tokio::test]
async fn the_schema_is_read_only() {
    let app = TestApp::new().await;
    let response = app.anon().post("/api/schema/", serde_json::json!({})).await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("allow").as_deref(), Some("GET, HEAD"));
}
