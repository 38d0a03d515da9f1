//! Writes answered under load survive the process being killed: sixteen clients create notes
//! at once (so SQLite's writer groups them into shared commits, `store/sqlite/group_writer.rs`),
//! the server is killed with SIGKILL in the middle, and a new server on the same file finds
//! every note whose 201 was answered. A group's answers leave only after its `COMMIT`; a 201
//! sent earlier would be lost here.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::http::{Answer, request, serve};

const PASSWORD: &str = "kV7#mountain-Lamp";
const CLIENTS: usize = 16;

/// `POST /api/notes/` over a fresh connection; the new note's id, or `None` once the server is
/// gone (a refused or cut connection: the kill came first).
fn create(port: u16, token: &str, title: &str) -> Option<i64> {
    let body = format!(r#"{{"title":"{title}"}}"#);
    let raw = format!(
        "POST /api/notes/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Authorization: Token {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    stream.write_all(raw.as_bytes()).ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    assert!(head.starts_with("HTTP/1.1 201"), "{text}");
    let note: serde_json::Value = serde_json::from_str(body).unwrap();
    note["id"].as_i64()
}

fn token(port: u16) -> String {
    let body = format!(r#"{{"username":"writer","password":"{PASSWORD}"}}"#);
    assert_eq!(
        request(port, "POST", "/auth/users/", None, &body).status,
        201
    );
    let answer: Answer = request(port, "POST", "/api-token-auth/", None, &body);
    let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    body["token"].as_str().unwrap().to_string()
}

#[test]
fn every_answered_create_survives_a_kill_in_the_middle_of_a_burst() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
    let (mut server, port) = serve(dir.path(), &url);
    let token = token(port);

    let answered = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (answered, count, token) = (answered.clone(), count.clone(), token.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    let Some(id) = create(port, &token, &format!("c{client}-{n}")) else {
                        return;
                    };
                    answered.lock().unwrap().push(id);
                    count.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Kill once the burst is well under way, while creates are in flight.
    let deadline = Instant::now() + Duration::from_secs(60);
    while count.load(Ordering::Relaxed) < 400 {
        assert!(Instant::now() < deadline, "the creates did not get going");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    for client in clients {
        client.join().unwrap();
    }
    drop(server);

    let answered = answered.lock().unwrap().clone();
    let (_server, port) = serve(dir.path(), &url);
    let mut missing = Vec::new();
    for id in &answered {
        let path = format!("/api/notes/{id}/");
        if request(port, "GET", &path, Some(&token), "").status != 200 {
            missing.push(*id);
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} answered creates were lost: {missing:?}",
        missing.len(),
        answered.len()
    );
}
