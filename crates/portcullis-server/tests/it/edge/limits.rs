//! Limits and timeouts (README "Limits and timeouts"): a client that never finishes its headers
//! or its body, more connections than the cap, a request past its deadline, a search that would
//! scan for minutes, and a saturated database each get a bounded, DRF-shaped answer instead of
//! holding the server. Socket-level limits are tested over real TCP with the server `serve` runs.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use crate::harness::*;
use axum::Router;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use portcullis_server::Config;
use portcullis_server::config::LimitsConfig;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn limits(change: impl FnOnce(&mut LimitsConfig)) -> Config {
    let mut config = Config::default();
    change(&mut config.limits);
    config
}

/// Everything the server sends until it closes the connection; `None` if it is still open after
/// `patience` (a guard against a hanging test, far above every limit under test).
async fn read_until_closed(stream: &mut TcpStream, patience: Duration) -> Option<String> {
    let mut out = Vec::new();
    let read = tokio::time::timeout(patience, stream.read_to_end(&mut out)).await;
    match read {
        Ok(_) => Some(String::from_utf8_lossy(&out).into_owned()),
        Err(_) => None,
    }
}

const PATIENCE: Duration = Duration::from_secs(15);

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let app = TestApp::with_config(limits(|l| l.header_read_timeout_secs = 1)).await;
    let addr = app.serve_tcp().await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /auth/users/me/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .unwrap();
    let seen = read_until_closed(&mut stream, PATIENCE).await;
    assert!(seen.is_some(), "the connection is still open");

    // An idle keep-alive connection is closed the same way, after a complete exchange.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"OPTIONS /api-token-auth/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let seen = read_until_closed(&mut stream, PATIENCE)
        .await
        .expect("the idle connection is closed");
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
}

#[tokio::test]
async fn a_body_that_never_arrives_gets_408() {
    let app = TestApp::with_config(limits(|l| l.body_read_timeout_secs = 1)).await;
    let addr = app.serve_tcp().await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"POST /auth/users/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{\"username\": ",
        )
        .await
        .unwrap();
    let seen = read_until_closed(&mut stream, PATIENCE)
        .await
        .expect("answered and closed");
    assert!(seen.starts_with("HTTP/1.1 408"), "{seen}");
    assert!(
        seen.ends_with(r#"{"detail":"The request was not received in time."}"#),
        "{seen}"
    );
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn connections_over_the_cap_get_503_and_the_cap_frees_up() {
    let app = TestApp::with_config(limits(|l| l.max_connections = 2)).await;
    let addr = app.serve_tcp().await;
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        // A complete exchange proves the connection was accepted and counts.
        stream
            .write_all(b"OPTIONS /api-token-auth/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 12];
        stream.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"HTTP/1.1 200");
        held.push(stream);
    }
    let mut third = TcpStream::connect(addr).await.unwrap();
    let seen = read_until_closed(&mut third, PATIENCE)
        .await
        .expect("refused and closed");
    assert!(seen.starts_with("HTTP/1.1 503"), "{seen}");
    assert!(seen.contains("retry-after: 1\r\n"), "{seen}");
    assert!(
        seen.ends_with(r#"{"detail":"The server is busy. Try again later."}"#),
        "{seen}"
    );

    // A closed connection frees its place.
    drop(held.pop());
    let mut served = None;
    for _ in 0..50 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(
                b"OPTIONS /api-token-auth/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            )
            .await
            .unwrap();
        let seen = read_until_closed(&mut stream, PATIENCE).await.unwrap();
        if seen.starts_with("HTTP/1.1 200") {
            served = Some(seen);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        served.is_some(),
        "no connection was served after one closed"
    );
}

/// The deadline layer itself, on a handler that would take an hour (time is simulated).
#[tokio::test(start_paused = true)]
async fn a_request_past_its_deadline_gets_503() {
    use tower::ServiceExt;
    let router: Router = Router::new()
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                "done"
            }),
        )
        .layer(from_fn_with_state(
            Duration::from_secs(60),
            portcullis_server::http::limits::request_deadline,
        ));
    let request = axum::http::Request::get("/slow")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "1");
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(
        &body[..],
        br#"{"detail":"The request took too long to process."}"#
    );
}

/// Notes of 100 kB of one letter, and a term that matches all of them but its last character:
/// SQLite's `LIKE '%term%'` compares the whole term at every position, so each row costs tens
/// of milliseconds and a search over all of them a second or more (minutes with the 30 000-
/// character terms DRF would accept). One `LIKE` is one step of SQLite's virtual machine, so
/// the time limit takes effect between rows: the term's length bounds the cost of one row.
const HAYSTACK_LEN: usize = 100_000;
const HAYSTACKS: usize = 20;

