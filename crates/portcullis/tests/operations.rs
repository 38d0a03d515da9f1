//! The built binary as an operator runs it, over real TCP: its JSON log lines (one access line
//! per request carrying the `X-Request-Id`, the route, status, latency and user, and never a
//! password or a token), the metrics on a listener of their own, and a graceful shutdown on
//! SIGTERM (the request in flight is answered, new connections are refused, the process exits
//! cleanly). Ports 19260-19279.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::http::{Server, portcullis, request};

const PASSWORD: &str = "kV7#mountain-Lamp";

/// A free port of this file's range.
fn free_port() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    (0..20)
        .map(|_| 19260 + NEXT.fetch_add(1, Ordering::Relaxed) % 20)
        .find(|p| TcpListener::bind(("127.0.0.1", *p)).is_ok())
        .expect("a free port in 19260-19279")
}

/// `portcullis serve` on a SQLite file in `dir`, JSON logs at info in `dir/serve.log`, with more
/// settings in `env`; the server and its port.
fn serve_json(dir: &Path, env: &[(&str, &str)]) -> (Server, u16) {
    let port = free_port();
    let url = format!("sqlite://{}", dir.join("db.sqlite3").display());
    let child = portcullis(dir, &url)
        .env("PORTCULLIS_LOG", "info")
        .env("PORTCULLIS_OPERATIONS__LOG_FORMAT", "json")
        .envs(env.iter().copied())
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("serve.log")).unwrap())
        .spawn()
        .unwrap();
    let server = Server(child);
    wait_for(port);
    (server, port)
}

fn wait_for(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listened on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A request with headers of the test's choosing, over a fresh connection: (status, body).
fn send(port: u16, method: &str, path: &str, headers: &[&str], body: &str) -> (u16, String) {
    let mut raw = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for header in headers {
        raw.push_str(header);
        raw.push_str("\r\n");
    }
    raw.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ));
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    (status, body.to_string())
}

/// Stop the server with `signal` (`TERM`, or `INT` as Ctrl-C sends) and wait for it; whether it
/// exited successfully.
fn terminate(server: &mut Server, signal: &str) -> bool {
    let pid = server.0.id().to_string();
    let killed = Command::new("kill")
        .args([&format!("-{signal}"), &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    server.0.wait().unwrap().success()
}

#[test]
fn json_access_lines_carry_the_request_id_route_status_latency_and_user_but_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, port) = serve_json(dir.path(), &[]);
    let user = format!(r#"{{"username": "ada", "password": "{PASSWORD}"}}"#);
    let (status, created) = send(port, "POST", "/auth/users/", &[], &user);
    assert_eq!(status, 201, "{created}");
    let id = serde_json::from_str::<Value>(&created).unwrap()["id"].clone();
    let (status, login) = send(port, "POST", "/api-token-auth/", &[], &user);
    assert_eq!(status, 200, "{login}");
    let token = serde_json::from_str::<Value>(&login).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let auth = format!("Authorization: Token {token}");
    let traced = ["X-Request-Id: trace-me-42", auth.as_str()];
    let (status, _) = send(port, "GET", "/auth/users/me/", &traced, "");
    assert_eq!(status, 200);
    let me = request(port, "GET", "/auth/users/me/", Some("wrong-token"), "");
    assert_eq!(me.status, 401);
    assert!(terminate(&mut server, "TERM"), "a clean exit on SIGTERM");

    let log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    let line = lines
        .iter()
        .find(|l| l["span"]["id"] == "trace-me-42")
        .unwrap_or_else(|| panic!("no line with the request id: {log}"));
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["target"], "portcullis::access");
    assert_eq!(line["status"], 200);
    assert!(line["latency_ms"].as_f64().unwrap() > 0.0, "{line}");
    assert_eq!(line["span"]["method"], "GET");
    assert_eq!(line["span"]["route"], "/auth/users/me/");
    assert_eq!(line["span"]["user"], id, "{line}");
    let accesses = lines
        .iter()
        .filter(|l| l["target"] == "portcullis::access")
        .count();
    assert_eq!(accesses, 4, "one access line per request: {log}");
    for secret in [PASSWORD, token.as_str(), "wrong-token"] {
        assert!(!log.contains(secret), "{secret:?} is in the log: {log}");
    }
}

#[test]
fn metrics_can_be_served_on_an_address_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let metrics_port = free_port();
    let addr = format!("127.0.0.1:{metrics_port}");
    let env = [("PORTCULLIS_OPERATIONS__METRICS_ADDR", addr.as_str())];
    let (mut server, port) = serve_json(dir.path(), &env);
    wait_for(metrics_port);
    assert_eq!(send(port, "GET", "/healthz", &[], "").0, 200);
    // Not on the main listener, even from the loopback address.
    assert_eq!(send(port, "GET", "/metrics", &[], "").0, 404);
    let (status, text) = send(metrics_port, "GET", "/metrics", &[], "");
    assert_eq!(status, 200);
    assert!(
        text.contains("portcullis_http_requests_total{route=\"/healthz\",status=\"200\"} 1\n"),
        "{text}"
    );
    assert!(terminate(&mut server, "INT"), "a clean exit on Ctrl-C");
    assert!(TcpStream::connect(("127.0.0.1", metrics_port)).is_err());
}

#[test]
fn sigterm_finishes_the_request_in_flight_and_refuses_new_connections() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, port) = serve_json(dir.path(), &[]);
    let body = format!(r#"{{"username": "nobody", "password": "{PASSWORD}"}}"#);
    let (first, rest) = body.split_at(10);
    let mut in_flight = TcpStream::connect(("127.0.0.1", port)).unwrap();
    in_flight
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let head = format!(
        "POST /api-token-auth/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{first}",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let pid = server.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(Instant::now() < deadline, "new connections still accepted");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        server.0.try_wait().unwrap().is_none(),
        "it waits for the request"
    );

    in_flight.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    in_flight.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer:?}");
    assert!(
        answer.ends_with(r#"{"non_field_errors":["Unable to log in with provided credentials."]}"#),
        "{answer:?}"
    );
    assert!(server.0.wait().unwrap().success(), "a clean exit");
}

#[test]
fn check_names_a_bad_operations_setting() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
    let output = portcullis(dir.path(), &url)
        .env("PORTCULLIS_OPERATIONS__METRICS_PATH", "metrics")
        .env("PORTCULLIS_OPERATIONS__LOG_FORMAT", "yaml")
        .arg("check")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("LOG_FORMAT") && err.contains("yaml"), "{err}");
    let output = portcullis(dir.path(), &url)
        .env("PORTCULLIS_OPERATIONS__METRICS_PATH", "metrics")
        .arg("check")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("operations.metrics_path: \"metrics\" must be a plain path"),
        "{err}"
    );
}
