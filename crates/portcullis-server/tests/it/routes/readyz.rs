//! `/readyz`: whether this instance should be sent traffic — its database answers and every
//! migration is applied. 503 with a JSON body naming what is wrong otherwise.

use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::store::{QueryLimits, Store};
use portcullis_server::{AppState, Config, app};
use serde_json::json;

#[tokio::test]
async fn a_migrated_instance_with_its_database_is_ready() {
    let app = TestApp::new().await;
    let res = app.anon().get("/readyz").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        res.json,
        json!({"status": "ok", "database": "ok", "migrations": "applied"})
    );
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/json")
    );
}

/// An instance whose PostgreSQL server is not there (nothing listens on the port): alive, not
/// ready, and the body says why.
#[tokio::test]
async fn an_unreachable_database_is_not_ready_but_alive() {
    let config = Config {
        database_url: "postgres://portcullis:secret@127.0.0.1:19299/nowhere".into(),
        limits: portcullis_server::config::LimitsConfig {
            pool_wait_ms: 500,
            ..Default::default()
        },
        ..Config::default()
    };
    let limits = QueryLimits::from_config(&config.limits);
    let store = Store::connect_limited(&config.database_url, limits)
        .await
        .expect("a lazy pool opens nothing");
    let state = AppState::new(config, store, SECRET);
    let router = app(state);
    let get = |path: &'static str| {
        let router = router.clone();
        async move {
            use tower::ServiceExt;
            let request = axum::http::Request::get(path)
                .header("host", "localhost")
                .body(axum::body::Body::empty())
                .expect("a request");
            let response = router.oneshot(request).await.expect("an answer");
            let status = response.status();
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .expect("the body")
                .to_bytes();
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&body).unwrap_or_default(),
            )
        }
    };
    let (status, _) = get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["migrations"], "unknown");
    // Named, without the driver's message: no host, port, role or password for any client.
    assert_eq!(body["database"], "unavailable", "{body}");
}

/// A migration the database has not recorded (as when a newer binary starts on an older
/// database without migrating) is named.
#[tokio::test]
async fn a_pending_migration_is_named() {
    let app = TestApp::new().await;
    let db = app.sql().await;
    let removed = db
        .execute(
            "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
            &[],
        )
        .await;
    assert_eq!(removed, 1);
    db.close().await;
    let res = app.anon().get("/readyz").await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.text);
    assert_eq!(res.header("retry-after").as_deref(), Some("5"));
    assert_eq!(res.json["status"], "unavailable");
    assert_eq!(res.json["database"], "ok");
    let migrations = res.json["migrations"].as_str().unwrap_or_default();
    assert!(migrations.starts_with("pending: 0"), "{}", res.text);
    assert_eq!(app.anon().get("/healthz").await.status, StatusCode::OK);
}
