//! What the binary's tests over real TCP share: the binary on a database URL, `serve` on a free
//! port, and one request over a fresh connection.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

/// The binary in `dir` on `database_url`, with no other `PORTCULLIS_*` variable inherited.
pub(crate) fn portcullis(dir: &Path, database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portcullis"));
    command.current_dir(dir).env("PORTCULLIS_LOG", "warn");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PORTCULLIS_") && key != "PORTCULLIS_LOG" {
            command.env_remove(key);
        }
    }
    command
        .env("PORTCULLIS_DATABASE_URL", database_url)
        // A short pool wait keeps the outage's first requests short.
        .env("PORTCULLIS_LIMITS__POOL_WAIT_MS", "1000");
    command
}

/// Kills the server even when an assertion fails first.
pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `portcullis serve` on a port of 18150-18159 (see `serve_with`), its log (warnings) in `dir/serve.log`; its port.
pub(crate) fn serve(dir: &Path, database_url: &str) -> (Server, u16) {
    serve_with(dir, database_url, &[], "serve.log")
}

/// [`serve`] with more environment (`PORTCULLIS_*` settings), logging to `dir/log`.
pub(crate) fn serve_with(
    dir: &Path,
    database_url: &str,
    env: &[(&str, &str)],
    log: &str,
) -> (Server, u16) {
    // Each test a port of its own, even before its server listens. `PORTCULLIS_TEST_PORT_BASE`
    // moves the ten ports, for machines where others use these.
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = std::env::var("PORTCULLIS_TEST_PORT_BASE")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(18150u16);
    let port = (0..10)
        .map(|_| base + NEXT.fetch_add(1, Ordering::Relaxed) % 10)
        .find(|p| TcpListener::bind(("127.0.0.1", *p)).is_ok())
        .expect("a free port among the ten from PORTCULLIS_TEST_PORT_BASE (18150)");
    let child = portcullis(dir, database_url)
        .envs(env.iter().copied())
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join(log)).unwrap())
        .spawn()
        .unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve never listened on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    (server, port)
}

/// An answer: status code, headers (lowercase names) and body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

/// One request over a fresh connection; an answer must come (a dropped connection fails).
pub(crate) fn request(
    port: u16,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: &str,
) -> Answer {
    let auth = auth
        .map(|t| format!("Authorization: Token {t}\r\n"))
        .unwrap_or_default();
    let raw = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
    Answer {
        status: status.unwrap_or_else(|| panic!("no answer: {text:?}")),
        head: head.to_string(),
        body: body.to_string(),
    }
}
