//! Throttling over real TCP: DRF's rates and windows, `Retry-After`, several throttles at once,
//! a client that forges `X-Forwarded-For`, and the per-account limit of failed logins that holds
//! across rotating client addresses.

use std::net::SocketAddr;

use crate::harness::{PASSWORD, Response, TestApp, credentials, token_auth};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use portcullis_server::Config;
use portcullis_server::config::{ExtraRoute, ThrottleConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The application served over TCP: only a real socket gives the throttles a client address.
struct Server {
    addr: SocketAddr,
    _app: TestApp,
}

async fn start(throttle: ThrottleConfig, extra_routes: Vec<ExtraRoute>) -> Server {
    let config = Config {
        throttle,
        extra_routes,
        ..Config::default()
    };
    let app = TestApp::migrated(config).await;
    let addr = app.serve_tcp().await;
    Server { addr, _app: app }
}

/// One HTTP/1.1 request on a fresh connection.
async fn call(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Response {
    let mut stream = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| StatusCode::from_bytes(s.as_bytes()).ok())
        .expect("status");
    let mut headers = HeaderMap::new();
    for (k, v) in lines.filter_map(|l| l.split_once(':')) {
        headers.append(
            HeaderName::from_bytes(k.trim().as_bytes()).expect("a header name"),
            HeaderValue::from_str(v.trim()).expect("a header value"),
        );
    }
    Response::new(status, headers, body.as_bytes().to_vec())
}

fn rates(pairs: &[(&str, &str)]) -> ThrottleConfig {
    ThrottleConfig {
        rates: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        login_scope: String::new(),
        ..ThrottleConfig::default()
    }
}

async fn register(server: &Server, username: &str) {
    let body = credentials(username, PASSWORD);
    let reply = call(server, "POST", "/auth/users/", &[], Some(body)).await;
    assert_eq!(reply.status, 201, "{:?}", reply.json);
}

/// An empty registration from a client with these headers: 400 unless throttled.
async fn empty_registration(server: &Server, headers: &[(&str, &str)]) -> Response {
    call(server, "POST", "/auth/users/", headers, Some(json!({}))).await
}

/// A JSON login at `path` from a client with these headers, whatever the result.
async fn login(
    server: &Server,
    path: &str,
    headers: &[(&str, &str)],
    username: &str,
    password: &str,
) -> Response {
    let body = credentials(username, password);
    call(server, "POST", path, headers, Some(body)).await
}

/// `GET /auth/users/me/` with a DRF token.
async fn me(server: &Server, token: &str) -> Response {
    let auth = token_auth(token);
    call(
        server,
        "GET",
        "/auth/users/me/",
        &[("Authorization", &auth)],
        None,
    )
    .await
}

/// `X-Forwarded-For: <chain>`, as a client or a proxy sends it.
fn forwarded_for(chain: &str) -> [(&'static str, &str); 1] {
    [("X-Forwarded-For", chain)]
}

/// The `Retry-After` of a throttled reply, in seconds.
fn retry_after(reply: &Response) -> u64 {
    assert_eq!(reply.status, 429, "{}", reply.text);
    reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds")
}

#[tokio::test]
async fn anonymous_rate_gives_drf_429_with_retry_after() {
    let server = start(rates(&[("anon", "3/min"), ("user", "100/min")]), vec![]).await;
    // Registration is open to anonymous clients, so the anonymous rate is what stops them.
    for _ in 0..3 {
        assert_eq!(empty_registration(&server, &[]).await.status, 400);
    }
    let reply = empty_registration(&server, &[]).await;
    let wait = retry_after(&reply);
    assert!((1..=60).contains(&wait), "{wait}");
    let expected = format!("Request was throttled. Expected available in {wait} seconds.");
    assert_eq!(reply.json, json!({ "detail": expected }));
    // DRF checks throttles before the method: a 405 request is throttled too.
    assert_eq!(
        call(&server, "PUT", "/auth/token/login/", &[], None)
            .await
            .status,
        429
    );
}

#[tokio::test]
async fn forged_forwarded_for_does_not_reset_the_counter() {
    let server = start(rates(&[("anon", "2/min"), ("user", "100/min")]), vec![]).await;
    for i in 0..2 {
        let ip = format!("10.9.9.{i}");
        let reply = empty_registration(&server, &forwarded_for(&ip)).await;
        assert_eq!(reply.status, 400);
    }
    let reply = empty_registration(&server, &forwarded_for("10.1.2.3")).await;
    assert_eq!(
        reply.status, 429,
        "no trusted proxy: the socket address identifies the client"
    );
}

#[tokio::test]
async fn trusted_proxy_count_picks_the_address_the_proxy_saw() {
    let mut config = rates(&[("anon", "1/min"), ("user", "100/min")]);
    config.num_proxies = Some(1);
    let server = start(config, vec![]).await;
    let first = forwarded_for("6.6.6.6, 10.0.0.1");
    assert_eq!(empty_registration(&server, &first).await.status, 400);
    // Same real client (last entry), another forged first entry: still the same identity.
    let forged = forwarded_for("7.7.7.7, 10.0.0.1");
    assert_eq!(empty_registration(&server, &forged).await.status, 429);
    let other = forwarded_for("10.0.0.2");
    assert_eq!(empty_registration(&server, &other).await.status, 400);
}

#[tokio::test]
async fn user_rate_counts_by_user_and_the_longest_wait_wins() {
    let server = start(
        rates(&[("anon", "100/min"), ("user", "2/hour"), ("login", "1/min")]),
        vec![],
    )
    .await;
    register(&server, "rita").await;
    let token = login(&server, "/api-token-auth/", &[], "rita", PASSWORD)
        .await
        .json["token"]
        .as_str()
        .expect("token")
        .to_string();
    for _ in 0..2 {
        assert_eq!(me(&server, &token).await.status, 200);
    }
    let wait = retry_after(&me(&server, &token).await);
    assert!(wait > 60, "the hourly user rate decides: {wait}");
}

#[tokio::test]
async fn a_mount_with_its_own_scope_has_only_that_throttle() {
    let mount = ExtraRoute {
        path: "/api/throttled-login/".into(),
        endpoint: "obtain_auth_token".into(),
        throttle_scope: Some("login".into()),
    };
    let server = start(
        rates(&[("anon", "100/min"), ("user", "100/min"), ("login", "2/min")]),
        vec![mount],
    )
    .await;
    let nobody = async |path: &str| login(&server, path, &[], "nobody", "x").await.status;
    for _ in 0..2 {
        assert_eq!(nobody("/api/throttled-login/").await, 400);
    }
    assert_eq!(nobody("/api/throttled-login/").await, 429);
    // The endpoint's own path keeps its own (unscoped) throttles.
    assert_eq!(nobody("/api-token-auth/").await, 400);
}

#[tokio::test]
async fn failed_logins_per_account_hold_across_addresses() {
    let mut config = rates(&[("anon", "1000/min"), ("user", "1000/min")]);
    config.num_proxies = Some(1);
    config.failed_logins_per_account = "3/hour".into();
    let server = start(config, vec![]).await;
    register(&server, "victim").await;
    for i in 0..3 {
        let ip = format!("10.3.0.{i}");
        let guess = format!("guess-{i}");
        let reply = login(
            &server,
            "/api-token-auth/",
            &forwarded_for(&ip),
            "victim",
            &guess,
        )
        .await;
        assert_eq!(reply.status, 400);
    }
    // A fresh address, even with the right password: the account is locked for now.
    let fresh = forwarded_for("10.3.1.1");
    let reply = login(&server, "/auth/token/login/", &fresh, "victim", PASSWORD).await;
    assert_eq!(reply.status, 429);
    assert!(reply.header("retry-after").is_some());
    assert!(
        reply.json["detail"]
            .as_str()
            .expect("detail")
            .starts_with("Request was throttled.")
    );
    // Another account is not affected, and unknown accounts are counted the same way.
    register(&server, "bystander").await;
    let bystander = login(&server, "/api-token-auth/", &[], "bystander", PASSWORD).await;
    assert_eq!(bystander.status, 200);
    let ghost = async || {
        login(&server, "/api-token-auth/", &[], "ghost", "x")
            .await
            .status
    };
    for _ in 0..3 {
        assert_eq!(ghost().await, 400);
    }
    assert_eq!(ghost().await, 429);
}

#[tokio::test]
async fn a_failed_login_is_counted_in_the_same_memory_whatever_the_username() {
    // The same failed login on two fresh servers, with a 1-byte and a 1 MB username: the
    // counters hold the same bytes, since a counter's key is a fixed-size digest.
    let mut held = Vec::new();
    for username in ["x".to_string(), "x".repeat(1_000_000)] {
        let app = TestApp::with_config(crate::harness::many_logins()).await;
        let reply = app.login("/auth/token/login/", &username, "wrong").await;
        assert_eq!(reply.status, 400, "{:?}", reply.json);
        held.push(app.state.throttles().memory_bytes());
    }
    assert!(held[0] > 0, "the failure was counted");
    assert_eq!(
        held[0], held[1],
        "bytes held for a short and a 1 MB username"
    );
}
