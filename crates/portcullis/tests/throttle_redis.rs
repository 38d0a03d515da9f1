//! Throttle counters shared through a real Redis (`throttle.cache_url`): two `portcullis serve`
//! processes count one login rate together, and `check` notes a Redis that does not answer.
#![allow(clippy::unwrap_used)]

use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[allow(dead_code)]
mod support;
#[allow(dead_code)]
mod workdir;

use support::http::{Server, request};
use workdir::{Workdir, portcullis, run, stderr, stdout};

// The HTTP tests' helper, shared: these tests use only part of it.
#[allow(dead_code)]
#[path = "../../portcullis-server/tests/it/harness/redis_server.rs"]
mod redis_server;

/// POST a failed login at `/api-token-auth/`; the status code.
fn failed_login(port: u16) -> u16 {
    let body = r#"{"username":"nobody","password":"x"}"#;
    request(port, "POST", "/api-token-auth/", None, body).status
}

#[test]
fn two_serve_processes_share_a_scoped_rate_through_redis() {
    let Some(redis) = redis_server::RedisServer::start() else {
        return;
    };
    let dir = Workdir::new();
    let migrated = run(dir.path(), &["migrate"]);
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    let check = portcullis(dir.path())
        .arg("check")
        .env("PORTCULLIS_THROTTLE__CACHE_URL", redis.url())
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        !stdout(&check).contains("Note: throttle"),
        "{}",
        stdout(&check)
    );
    let serve = |port: u16| {
        Server(
            portcullis(dir.path())
                .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
                .env("PORTCULLIS_THROTTLE__CACHE_URL", redis.url())
                .env("PORTCULLIS_THROTTLE__RATES__LOGIN", "3/min")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        )
    };
    let ports = [redis_server::free_port(), redis_server::free_port()];
    let _servers = [serve(ports[0]), serve(ports[1])];
    let deadline = Instant::now() + Duration::from_secs(60);
    for port in ports {
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "serve never answered on {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    // Three failed logins between the two processes use up the login scope's 3/min.
    let answers = [0, 1, 0, 1, 0].map(|i| failed_login(ports[i]));
    assert_eq!(answers, [400, 400, 400, 429, 429]);
}

#[test]
fn check_notes_a_redis_that_does_not_answer() {
    let dir = Workdir::new();
    let nobody_there = format!("redis://127.0.0.1:{}/1", redis_server::free_port());
    let output = portcullis(dir.path())
        .arg("check")
        .env("PORTCULLIS_THROTTLE__CACHE_URL", &nobody_there)
        .output()
        .unwrap();
    // Serving works without it (memory counts), so it is a note, not a failure.
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("Note: throttle.cache_url: Redis does not answer"),
        "{out}"
    );
    assert!(out.contains("System check identified no issues"), "{out}");

    let output = portcullis(dir.path())
        .arg("check")
        .env(
            "PORTCULLIS_THROTTLE__CACHE_URL",
            "rediss://127.0.0.1:6379/1",
        )
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("throttle.cache_url: only redis://host:port/db is supported"),
        "{}",
        stderr(&output)
    );
}
