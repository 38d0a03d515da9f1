//! Writes made at the same moment: on SQLite they share one commit (`store/sqlite/group_writer.rs`),
//! each in a savepoint of its own. A write its constraint refuses undoes only itself: the
//! others of its group are answered 201 and kept, and no refused row appears.

use std::sync::Arc;

use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use serde_json::json;

const SCHEMA: &str = r#"
[[resources]]
name = "codes"
ordering = ["id"]

[[resources.fields]]
name = "code"
type = "string"
max_length = 20
unique = true
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_write_undoes_only_itself_among_concurrent_writes() {
    let app = Arc::new(ResourceApp::with_schema(SCHEMA).await);
    let token = app.user("ann").await.token;
    // Twelve creates of one code and twelve of codes of their own, all at once.
    let codes: Vec<String> = (0..24)
        .map(|n| {
            if n % 2 == 0 {
                "same".to_string()
            } else {
                format!("own{n}")
            }
        })
        .collect();
    let mut tasks = Vec::new();
    for code in codes {
        let (app, token) = (app.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let res = app
                .with_key(&token)
                .post("/api/codes/", json!({ "code": code }))
                .await;
            (code, res.status, res.json)
        }));
    }
    let mut created = Vec::new();
    for task in tasks {
        let (code, status, body) = task.await.unwrap();
        if code.starts_with("own") {
            assert_eq!(status, StatusCode::CREATED, "{code}: {body}");
            created.push(body);
        } else if status == StatusCode::CREATED {
            created.push(body);
        } else {
            // Refused by the validator (the winner was committed already) or by the
            // database's constraint (both were in flight): never written either way.
            assert!(
                status == StatusCode::BAD_REQUEST || status == StatusCode::CONFLICT,
                "{code}: {status} {body}"
            );
        }
    }
    assert_eq!(created.len(), 13, "twelve own codes and one of the shared");
    let list = app.with_key(&token).get("/api/codes/").await;
    assert_eq!(list.json["count"], 13, "{}", list.text);
    for body in created {
        let one = app
            .with_key(&token)
            .get(&format!("/api/codes/{}/", body["id"]))
            .await;
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(one.json["code"], body["code"]);
    }
}
