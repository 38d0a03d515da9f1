//! `/metrics`: Prometheus's text format, for the operator only — a loopback client that did
//! not come through a proxy, or a bearer of `operations.metrics_token`. Requests are counted by
//! route pattern (never the raw path) and status, logins by outcome, refusals by throttle scope.

use std::net::SocketAddr;

use crate::harness::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use portcullis_server::Config;

/// `GET /metrics` from `client`, with extra headers.
async fn scrape_from(app: &TestApp, client: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = Request::get("/metrics").header("host", "localhost");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::empty()).expect("a request");
    let addr: SocketAddr = client.parse().expect("an address");
    request.extensions_mut().insert(ConnectInfo(addr));
    app.send(request).await
}

/// The metrics, read from the loopback address.
async fn scrape(app: &TestApp) -> String {
    let res = scrape_from(app, "127.0.0.1:50000", &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    res.text
}

/// The value of the sample `line` (name and labels as written), if present.
fn sample(text: &str, line: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(line)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn requests_are_counted_by_route_pattern_and_status() {
    let app = TestApp::migrated(Config::default()).await;
    let ada = app.user("ada").await;
    let note = ada
        .create(
            "/api/notes/",
            serde_json::json!({"title": "t", "body": "b"}),
        )
        .await;
    let id = note["id"].as_i64().expect("an id");
    assert_eq!(
        ada.get(&format!("/api/notes/{id}/")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        ada.get(&format!("/api/notes/{id}/")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        ada.get("/api/notes/99999/").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.anon().get("/no/such/thing/").await.status,
        StatusCode::NOT_FOUND
    );

    let text = scrape(&app).await;
    let detail = "portcullis_http_requests_total{route=\"/api/notes/{id}/\"";
    assert_eq!(
        sample(&text, &format!("{detail},status=\"200\"}}")),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, &format!("{detail},status=\"404\"}}")),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "portcullis_http_requests_total{route=\"/api/notes/\",status=\"201\"}"
        ),
        Some(1.0)
    );
    // Unmatched paths share one label: a scanner cannot grow the table.
    assert_eq!(
        sample(
            &text,
            "portcullis_http_requests_total{route=\"(unmatched)\",status=\"404\"}"
        ),
        Some(1.0)
    );
    assert!(!text.contains("/api/notes/99999/") && !text.contains("/no/such/"));
    assert_eq!(
        sample(
            &text,
            "portcullis_http_request_duration_seconds_count{route=\"/api/notes/{id}/\"}"
        ),
        Some(3.0)
    );
    assert!(text.contains(
        "portcullis_http_request_duration_seconds_bucket{route=\"/api/notes/{id}/\",le=\"+Inf\"} 3\n"
    ));
    // The gauges are there too.
    assert!(
        text.contains("portcullis_db_pool_connections{pool=\""),
        "{text}"
    );
    assert_eq!(
        sample(&text, "portcullis_password_hashes_in_flight"),
        Some(0.0)
    );
    assert_eq!(
        sample(&text, "portcullis_password_hashes_queued"),
        Some(0.0)
    );
    assert_eq!(sample(&text, "portcullis_database_serving"), Some(1.0));
}

#[tokio::test]
async fn logins_are_counted_by_outcome() {
    let app = TestApp::with_config(many_logins()).await;
    let ada = app.user("ada").await; // one successful login
    app.register("bob", PASSWORD).await;
    app.deactivate(app.register("cy", PASSWORD).await).await;
    assert_eq!(
        app.login("/api-token-auth/", "bob", "wrong").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.login("/auth/token/login/", "nobody", PASSWORD)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.login("/api-token-auth/", "cy", PASSWORD).await.status,
        StatusCode::BAD_REQUEST
    );
    app.jwt_pair("bob", PASSWORD).await;
    drop(ada);

    let text = scrape(&app).await;
    let outcome = |o: &str| {
        sample(
            &text,
            &format!("portcullis_logins_total{{outcome=\"{o}\"}}"),
        )
    };
    assert_eq!(outcome("success"), Some(2.0), "{text}");
    assert_eq!(outcome("bad_credentials"), Some(2.0), "{text}");
    assert_eq!(outcome("inactive"), Some(1.0), "{text}");
    assert_eq!(outcome("throttled"), Some(0.0), "{text}");
}

#[tokio::test]
async fn throttled_requests_and_locked_accounts_are_counted() {
    let mut config = Config::default();
    config.throttle.rates.insert("anon".into(), "1/min".into());
    let app = TestApp::with_config(config).await;
    app.register("ada", PASSWORD).await; // the anonymous client's one request
    let refused = app.login("/api-token-auth/", "ada", "wrong").await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.text
    );
    let text = scrape(&app).await;
    assert_eq!(
        sample(&text, "portcullis_throttled_requests_total{scope=\"anon\"}"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "portcullis_throttled_requests_total{scope=\"user\"}"),
        Some(0.0)
    );
    // Refused by the rate before any password was looked at: not a login outcome.
    assert_eq!(
        sample(&text, "portcullis_logins_total{outcome=\"throttled\"}"),
        Some(0.0)
    );

    let mut config = many_logins();
    config.throttle.failed_logins_per_account = "1/hour".into();
    let app = TestApp::with_config(config).await;
    app.register("ada", PASSWORD).await;
    let wrong = app.login("/api-token-auth/", "ada", "wrong").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let locked = app.login("/api-token-auth/", "ada", PASSWORD).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.text
    );
    let text = scrape(&app).await;
    let outcome = |o: &str| {
        sample(
            &text,
            &format!("portcullis_logins_total{{outcome=\"{o}\"}}"),
        )
    };
    assert_eq!(outcome("throttled"), Some(1.0), "{text}");
    assert_eq!(outcome("bad_credentials"), Some(1.0), "{text}");
}

#[tokio::test]
async fn only_loopback_clients_or_token_bearers_may_read_them() {
    let app = TestApp::new().await;
    let stranger = scrape_from(&app, "203.0.113.7:40000", &[]).await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN);
    assert_eq!(
        stranger.detail(),
        "You do not have permission to perform this action."
    );
    assert!(!stranger.text.contains("portcullis_"));
    // Through a reverse proxy on the same host every client looks local: refused.
    let proxied = scrape_from(
        &app,
        "127.0.0.1:40000",
        &[("x-forwarded-for", "203.0.113.7")],
    )
    .await;
    assert_eq!(proxied.status, StatusCode::FORBIDDEN);
    // A request without a socket address (not from the server loop) is no loopback client.
    let nowhere = app.anon().get("/metrics").await;
    assert_eq!(nowhere.status, StatusCode::FORBIDDEN);
    assert_eq!(
        scrape_from(&app, "[::1]:40000", &[]).await.status,
        StatusCode::OK
    );

    let mut config = Config::default();
    config.operations.metrics_token = "a-long-metrics-token-0123".into();
    let app = TestApp::with_config(config).await;
    let bearer = [("authorization", "Bearer a-long-metrics-token-0123")];
    assert_eq!(
        scrape_from(&app, "203.0.113.7:40000", &bearer).await.status,
        StatusCode::OK
    );
    let wrong = [("authorization", "Bearer a-long-metrics-token-0124")];
    assert_eq!(
        scrape_from(&app, "203.0.113.7:40000", &wrong).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn disabled_metrics_are_not_served() {
    let mut config = Config::default();
    config.operations.metrics_path = String::new();
    let app = TestApp::with_config(config).await;
    app.anon().get("/healthz").await;
    let res = scrape_from(&app, "127.0.0.1:40000", &[]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
