//! The `portcullis` binary on a PostgreSQL that goes away, over real TCP: served while the
//! database is down at start (503 with `Retry-After`, then 201 without a restart), stopped and
//! started under a running instance (503s, never a 500 or a dropped connection, then 200 again),
//! and two migrations of a changed schema at once (both succeed, the DDL runs once). Each test
//! has a PostgreSQL server of its own (`support/pg_server.rs`) that it stops and starts.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use support::http::{Answer, Server, portcullis, request, serve};
use support::pg_server::PgServer;

/// The answer while the database is away.
const UNAVAILABLE: &str =
    r#"{"detail":"The service is temporarily unavailable. Try again later."}"#;
const PASSWORD: &str = "kV7#mountain-Lamp";

/// A keep-alive connection: one request after another, each answer read by its length.
struct KeepAlive(TcpStream);

impl KeepAlive {
    fn open(port: u16) -> KeepAlive {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        KeepAlive(stream)
    }

    /// `GET path` with a DRF token; the answer (the connection stays open).
    fn get(&mut self, path: &str, token: &str) -> Answer {
        let raw = format!(
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token {token}\r\n\r\n"
        );
        self.0.write_all(raw.as_bytes()).unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            self.0
                .read_exact(&mut byte)
                .expect("an answer on the open connection");
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head).into_owned();
        let mut answer = Answer {
            status: head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap(),
            head,
            body: String::new(),
        };
        let length: usize = answer.header("content-length").unwrap().parse().unwrap();
        let mut body = vec![0u8; length];
        self.0.read_exact(&mut body).unwrap();
        answer.body = String::from_utf8(body).unwrap();
        answer
    }
}

