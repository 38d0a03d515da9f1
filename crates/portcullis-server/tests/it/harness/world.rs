//! A small world on the projects/tasks schema, shared by the access, reference and list tests.

use serde_json::{Value, json};

use super::resources::ResourceApp;

/// ann owns a private and a public project; bob owns one private project.
pub(crate) struct World {
    pub app: ResourceApp,
    pub ann: String,
    pub bob: String,
    pub bob_id: i64,
    pub ann_private: Value,
    pub ann_public: Value,
    pub bob_private: Value,
}

pub(crate) async fn world() -> World {
    let app = ResourceApp::projects().await;
    let (_, ann) = app.user("ann").await;
    let (bob_id, bob) = app.user("bob").await;
    let ann_private = app
        .create(
            "/api/projects/",
            &ann,
            json!({"name": "Ann private", "priority": 5}),
        )
        .await;
    let ann_public = app
        .create(
            "/api/projects/",
            &ann,
            json!({"name": "Ann public", "is_public": true, "status": "closed"}),
        )
        .await;
    let bob_private = app
        .create(
            "/api/projects/",
            &bob,
            json!({"name": "Bob private", "archived": true}),
        )
        .await;
    World {
        app,
        ann,
        bob,
        bob_id,
        ann_private,
        ann_public,
        bob_private,
    }
}

/// A project's detail URL.
pub(crate) fn url(row: &Value) -> String {
    format!("/api/projects/{}/", row["id"])
}
