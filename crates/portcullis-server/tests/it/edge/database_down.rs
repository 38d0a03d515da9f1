//! A database that is away (README "When the database is down"): until the startup migrations
//! have run — `serve` on a database that was down at start — every endpoint answers 503 in
//! DRF's shape with `Retry-After` and the headers of the layers above the views, and serves once
//! they have. PostgreSQL outages themselves (its server stopped and started under a running
//! instance) are tested over real TCP with the binary, in `crates/portcullis/tests`.
#![allow(clippy::unwrap_used)]

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn every_endpoint_answers_503_until_the_startup_migrations_have_run() {
    let app = TestApp::new().await;
    let ada = app.user("ada").await;
    app.store().availability().set_ready(false);
    let anon = app.anon();
    let answers = [
        anon.post("/api-token-auth/", credentials("ada", PASSWORD))
            .await,
        anon.post("/auth/token/login/", credentials("ada", PASSWORD))
            .await,
        anon.post("/api/token/", credentials("ada", PASSWORD)).await,
        anon.post(
            "/auth/users/",
            json!({"username": "bob", "password": PASSWORD}),
        )
        .await,
        ada.get(ME).await,
        anon.get("/no/such/page").await,
    ];
    for res in answers {
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.text);
        assert_eq!(
            res.text,
            r#"{"detail":"The service is temporarily unavailable. Try again later."}"#
        );
        assert_eq!(res.header("retry-after").as_deref(), Some("5"));
        assert_eq!(res.header("x-frame-options").as_deref(), Some("DENY"));
    }

    // The web app reads no database: it loads, and shows the API's 503 to its user.
    let pages = [
        "/",
        "/admin/",
        "/static/app/app.css",
        "/client/settings.json",
    ];
    for page in pages {
        let res = anon.get(page).await;
        assert_eq!(res.status, StatusCode::OK, "{page}: {}", res.text);
    }

    app.store().availability().set_ready(true);
    assert_eq!(ada.get(ME).await.status, StatusCode::OK);
    assert_eq!(app.user_count().await, 1, "nothing was written meanwhile");
}
