//! The last line of defence: a handler that panics gets DRF's JSON 500 over a real socket, on
//! a connection that stays open, and the server keeps serving. The panicking routes exist only
//! here, wrapped by the same public layer the application's stack uses.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;

use axum::Router;
use axum::middleware::from_fn;
use axum::routing::get;
use portcullis_server::http::middleware::{catch_panic, wrap};
use portcullis_server::http::routing::Routes;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

async fn boom() -> &'static str {
    panic!("on purpose")
}

/// A panic after the handler has been suspended once, with a formatted payload.
async fn boom_later() -> &'static str {
    tokio::task::yield_now().await;
    let n: u64 = 7;
    panic!("on purpose, {n} times")
}

async fn serve() -> SocketAddr {
    let router = Router::new()
        .route("/boom/", get(boom))
        .route("/boom-later/", get(boom_later))
        .route("/fine/", get(|| async { "fine" }))
        .layer(from_fn(catch_panic));
    listen(router).await
}

async fn listen(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// One request on an open keep-alive connection; the status, headers and body.
async fn get_on(stream: &mut BufReader<TcpStream>, path: &str) -> (u16, Headers, Vec<u8>) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    stream
        .get_mut()
        .write_all(request.as_bytes())
        .await
        .unwrap();
    let mut status_line = String::new();
    stream.read_line(&mut status_line).await.unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no answer to {path}: {status_line:?}"));
    let (mut length, mut headers) = (0, Vec::new());
    loop {
        let mut line = String::new();
        stream.read_line(&mut line).await.unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        let (name, value) = (name.to_ascii_lowercase(), value.trim().to_string());
        if name == "content-length" {
            length = value.parse().unwrap();
        }
        headers.push((name, value));
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.unwrap();
    (status, Headers(headers), body)
}

/// Response headers, names lowercased.
struct Headers(Vec<(String, String)>);

impl Headers {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[tokio::test]
async fn a_panicking_handler_gets_a_json_500_and_the_connection_stays() {
    let addr = serve().await;
    let mut conn = BufReader::new(TcpStream::connect(addr).await.unwrap());
    for path in ["/boom/", "/boom-later/", "/boom/"] {
        let (status, headers, body) = get_on(&mut conn, path).await;
        assert_eq!(status, 500, "{path}");
        assert_eq!(
            headers.get("content-type"),
            Some("application/json"),
            "{path}"
        );
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            body,
            json!({ "detail": "A server error occurred." }),
            "{path}"
        );
        // The same connection still serves the next request.
        let (status, _, body) = get_on(&mut conn, "/fine/").await;
        assert_eq!(
            (status, body.as_slice()),
            (200, &b"fine"[..]),
            "after {path}"
        );
    }
    // And so does a new one.
    let mut other = BufReader::new(TcpStream::connect(addr).await.unwrap());
    let (status, _, _) = get_on(&mut other, "/fine/").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_application_stack_answers_a_panic_with_djangos_headers() {
    let app = crate::harness::TestApp::new().await;
    let (routes, table) = Routes::default().finish();
    let routes = routes.route("/boom/", get(boom));
    let addr = listen(wrap(routes, table, app.state.clone())).await;
    let mut conn = BufReader::new(TcpStream::connect(addr).await.unwrap());
    let (status, headers, body) = get_on(&mut conn, "/boom/").await;
    assert_eq!(status, 500);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body, json!({ "detail": "A server error occurred." }));
    // The layers above the views treat the 500 as any other response, as in Django.
    assert_eq!(headers.get("x-frame-options"), Some("DENY"));
    assert_eq!(headers.get("x-content-type-options"), Some("nosniff"));
    let (status, _, _) = get_on(&mut conn, "/boom/").await;
    assert_eq!(status, 500);
}
