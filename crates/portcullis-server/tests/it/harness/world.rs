//! A small world on the projects/tasks schema, shared by the access, reference and list tests.

use serde_json::{Value, json};

use super::Caller;
use super::resources::ResourceApp;

/// ann owns a private and a public project; bob owns one private project.
pub(crate) struct World<'a> {
    pub ann: Caller<'a>,
    pub bob: Caller<'a>,
    pub ann_private: Value,
    pub ann_public: Value,
    pub bob_private: Value,
}

/// The world on `app` (the projects/tasks schema).
pub(crate) async fn world(app: &ResourceApp) -> World<'_> {
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    let ann_private = ann
        .create(
            "/api/projects/",
            json!({"name": "Ann private", "priority": 5}),
        )
        .await;
    let ann_public = ann
        .create(
            "/api/projects/",
            json!({"name": "Ann public", "is_public": true, "status": "closed"}),
        )
        .await;
    let bob_private = bob
        .create(
            "/api/projects/",
            json!({"name": "Bob private", "archived": true}),
        )
        .await;
    World {
        ann,
        bob,
        ann_private,
        ann_public,
        bob_private,
    }
}

/// A project's detail URL.
pub(crate) fn url(row: &Value) -> String {
    format!("/api/projects/{}/", row["id"])
}
