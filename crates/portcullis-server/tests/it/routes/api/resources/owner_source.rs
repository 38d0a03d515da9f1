//! An owner rendered as the project's serializer renders it: the username (the reference's
//! `ReadOnlyField(source="owner.username")`), the email (`source="owner.email"`), or the user's
//! id (a `ModelSerializer`'s default for a foreign key).

use crate::harness::resources::ResourceApp;
use serde_json::json;

fn schema(source: &str) -> String {
    format!(
        r#"
[[resources]]
name = "items"

[[resources.fields]]
name = "title"
type = "string"
max_length = 50

[[resources.fields]]
name = "owner"
type = "owner"
{source}
"#
    )
}

#[tokio::test]
async fn the_owner_renders_as_its_source() {
    for (source, expected) in [
        ("", "username"),
        ("source = \"owner.username\"", "username"),
        ("source = \"owner.email\"", "email"),
        ("source = \"owner\"", "id"),
    ] {
        let app = ResourceApp::with_schema(&schema(source)).await;
        let ann = app.user("ann").await;
        ann.patch("/auth/users/me/", json!({"email": "ann@example.com"}))
            .await;
        let created = ann.create("/api/items/", json!({"title": "one"})).await;
        let want = match expected {
            "username" => json!("ann"),
            "email" => json!("ann@example.com"),
            _ => json!(ann.id),
        };
        assert_eq!(created["owner"], want, "{source}");
        let listed = ann.get("/api/items/").await;
        assert_eq!(listed.json["results"][0]["owner"], want, "{source}");
    }
}

#[test]
fn other_sources_are_refused() {
    let text = schema("source = \"owner.password\"");
    let problems = portcullis_server::resources::Schema::parse(&text).expect_err("refused");
    assert_eq!(
        problems,
        [
            "resource items: field owner: source \"owner.password\" is not one of \"owner.username\", \"owner.email\" or \"owner\" (its id)"
        ]
    );
    // Any other field's source is a model field of its own resource, never a dotted path.
    let text = schema("").replace(
        "max_length = 50",
        "max_length = 50\nsource = \"owner.username\"",
    );
    let problems = portcullis_server::resources::Schema::parse(&text).expect_err("refused");
    assert_eq!(
        problems,
        [
            "resource items: field title: source \"owner.username\" must name a model field of this resource (lowercase letters, digits and _; no dotted paths)"
        ]
    );
}
