//! `renderer_classes` / `parser_classes` naming djangorestframework-camel-case's classes: every
//! view of the project's layout answers with camelized keys (rows, errors, OPTIONS, djoser's
//! and simplejwt's bodies) and reads camelCase input (JSON, forms), while the views that declare
//! their own classes (`obtain_auth_token`, Portcullis's admin API) keep snake_case, as in Django.

use crate::harness::resources::ResourceApp;
use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::{ParserClass, RendererClass};
use serde_json::json;

fn camel_config() -> Config {
    Config {
        renderer_classes: vec![
            RendererClass::CamelCaseJson,
            RendererClass::CamelCaseBrowsableApi,
        ],
        parser_classes: vec![
            ParserClass::CamelCaseForm,
            ParserClass::CamelCaseMultiPart,
            ParserClass::CamelCaseJson,
        ],
        ..Config::default()
    }
}

const JSON_SCHEMA: &str = r#"
[[resources]]
name = "events"
timestamps = true

[[resources.fields]]
name = "is_public"
type = "boolean"

[[resources.fields]]
name = "extra_data"
type = "json"
null = true
"#;

#[tokio::test]
async fn rows_input_and_pagination_are_camel_case() {
    let app = ResourceApp::start(camel_config()).await;
    let ann = app.user("ann").await;
    let res = ann
        .post(
            "/api/notes/",
            json!({"title": "Groceries", "isPublic": true}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.json["isPublic"], json!(true), "{}", res.text);
    assert!(res.json.get("createdAt").is_some() && res.json.get("updatedAt").is_some());
    assert_eq!(res.json.get("is_public"), None);

    let res = ann
        .form("POST", "/api/notes/", "title=Form&isPublic=on")
        .await;
    assert_eq!(res.json["isPublic"], json!(true), "{}", res.text);

    let list = ann.get("/api/notes/").await;
    assert_eq!(list.json["count"], json!(2));
    assert_eq!(list.json["results"][0]["isPublic"], json!(true));
    assert!(list.json["results"][0].get("createdAt").is_some());
}

#[tokio::test]
async fn errors_and_options_are_camel_case() {
    let app = ResourceApp::start(camel_config()).await;
    let ann = app.user("ann").await;
    let res = ann
        .post("/api/notes/", json!({"title": "", "isPublic": "maybe"}))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({"title": ["This field may not be blank."], "isPublic": ["Must be a valid boolean."]})
    );
    let res = app
        .anon()
        .post("/auth/token/login/", credentials("ann", "wrong"))
        .await;
    assert_eq!(res.json, json!({"nonFieldErrors": [UNABLE]}));
    let res = app
        .anon()
        .post("/auth/token/login/", credentials("ann", PASSWORD))
        .await;
    assert!(res.json["authToken"].is_string(), "{}", res.text);

    let options = ann.send("OPTIONS", "/api/notes/", &[], None).await;
    let post = &options.json["actions"]["POST"];
    assert_eq!(post["title"]["maxLength"], json!(200), "{}", options.text);
    assert_eq!(post["isPublic"]["readOnly"], json!(false));
    assert_eq!(post["createdAt"]["readOnly"], json!(true));
    // `parses` lists the settings' parsers in their order.
    assert_eq!(
        options.json["parses"],
        json!([
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/json"
        ])
    );

    // simplejwt's refusal of a bad Bearer token: the keys of its messages are camelized, the
    // values (`token_not_valid`) are not.
    let res = app.bearer("garbage").get(ME).await;
    assert_eq!(res.json["code"], json!("token_not_valid"));
    assert_eq!(res.json["messages"][0]["tokenClass"], json!("AccessToken"));
    assert_eq!(res.json["messages"][0]["tokenType"], json!("access"));
}

