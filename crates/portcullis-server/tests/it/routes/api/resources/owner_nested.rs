//! The owner as a serializer of the user renders it: a nested `UserSerializer(read_only=True)`
//! (`related = "nested"` with `owner_fields`, the serializer's `Meta.fields`) or a
//! `HyperlinkedRelatedField(view_name="user-detail")` to djoser's user detail
//! (`related = "hyperlink"`); OPTIONS, and what `check` refuses.

use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::{LoginField, UrlPattern, UserField};
use serde_json::json;

fn schema(owner: &str) -> String {
    format!(
        r#"
[[resources]]
name = "items"
ordering = ["id"]

[[resources.fields]]
name = "title"
type = "string"
max_length = 50

[[resources.fields]]
name = "owner"
type = "owner"
{owner}
"#
    )
}

const NESTED: &str = "related = \"nested\"\nowner_fields = [\"id\", \"username\", \"email\", \"is_staff\", \"last_login\"]";

#[tokio::test]
async fn a_nested_owner_renders_the_listed_user_fields_in_order() {
    let app = ResourceApp::with_schema(&schema(NESTED)).await;
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    // The owner cannot be written through the nested field: it stays the caller.
    let created = ann
        .create(
            "/api/items/",
            json!({"title": "one", "owner": {"id": bob.id}}),
        )
        .await;
    let ann_json = json!({
        "id": ann.id, "username": "ann", "email": "ann@example.com",
        "is_staff": false, "last_login": null
    });
    assert_eq!(created["owner"], ann_json);
    let keys: Vec<&String> = created["owner"]
        .as_object()
        .expect("an object")
        .keys()
        .collect();
    assert_eq!(keys, ["id", "username", "email", "is_staff", "last_login"]);
    bob.create("/api/items/", json!({"title": "two"})).await;
    // A page mixing owners: each row carries its own owner.
    let listed = ann.get("/api/items/").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    assert_eq!(listed.json["results"][0]["owner"], ann_json);
    assert_eq!(listed.json["results"][1]["owner"]["username"], "bob");
    assert_eq!(listed.json["results"][1]["owner"]["id"], json!(bob.id));
    let id = created["id"].as_i64().expect("an id");
    let detail = ann.get(&format!("/api/items/{id}/")).await;
    assert_eq!(detail.json["owner"], ann_json);
    // Never the password hash, whatever else the user row holds.
    assert!(!listed.text.contains("argon2") && !listed.text.contains("password"));
}

#[tokio::test]
async fn options_show_the_nested_user_serializer() {
    let app = ResourceApp::with_schema(&schema(
        "related = \"nested\"\nowner_fields = [\"id\", \"username\", \"date_joined\"]",
    ))
    .await;
    let ann = app.user("ann").await;
    let options = ann.send("OPTIONS", "/api/items/", &[], None).await;
    assert_eq!(
        options.json["actions"]["POST"]["owner"],
        json!({
            "type": "nested object", "required": false, "read_only": true, "label": "Owner",
            "children": {
                "id": {"type": "integer", "required": false, "read_only": true, "label": "ID"},
                "username": {
                    "type": "string", "required": true, "read_only": false, "label": "Username",
                    "help_text": "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                    "max_length": 150
                },
                "date_joined": {"type": "datetime", "required": false, "read_only": false, "label": "Date joined"}
            }
        })
    );
}

#[tokio::test]
async fn a_hyperlinked_owner_is_djosers_user_detail() {
    let app = ResourceApp::with_schema(&schema("related = \"hyperlink\"")).await;
    let ann = app.user("ann").await;
    let created = ann.create("/api/items/", json!({"title": "one"})).await;
    let link = created["owner"].as_str().expect("a URL").to_string();
    let path = format!("/auth/users/{}/", ann.id);
    assert!(link.starts_with("http") && link.ends_with(&path), "{link}");
    let listed = ann.get("/api/items/").await;
    assert_eq!(listed.json["results"][0]["owner"], json!(link));
    // The link leads to the user.
    let user = ann.get(&path).await;
    assert_eq!(user.status, StatusCode::OK);
    assert_eq!(user.json["username"], "ann");
    let options = ann.send("OPTIONS", "/api/items/", &[], None).await;
    assert_eq!(
        options.json["actions"]["POST"]["owner"],
        json!({"type": "field", "required": false, "read_only": true, "label": "Owner"})
    );
}