fn slow_term() -> String {
    format!("{}b", "a".repeat(199))
}

async fn notes_with_haystack(config: Config) -> (TestApp, String) {
    let app = TestApp::migrated(config).await;
    let ann = app.user("ann").await;
    for _ in 0..HAYSTACKS {
        let note = json!({"title": "hay", "body": "a".repeat(HAYSTACK_LEN)});
        let res = ann.post("/api/notes/", note).await;
        assert_eq!(res.status, StatusCode::CREATED);
    }
    // The key outlives the caller, which borrows the application the tests move.
    let token = ann.token;
    (app, token)
}

#[tokio::test]
async fn a_query_past_its_time_limit_is_interrupted() {
    let (app, token) = notes_with_haystack(limits(|l| l.query_timeout_ms = 50)).await;
    let path = format!("/api/notes/?search={}", slow_term());
    let res = app.with_key(&token).get(&path).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.text);
    assert_eq!(res.detail(), "The request took too long to process.");
    assert_eq!(res.header("retry-after").as_deref(), Some("1"));

    // The connection is back in service, and quick queries still run.
    let res = app.with_key(&token).get("/api/notes/?search=hay").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json["count"], HAYSTACKS);
}

#[tokio::test]
async fn slow_resource_queries_neither_starve_authentication_nor_queue_forever() {
    let (app, token) = notes_with_haystack(limits(|l| {
        l.query_timeout_ms = 20_000;
        l.pool_wait_ms = 100;
        // SQLite's resource readers are four; PostgreSQL's pool is this size.
        l.pool_size = 4;
    }))
    .await;
    let app = std::sync::Arc::new(app);
    let path = format!("/api/notes/?search={}", slow_term());
    let mut searches = Vec::new();
    for _ in 0..6 {
        let (app, path, token) = (app.clone(), path.clone(), token.clone());
        searches.push(tokio::spawn(async move {
            app.with_key(&token).get(&path).await
        }));
    }
    // Token checks use connections of their own: they are answered while every resource
    // connection is busy scanning.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let me = app.with_key(&token).get(ME).await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(
        searches.iter().any(|s| !s.is_finished()),
        "the searches ended before the token check: the test proves nothing"
    );
    // Six searches, four connections: the two that found none free within the wait got 503.
    let mut statuses = Vec::new();
    for search in searches {
        let res = search.await.unwrap();
        if res.status == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(res.detail(), "The server is busy. Try again later.");
            assert_eq!(res.header("retry-after").as_deref(), Some("1"));
        }
        statuses.push(res.status);
    }
    let busy = statuses
        .iter()
        .filter(|s| **s == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert_eq!(busy, 2, "{statuses:?}");
}

#[tokio::test]
async fn search_terms_are_bounded_in_length_and_number() {
    let app = TestApp::migrated(Config::default()).await;
    let ann = app.user("ann").await;
    let long = "x".repeat(201);
    let res = ann.get(&format!("/api/notes/?search={long}")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({"search": ["Ensure each search term has at most 200 characters."]})
    );
    let many = ["t"; 11].join("+");
    let res = ann.get(&format!("/api/notes/?search={many}")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({"search": ["Ensure the search has at most 10 terms (it has 11)."]})
    );
    // At the limits: answered.
    let ok = format!("{}+{}", "x".repeat(200), ["t"; 9].join("+"));
    let res = ann.get(&format!("/api/notes/?search={ok}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
}

#[tokio::test]
async fn a_client_that_stops_reading_its_answer_is_disconnected() {
    let config = limits(|l| l.write_timeout_secs = 1);
    let app = TestApp::migrated(config).await;
    let ann = app.user("ann").await;
    // A page of large notes: far more than the socket buffers hold.
    for _ in 0..12 {
        let note = json!({"title": "big", "body": "b".repeat(2_000_000)});
        let res = ann.post("/api/notes/", note).await;
        assert_eq!(res.status, StatusCode::CREATED);
    }
    let addr = app.serve_tcp().await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /api/notes/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token {}\r\n\r\n",
        ann.token
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    // Read nothing for well past the write deadline, then everything there is.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let mut received = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut received)).await;
    assert!(
        received.len() < 24_000_000,
        "the whole answer ({} bytes) waited for the client",
        received.len()
    );
}
