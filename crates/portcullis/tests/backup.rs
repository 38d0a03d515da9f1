//! `portcullis backup FILE` while the server runs and clients write: the copy opens, passes
//! `PRAGMA integrity_check`, holds every note answered 201 before the backup started, and a
//! server started on the copy serves them. An existing file is kept unless `--force`, and on
//! PostgreSQL the command points to `pg_dump` and writes nothing.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::http::{Answer, portcullis, request, serve, serve_with};

const PASSWORD: &str = "kV7#mountain-Lamp";
const CLIENTS: usize = 8;

/// `POST /api/notes/` over a fresh connection; the new note's id once answered 201.
fn create(port: u16, token: &str, title: &str) -> i64 {
    let body = format!(r#"{{"title":"{title}"}}"#);
    let raw = format!(
        "POST /api/notes/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Authorization: Token {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 201"), "{text}");
    let note: serde_json::Value = serde_json::from_str(body).unwrap();
    note["id"].as_i64().unwrap()
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

fn backup(dir: &Path, url: &str, args: &[&str]) -> Output {
    portcullis(dir, url)
        .arg("backup")
        .args(args)
        .output()
        .unwrap()
}

/// The integrity check's findings and the notes' ids in the SQLite file at `path`.
fn inspect(path: &Path) -> (Vec<String>, Vec<i64>) {
    let url = format!("sqlite://{}?mode=ro", path.display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let check = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&pool)
            .await
            .unwrap();
        let ids = sqlx::query_scalar("SELECT id FROM notes")
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        (check, ids)
    })
}

#[test]
fn a_backup_taken_under_writes_holds_every_answered_note_and_serves_them() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
    let (server, port) = serve(dir.path(), &url);
    let token = token(port);

    let answered = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (answered, stop, token) = (answered.clone(), stop.clone(), token.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let id = create(port, &token, &format!("c{client}-{n}"));
                    answered.lock().unwrap().push(id);
                    n += 1;
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while answered.lock().unwrap().len() < 300 {
        assert!(Instant::now() < deadline, "the creates did not get going");
        std::thread::sleep(Duration::from_millis(5));
    }
    // Every note answered before the backup starts must be in it; the clients go on writing.
    let before = answered.lock().unwrap().clone();
    let out = backup(dir.path(), &url, &["copy.sqlite3"]);
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    drop(server);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.contains("copy.sqlite3"), "{stdout}");
    assert!(
        answered.lock().unwrap().len() > before.len(),
        "no write ran during the backup"
    );

    let copy = dir.path().join("copy.sqlite3");
    let (check, ids) = inspect(&copy);
    assert_eq!(check, ["ok"]);
    let missing: Vec<_> = before.iter().filter(|id| !ids.contains(id)).collect();
    assert!(missing.is_empty(), "{missing:?} missing from the copy");

    let copy_url = format!("sqlite://{}", copy.display());
    let (_server, port) = serve_with(dir.path(), &copy_url, &[], "copy.log");
    for id in &before {
        let path = format!("/api/notes/{id}/");
        assert_eq!(request(port, "GET", &path, Some(&token), "").status, 200);
    }
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
    let migrated = portcullis(dir.path(), &url)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(migrated.status.success(), "{migrated:?}");
    let target = dir.path().join("kept.sqlite3");
    std::fs::write(&target, "precious").unwrap();

    let refused = backup(dir.path(), &url, &["kept.sqlite3"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("exists; pass --force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");

    let forced = backup(dir.path(), &url, &["--force", "kept.sqlite3"]);
    assert!(forced.status.success(), "{forced:?}");
    assert_eq!(inspect(&target).0, ["ok"]);
    // Nothing is left beside the copy but the database's own files.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kept"))
        .collect();
    names.sort();
    assert_eq!(names, ["kept.sqlite3"]);
}

#[test]
fn on_postgresql_the_command_points_to_pg_dump_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://portcullis@127.0.0.1:1/portcullis";
    let out = backup(dir.path(), url, &["copy.dump"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("pg_dump"), "{stderr}");
    assert!(!dir.path().join("copy.dump").exists());
}