#[tokio::test]
async fn retype_is_re_password_on_the_wire() {
    let mut config = camel_config();
    config.djoser.user_create_password_retype = true;
    let app = TestApp::migrated(config).await;
    let body = json!({"username": "ann", "password": PASSWORD});
    let res = app.anon().post("/auth/users/", body).await;
    assert_eq!(res.json, json!({"rePassword": ["This field is required."]}));
    let body = json!({"username": "ann", "password": PASSWORD, "rePassword": "other-Password-9"});
    let res = app.anon().post("/auth/users/", body).await;
    assert_eq!(
        res.json,
        json!({"nonFieldErrors": ["The two password fields didn't match."]})
    );
    let body = json!({"username": "ann", "password": PASSWORD, "rePassword": PASSWORD});
    let res = app.anon().post("/auth/users/", body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
}

#[tokio::test]
async fn views_with_their_own_classes_keep_snake_case() {
    let app = ResourceApp::start(camel_config()).await;
    app.user("ann").await;
    // `ObtainAuthToken.renderer_classes = (JSONRenderer,)`.
    let res = app.login("/api-token-auth/", "ann", "wrong").await;
    assert_eq!(res.json, json!({"non_field_errors": [UNABLE]}));
    let options = app
        .anon()
        .send("OPTIONS", "/api-token-auth/", &[], None)
        .await;
    assert_eq!(
        options.json["actions"]["POST"]["token"]["read_only"],
        json!(true),
        "{}",
        options.text
    );
    // Portcullis's own admin API, which its console reads.
    let admin = app.superuser("root").await;
    let users = admin.get("/api/admin/users/").await;
    assert_eq!(users.status, StatusCode::OK, "{}", users.text);
    assert!(users.text.contains("\"is_staff\""), "{}", users.text);
}

#[tokio::test]
async fn json_values_are_rewritten_at_every_depth_both_ways() {
    let app = ResourceApp::with_config_and_schema(camel_config(), JSON_SCHEMA).await;
    let ann = app.user("ann").await;
    let res = ann
        .post(
            "/api/events/",
            json!({"isPublic": true, "extraData": {"someKey": [{"innerKey": "keepThisValue"}]}}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(
        res.json["extraData"],
        json!({"someKey": [{"innerKey": "keepThisValue"}]})
    );
    // Stored as the view read it: underscoreized.
    let id = res.json["id"].as_i64().unwrap_or_default();
    let stored = app
        .sql()
        .await
        .texts("SELECT extra_data FROM events WHERE id = ?", &[id.into()])
        .await;
    assert_eq!(stored[0], r#"{"some_key":[{"inner_key":"keepThisValue"}]}"#);
}

#[tokio::test]
async fn the_default_wire_is_snake_case() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    let res = ann
        .post("/api/notes/", json!({"title": "x", "isPublic": true}))
        .await;
    assert_eq!(res.json["is_public"], json!(false), "{}", res.text);
    assert_eq!(res.json.get("isPublic"), None);
}

#[tokio::test]
async fn a_project_without_the_browsable_renderer() {
    let config = Config {
        renderer_classes: vec![RendererClass::CamelCaseJson],
        ..camel_config()
    };
    let app = ResourceApp::start(config).await;
    let ann = app.user("ann").await;
    let res = ann
        .send("GET", "/api/notes/", &[("accept", "text/html")], None)
        .await;
    assert_eq!(res.status, StatusCode::NOT_ACCEPTABLE);
    // One renderer: DRF sends no `Vary: Accept`.
    assert!(!res.header("vary").unwrap_or_default().contains("Accept"));
    let options = ann.send("OPTIONS", "/api/notes/", &[], None).await;
    assert_eq!(options.json["renders"], json!(["application/json"]));
}

#[test]
fn unknown_and_mixed_classes_are_refused() {
    let err = toml::from_str::<Config>(r#"renderer_classes = ["YAMLRenderer"]"#)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("unknown renderer class \"YAMLRenderer\""),
        "{err}"
    );
    let config: Config = toml::from_str(
        r#"parser_classes = ["CamelCaseJSONParser", "rest_framework.parsers.FormParser"]"#,
    )
    .expect("known classes");
    let problems = config.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].key, "parser_classes");
    assert!(
        problems[0]
            .reason
            .contains("mixes camel-case and plain classes")
    );
}

#[tokio::test]
async fn the_middleware_renames_query_parameters() {
    let mut config = camel_config();
    let app = ResourceApp::start(config.clone()).await;
    let ann = app.user("ann").await;
    ann.create("/api/notes/", json!({"title": "open", "isPublic": true}))
        .await;
    ann.create("/api/notes/", json!({"title": "closed"})).await;
    // Without CamelCaseMiddleWare the camel name is no filter at all.
    let titles = |res: &Response| res.listed("title");
    assert_eq!(titles(&ann.get("/api/notes/?isPublic=true").await).len(), 2);
    config.camel_case.middleware = true;
    let app = ResourceApp::start(config).await;
    let ann = app.user("ann").await;
    ann.create("/api/notes/", json!({"title": "open", "isPublic": true}))
        .await;
    ann.create("/api/notes/", json!({"title": "closed"})).await;
    let res = ann.get("/api/notes/?isPublic=true").await;
    assert_eq!(titles(&res), [json!("open")]);
    // Names only: an ordering value stays as sent (and `-createdAt` is no field).
    let res = ann
        .get("/api/notes/?ordering=-createdAt&isPublic=false")
        .await;
    assert_eq!(titles(&res), [json!("closed")]);
}
