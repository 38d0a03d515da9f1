//! `/healthz`: the process is alive. No database, no authentication, no throttling: it answers
//! while the database is down, whatever credential or rate applies, and at the path
//! `operations.healthz_path` names (or nowhere when it is empty).

use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;

#[tokio::test]
async fn it_answers_ok_to_get_and_head_with_a_request_id() {
    let app = TestApp::new().await;
    let res = app.anon().get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text, r#"{"status":"ok"}"#);
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(res.header("x-request-id").map(|id| id.len()), Some(32));
    let head = app.anon().call("HEAD", "/healthz", None).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    let post = app.anon().call("POST", "/healthz", None).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn it_needs_no_credentials_and_is_never_throttled() {
    let mut config = Config::default();
    config.throttle.rates.insert("anon".into(), "2/min".into());
    let app = TestApp::with_config(config).await;
    // A credential that would be refused on any view does not matter here.
    let stranger = app.authorized("Token 0000000000000000000000000000000000000000");
    for _ in 0..5 {
        assert_eq!(stranger.get("/healthz").await.status, StatusCode::OK);
        assert_eq!(app.anon().get("/healthz").await.status, StatusCode::OK);
    }
    // The rate applies to the API meanwhile: the healthz requests were not counted in it.
    let login = || app.login("/api-token-auth/", "nobody", PASSWORD);
    assert_eq!(login().await.status, StatusCode::BAD_REQUEST);
    assert_eq!(login().await.status, StatusCode::BAD_REQUEST);
    assert_eq!(login().await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn it_answers_while_the_database_is_away_and_readyz_does_not() {
    let app = TestApp::new().await;
    app.store().availability().set_ready(false);
    assert_eq!(app.anon().get("/healthz").await.status, StatusCode::OK);
    let ready = app.anon().get("/readyz").await;
    assert_eq!(
        ready.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        ready.text
    );
    assert_eq!(ready.json["status"], "unavailable");
    assert_eq!(
        ready.json["migrations"],
        "the startup migrations have not run yet"
    );
    // A view, meanwhile, gets the outage's 503.
    assert_eq!(
        app.anon().get("/api/notes/").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn its_path_is_configurable_and_it_can_be_disabled() {
    let mut config = Config::default();
    config.operations.healthz_path = "/live".into();
    config.operations.readyz_path = String::new();
    let app = TestApp::with_config(config).await;
    assert_eq!(app.anon().get("/live").await.status, StatusCode::OK);
    assert_eq!(
        app.anon().get("/healthz").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.anon().get("/readyz").await.status,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn a_path_that_clashes_with_a_url_is_refused_by_the_check() {
    let mut config = Config::default();
    config.operations.metrics_path = "/api/notes/".into();
    config.operations.readyz_path = "readyz".into();
    let keys: Vec<String> = config.problems().into_iter().map(|p| p.key).collect();
    assert!(
        keys.contains(&"operations.readyz_path".to_string()),
        "{keys:?}"
    );
    assert!(keys.iter().any(|k| k.contains("api/")), "{keys:?}");
}

/// A probe addresses the instance by its own address, which ALLOWED_HOSTS rarely lists.
#[tokio::test]
async fn it_answers_whatever_the_host_and_the_api_still_checks_it() {
    let app = TestApp::new().await;
    let probe = [("host", "10.1.2.3:8000")];
    assert_eq!(
        app.anon()
            .send("GET", "/healthz", &probe, None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.anon().send("GET", "/readyz", &probe, None).await.status,
        StatusCode::OK
    );
    for path in ["/api/notes/", "/metrics"] {
        let refused = app.anon().send("GET", path, &probe, None).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(refused.detail(), "Invalid host header.");
    }
}
