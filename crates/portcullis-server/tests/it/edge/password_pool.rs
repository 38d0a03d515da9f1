//! The password-hashing pool over real TCP: clients that send a login and hang up before the
//! answer must not raise the number of hashes running at once above the configured limit (each
//! argon2 hash holds 19 MiB), and the server must go on answering logins afterwards.

use std::net::SocketAddr;
use std::time::Duration;

use crate::harness::*;
use portcullis_server::Config;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LOGIN: &str = "/auth/token/login/";
const LIMIT: usize = 1;

/// A connection that has sent a whole login request and not yet read the answer.
async fn send_login(addr: SocketAddr, username: &str, password: &str) -> TcpStream {
    let body = credentials(username, password).to_string();
    let request = format!(
        "POST {LOGIN} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    stream
}

/// The status line's code and the JSON body of the answer on `stream`.
async fn answer(mut stream: TcpStream) -> (u16, Value) {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// Wait (a bounded number of times) until `done` holds.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..2000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_that_hang_up_mid_login_never_exceed_the_hashing_limit() {
    let config = Config {
        password_hash_concurrency: LIMIT,
        ..many_logins()
    };
    let app = TestApp::with_config(config).await;
    app.register("alice", PASSWORD).await;
    let addr = app.serve_tcp().await;
    let hasher = app.state.passwords().clone();

    // Each client sends a login for a real account and hangs up as soon as the server has
    // asked for its hash: the hash of the previous one is still running then.
    for round in 0..8 {
        let before = hasher.requested();
        let password = if round % 2 == 0 { PASSWORD } else { "wrong" };
        let stream = send_login(addr, "alice", password).await;
        until("the server asks for the hash", || {
            hasher.requested() > before
        })
        .await;
        drop(stream);
    }
    // Logins that wait for their answer, several at once, still all succeed.
    let mut waiting = Vec::new();
    for _ in 0..3 {
        waiting.push(send_login(addr, "alice", PASSWORD).await);
    }
    for stream in waiting {
        let (status, body) = answer(stream).await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body["auth_token"].as_str().is_some_and(is_token_key),
            "{body}"
        );
    }
    until("every hash has finished", || hasher.in_flight() == 0).await;
    assert!(
        hasher.peak_in_flight() <= LIMIT,
        "{} hashes ran at once with a limit of {LIMIT}",
        hasher.peak_in_flight()
    );
    assert!(hasher.peak_in_flight() >= 1);
}