fn register(port: u16, username: &str) -> Answer {
    let body = format!(r#"{{"username":"{username}","password":"{PASSWORD}"}}"#);
    request(port, "POST", "/auth/users/", None, &body)
}

fn login(port: u16, username: &str) -> Answer {
    let body = format!(r#"{{"username":"{username}","password":"{PASSWORD}"}}"#);
    request(port, "POST", "/api-token-auth/", None, &body)
}

/// The outage's answer: 503 in DRF's shape with `Retry-After`.
fn assert_unavailable(answer: &Answer) {
    assert_eq!(answer.status, 503, "{}\n{}", answer.head, answer.body);
    assert_eq!(answer.body, UNAVAILABLE);
    assert_eq!(answer.header("retry-after").as_deref(), Some("5"));
}

/// Retry `attempt` until it answers `status` (up to 30 s); every answer before must be a 503.
fn until_status(status: u16, mut attempt: impl FnMut() -> Answer) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let answer = attempt();
        if answer.status == status {
            return answer;
        }
        assert_eq!(answer.status, 503, "{}\n{}", answer.head, answer.body);
        assert!(
            Instant::now() < deadline,
            "still {} after 30 s",
            answer.status
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn token_of(answer: &Answer) -> String {
    let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    body["token"].as_str().unwrap().to_string()
}

#[test]
fn serve_on_a_database_that_is_down_answers_503_and_serves_once_it_is_up() {
    let Some(mut pg) = PgServer::init() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_server, port) = serve(dir.path(), &pg.url());
    assert_unavailable(&register(port, "ada"));
    assert_unavailable(&request(port, "GET", "/auth/users/me/", None, ""));

    pg.start();
    // The startup migrations run in the background once the database answers: no restart.
    let created = until_status(201, || register(port, "ada"));
    assert!(
        created.body.contains(r#""username":"ada""#),
        "{}",
        created.body
    );
    let logged_in = login(port, "ada");
    assert_eq!(logged_in.status, 200, "{}", logged_in.body);
}

#[test]
fn a_database_that_goes_away_while_serving_gives_503s_then_service_resumes() {
    let Some(mut pg) = PgServer::init() else {
        return;
    };
    pg.start();
    let dir = tempfile::tempdir().unwrap();
    let (_server, port) = serve(dir.path(), &pg.url());
    assert_eq!(register(port, "grace").status, 201);
    let token = token_of(&login(port, "grace"));
    let me = || request(port, "GET", "/auth/users/me/", Some(&token), "");
    assert_eq!(me().status, 200);
    let mut kept = KeepAlive::open(port);
    assert_eq!(kept.get("/auth/users/me/", &token).status, 200);

    pg.stop();
    // Right after the stop, the authentication cache may still answer `me` from what it read
    // before (it forgets everything once its listening connection is gone, and nothing is kept
    // past `limits.auth_cache_ms`, 1 s by default): past that, every request needs the database.
    std::thread::sleep(Duration::from_millis(1_100));
    // Each kind of request gets its answer, a 503, never a 500 nor a closed connection.
    for _ in 0..3 {
        assert_unavailable(&me());
        assert_unavailable(&login(port, "grace"));
        assert_unavailable(&register(port, "linus"));
        // A connection open across the outage is answered too, and stays open.
        assert_unavailable(&kept.get("/auth/users/me/", &token));
    }

    pg.start();
    let back = until_status(200, me);
    assert!(back.body.contains(r#""username":"grace""#), "{}", back.body);
    assert_eq!(register(port, "linus").status, 201);
    assert_eq!(kept.get("/auth/users/me/", &token).status, 200);
    // One outage, one warning: not one per request.
    let log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap();
    let warnings = log.matches("the database is unavailable").count();
    assert_eq!(warnings, 1, "{log}");
    assert!(!log.contains("internal error"), "{log}");
}

#[test]
fn migrate_and_check_on_a_database_that_is_down_fail_with_one_clear_line() {
    let Some(pg) = PgServer::init() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (command, says) in [
        (
            "migrate",
            "error: cannot migrate the database: the database is unavailable: ",
        ),
        ("check", "error: database_url: cannot open postgres://"),
    ] {
        let output = portcullis(dir.path(), &pg.url())
            .arg(command)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{command} succeeded");
        let err = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(err.starts_with(says), "{command}: {err}");
        assert!(err.contains("Connection refused"), "{command}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{command}: {err}");
    }
}

fn migrate(dir: &Path, database_url: &str) -> std::thread::JoinHandle<Output> {
    let mut command = portcullis(dir, database_url);
    let schema = dir.join("schema.toml").display().to_string();
    command
        .args(["migrate"])
        .env("PORTCULLIS_SCHEMA_FILE", schema);
    std::thread::spawn(move || command.output().unwrap())
}

#[test]
fn two_migrations_of_a_changed_schema_at_once_both_succeed_and_run_the_ddl_once() {
    let Some(mut pg) = PgServer::init() else {
        return;
    };
    pg.start();
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.toml");
    std::fs::write(&schema, SCHEMA).unwrap();
    let first = migrate(dir.path(), &pg.url()).join().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );

    std::fs::write(&schema, format!("{SCHEMA}{ADDED_FIELD}")).unwrap();
    let both = [
        migrate(dir.path(), &pg.url()),
        migrate(dir.path(), &pg.url()),
    ]
    .map(|m| m.join().unwrap());
    let outputs: Vec<String> = both
        .iter()
        .map(|o| {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            String::from_utf8_lossy(&o.stdout).into_owned()
        })
        .collect();
    let added = outputs.iter().filter(|o| o.contains("field size")).count();
    let idle = outputs
        .iter()
        .filter(|o| o.contains("No migrations to apply."))
        .count();
    assert_eq!((added, idle), (1, 1), "{outputs:#?}\n{}", pg.log());
}

#[test]
fn a_migration_refuses_once_another_has_held_the_lock_past_the_wait() {
    let Some(mut pg) = PgServer::init() else {
        return;
    };
    pg.start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.toml"), SCHEMA).unwrap();
    // Another migrator: a session holding the migration lock's key ("portcull") for a while.
    let holder = pg.psql("SELECT pg_advisory_lock(8101820098873224300); SELECT pg_sleep(20)");
    let _holder = Server(holder);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let output = portcullis(dir.path(), &pg.url())
            .arg("migrate")
            .env("PORTCULLIS_LIMITS__MIGRATION_LOCK_WAIT_SECS", "1")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&output.stderr).into_owned();
        // Until psql has connected and taken the lock, the migration may just run.
        if output.status.success() {
            assert!(Instant::now() < deadline, "the lock was never held");
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        assert!(
            err.contains("another migration holds the migration lock (waited 1 s)"),
            "{err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        break;
    }
}

/// A resource, then the same with one more field.
const SCHEMA: &str = r#"
[[resources]]
name = "tasks"

[[resources.fields]]
name = "title"
type = "text"
"#;

const ADDED_FIELD: &str = r#"
[[resources.fields]]
name = "size"
type = "integer"
null = true
"#;
