//! Throttling over real TCP: DRF's rates and windows, `Retry-After`, several throttles at once,
//! a client that forges `X-Forwarded-For`, and the per-account limit of failed logins that holds
//! across rotating client addresses.

use std::net::SocketAddr;

use portcullis_server::config::{ExtraRoute, ThrottleConfig};
use portcullis_server::store::Store;
use portcullis_server::{AppState, Config, app};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Server {
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

async fn start(throttle: ThrottleConfig, extra_routes: Vec<ExtraRoute>) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
    let store = Store::open(&url).await.expect("store");
    let config = Config {
        throttle,
        extra_routes,
        ..Config::default()
    };
    assert_eq!(config.problems(), vec![]);
    let state = AppState::new(config, store, b"throttle tests secret, long enough....");
    state.migrate_resources(false).await.expect("migrate");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.expect("serve") });
    Server { addr, _dir: dir }
}

/// One HTTP/1.1 request on a fresh connection.
async fn call(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
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
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    }
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
    let body = json!({"username": username, "password": "kV7#mountain-Lamp"});
    let reply = call(server, "POST", "/auth/users/", &[], Some(body)).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
}

#[tokio::test]
async fn anonymous_rate_gives_drf_429_with_retry_after() {
    let server = start(rates(&[("anon", "3/min"), ("user", "100/min")]), vec![]).await;
    // Registration is open to anonymous clients, so the anonymous rate is what stops them.
    for _ in 0..3 {
        assert_eq!(
            call(&server, "POST", "/auth/users/", &[], Some(json!({})))
                .await
                .status,
            400
        );
    }
    let reply = call(&server, "POST", "/auth/users/", &[], Some(json!({}))).await;
    assert_eq!(reply.status, 429);
    let wait: u64 = reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    let expected = format!("Request was throttled. Expected available in {wait} seconds.");
    assert_eq!(reply.body, json!({ "detail": expected }));
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
        let reply = call(
            &server,
            "POST",
            "/auth/users/",
            &[("X-Forwarded-For", &ip)],
            Some(json!({})),
        )
        .await;
        assert_eq!(reply.status, 400);
    }
    let forged = [("X-Forwarded-For", "10.1.2.3")];
    let reply = call(&server, "POST", "/auth/users/", &forged, Some(json!({}))).await;
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
    let first = [("X-Forwarded-For", "6.6.6.6, 10.0.0.1")];
    let empty = || Some(json!({}));
    assert_eq!(
        call(&server, "POST", "/auth/users/", &first, empty())
            .await
            .status,
        400
    );
    // Same real client (last entry), another forged first entry: still the same identity.
    let forged = [("X-Forwarded-For", "7.7.7.7, 10.0.0.1")];
    assert_eq!(
        call(&server, "POST", "/auth/users/", &forged, empty())
            .await
            .status,
        429
    );
    let other = [("X-Forwarded-For", "10.0.0.2")];
    assert_eq!(
        call(&server, "POST", "/auth/users/", &other, empty())
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn user_rate_counts_by_user_and_the_longest_wait_wins() {
    let server = start(
        rates(&[("anon", "100/min"), ("user", "2/hour"), ("login", "1/min")]),
        vec![],
    )
    .await;
    register(&server, "rita").await;
    let login = json!({"username": "rita", "password": "kV7#mountain-Lamp"});
    let token = call(&server, "POST", "/api-token-auth/", &[], Some(login))
        .await
        .body["token"]
        .as_str()
        .expect("token")
        .to_string();
    let auth = format!("Token {token}");
    for _ in 0..2 {
        assert_eq!(
            call(
                &server,
                "GET",
                "/auth/users/me/",
                &[("Authorization", &auth)],
                None
            )
            .await
            .status,
            200
        );
    }
    let reply = call(
        &server,
        "GET",
        "/auth/users/me/",
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(reply.status, 429);
    let wait: u64 = reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
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
    let body = || Some(json!({"username": "nobody", "password": "x"}));
    for _ in 0..2 {
        assert_eq!(
            call(&server, "POST", "/api/throttled-login/", &[], body())
                .await
                .status,
            400
        );
    }
    assert_eq!(
        call(&server, "POST", "/api/throttled-login/", &[], body())
            .await
            .status,
        429
    );
    // The endpoint's own path keeps its own (unscoped) throttles.
    assert_eq!(
        call(&server, "POST", "/api-token-auth/", &[], body())
            .await
            .status,
        400
    );
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
        let bad = json!({"username": "victim", "password": format!("guess-{i}")});
        let reply = call(
            &server,
            "POST",
            "/api-token-auth/",
            &[("X-Forwarded-For", &ip)],
            Some(bad),
        )
        .await;
        assert_eq!(reply.status, 400);
    }
    // A fresh address, even with the right password: the account is locked for now.
    let good = json!({"username": "victim", "password": "kV7#mountain-Lamp"});
    let reply = call(
        &server,
        "POST",
        "/auth/token/login/",
        &[("X-Forwarded-For", "10.3.1.1")],
        Some(good),
    )
    .await;
    assert_eq!(reply.status, 429);
    assert!(reply.header("retry-after").is_some());
    assert!(
        reply.body["detail"]
            .as_str()
            .expect("detail")
            .starts_with("Request was throttled.")
    );
    // Another account is not affected, and unknown accounts are counted the same way.
    register(&server, "bystander").await;
    let other = json!({"username": "bystander", "password": "kV7#mountain-Lamp"});
    assert_eq!(
        call(&server, "POST", "/api-token-auth/", &[], Some(other))
            .await
            .status,
        200
    );
    for _ in 0..3 {
        let ghost = json!({"username": "ghost", "password": "x"});
        assert_eq!(
            call(&server, "POST", "/api-token-auth/", &[], Some(ghost))
                .await
                .status,
            400
        );
    }
    let ghost = json!({"username": "ghost", "password": "x"});
    assert_eq!(
        call(&server, "POST", "/api-token-auth/", &[], Some(ghost))
            .await
            .status,
        429
    );
}
