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

/// The request body of each djoser view follows the `*_retype` settings, under the name of the
/// serializer djoser picks (`get_serializer_class`), as drf-spectacular names it.
#[tokio::test]
async fn the_retype_settings_name_djosers_retype_serializers() {
    let mut config = Config::default();
    config.djoser.password_reset_confirm_retype = true;
    config.djoser.username_reset_confirm_retype = true;
    config.djoser.set_password_retype = true;
    config.djoser.set_username_retype = true;
    config.djoser.user_create_password_retype = true;
    let app = TestApp::with_config(config).await;
    let doc = app.anon().get("/api/schema/?format=json").await.json;
    let request = |path: &str| {
        doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap_or_default()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let schemas = &doc["components"]["schemas"];
    let expected = [
        (
            "/auth/users/reset_password_confirm/",
            "PasswordResetConfirmRetypeRequest",
            serde_json::json!(["uid", "token", "new_password", "re_new_password"]),
        ),
        (
            "/auth/users/reset_username_confirm/",
            "UsernameResetConfirmRetypeRequest",
            serde_json::json!(["new_username", "re_new_username"]),
        ),
        (
            "/auth/users/set_password/",
            "SetPasswordRetypeRequest",
            serde_json::json!(["new_password", "re_new_password", "current_password"]),
        ),
        (
            "/auth/users/set_username/",
            "SetUsernameRetypeRequest",
            serde_json::json!(["current_password", "new_username", "re_new_username"]),
        ),
    ];
    for (path, name, required) in expected {
        assert_eq!(request(path), name, "{path}");
        assert_eq!(schemas[name]["required"], required, "{name}");
    }
    assert_eq!(request("/auth/users/"), "UserCreatePasswordRetypeRequest");
    let create = &schemas["UserCreatePasswordRetypeRequest"]["properties"];
    assert!(create.get("re_password").is_some(), "{create}");
    // The mailing views answer 204 without a body.
    let reset = &doc["paths"]["/auth/users/reset_password/"]["post"];
    assert_eq!(
        reset["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/SendEmailResetRequest"
    );
    assert!(reset["responses"]["204"].get("content").is_none());
}

/// In a camel-case project the sessions (rendered by the project's renderers) are camelized;
/// the audit log (the admin API, DRF's own renderers) is not.
#[tokio::test]
async fn sessions_follow_the_projects_case_and_the_audit_log_does_not() {
    let config: Config = toml::from_str(include_str!(
        "../../../../../../tests/projects/camel_case/portcullis.toml"
    ))
    .expect("the project's portcullis.toml");
    let app = TestApp::with_config(config).await;
    let doc = app.anon().get("/api/schema/?format=json").await.json;
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["Session"]["properties"].get("lastUsed").is_some());
    assert!(
        schemas["AuditEvent"]["properties"]
            .get("client_addr")
            .is_some()
    );
    let audit = &doc["paths"]["/api/admin/audit/"]["get"];
    assert_eq!(audit["operationId"], "admin_audit_list");
    let names: Vec<&str> = audit["parameters"]
        .as_array()
        .map(|p| p.iter().filter_map(|p| p["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["event", "page", "since", "until", "user"]);
    let session = &doc["paths"]["/auth/sessions/{id}/"]["delete"];
    assert_eq!(session["parameters"][0]["schema"]["type"], "string");
}