#[test]
fn owner_fields_are_checked() {
    for (owner, why) in [
        (
            "related = \"nested\"\nowner_fields = [\"id\", \"password\"]",
            "owner_fields lists \"password\": Portcullis never renders the password hash (drop it from the user serializer's fields)",
        ),
        (
            "related = \"nested\"\nowner_fields = [\"id\", \"nickname\"]",
            "owner_fields: \"nickname\" is not a field of the user model (id, username, email, first_name, last_name, is_staff, is_active, is_superuser, date_joined, last_login)",
        ),
        (
            "related = \"nested\"",
            "related = \"nested\" needs owner_fields = [...], the user serializer's Meta.fields (e.g. [\"id\", \"username\"])",
        ),
        (
            "related = \"pk\"\nowner_fields = [\"id\"]",
            "owner_fields applies to an owner with related = \"nested\" only",
        ),
    ] {
        let problems =
            portcullis_server::resources::Schema::parse(&schema(owner)).expect_err("refused");
        assert_eq!(problems, [format!("resource items: field owner: {why}")]);
    }
}

/// The problems of `config` with the schema given as text.
fn problems(config: Config, text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("schema.toml");
    std::fs::write(&path, text).expect("written");
    Config {
        schema_file: path.display().to_string(),
        ..config
    }
    .problems()
    .iter()
    .map(ToString::to_string)
    .collect()
}

#[test]
fn check_refuses_a_username_the_user_model_lacks() {
    let mut config = Config::default();
    config.user_model.username_field = LoginField::Email;
    config.user_model.required_fields = vec![UserField::FirstName];
    let found = problems(config, &schema(NESTED));
    assert!(
        found.iter().any(|p| p.ends_with(
            "resource items, field owner: owner_fields lists \"username\", but the user model has none ([user_model] username_field = \"email\"): list \"email\""
        )),
        "{found:#?}"
    );
}

#[test]
fn check_refuses_a_hyperlink_without_djoser_urls() {
    let config = Config {
        urls: vec![UrlPattern {
            path: "api/".into(),
            router: Some("DefaultRouter".into()),
            ..UrlPattern::default()
        }],
        ..Config::default()
    };
    let found = problems(config, &schema("related = \"hyperlink\""));
    assert!(
        found.iter().any(|p| p.ends_with(
            "resource items, field owner: related = \"hyperlink\" links djoser's user-detail, but no [[urls]] entry includes djoser.urls (Django's reverse would fail on every body)"
        )),
        "{found:#?}"
    );
}

#[tokio::test]
async fn under_an_email_user_model_the_nested_owner_shows_the_email() {
    let mut config = Config::default();
    config.user_model.username_field = LoginField::Email;
    config.user_model.required_fields = vec![];
    let app = ResourceApp::with_config_and_schema(
        config,
        &schema("related = \"nested\"\nowner_fields = [\"id\", \"email\"]"),
    )
    .await;
    let res = app
        .anon()
        .post(
            "/auth/users/",
            json!({"email": "ann@example.com", "password": crate::harness::PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.json["id"].as_i64().expect("an id");
    let key = app.token("ann@example.com", crate::harness::PASSWORD).await;
    let created = app
        .with_key(&key)
        .create("/api/items/", json!({"title": "one"}))
        .await;
    assert_eq!(
        created["owner"],
        json!({"id": id, "email": "ann@example.com"})
    );
    // The model's EmailField(unique=True) is not blank: the nested serializer requires it.
    let options = app
        .with_key(&key)
        .send("OPTIONS", "/api/items/", &[], None)
        .await;
    assert_eq!(
        options.json["actions"]["POST"]["owner"]["children"]["email"],
        json!({"type": "email", "required": true, "read_only": false, "label": "Email address", "max_length": 254})
    );
}
