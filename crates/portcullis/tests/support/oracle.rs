//! The reference Django project (`../shared/oracle/`) for the tests that drive it: where its
//! virtualenv is (where the project's `paths.sh` puts it), its server started by its own
//! `serve.sh` with djoser's mails going to a real SMTP server (Debian's `python3-aiosmtpd`,
//! started here), both on loopback ports ten above `PORTCULLIS_TEST_PORT_BASE` (18160-18169
//! by default). Without the virtualenv or aiosmtpd the tests are skipped with a note, and fail
//! under `CI`, which prepares both.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The reference project's folder (`ORACLE_DIR`, else `../shared/oracle` beside the checkout).
fn oracle_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::var_os("ORACLE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/oracle"))
}

/// Skip with a note, or fail under `CI`, where a missing component is a failure.
fn missing<T>(what: &str) -> Option<T> {
    assert!(std::env::var_os("CI").is_none(), "{what}");
    eprintln!("skipped: {what}");
    None
}

/// The reference project's Django folder and its Python, if its virtualenv exists: the one
/// `paths.sh` names (beside it, or under `$TMPDIR` when the folder is read-only; `ORACLE_VENV`
/// overrides).
pub(crate) fn oracle() -> Option<(PathBuf, PathBuf)> {
    let dir = oracle_dir();
    let paths = dir.join("paths.sh");
    let venv = Command::new("bash")
        .arg("-c")
        .arg("source \"$1\" && printf '%s' \"$VENV\"")
        .arg("paths")
        .arg(&paths)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).into_owned()));
    let python = venv.map(|v| v.join("bin/python"));
    match python {
        Some(python) if python.is_file() => Some((dir.join("django_ref"), python)),
        _ => missing("no reference Django virtualenv (run ../shared/oracle/setup.sh)"),
    }
}

/// A loopback port in the ten above the serve ports that nothing listens on right now.
pub(crate) fn spare_port() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = std::env::var("PORTCULLIS_TEST_PORT_BASE")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(18150u16)
        + 10;
    (0..10)
        .map(|_| base + NEXT.fetch_add(1, Ordering::Relaxed) % 10)
        .find(|p| TcpListener::bind(("127.0.0.1", *p)).is_ok())
        .expect("a free port among the ten above the serve ports")
}

/// Saves every message as `NNNN.json` (`to`, `subject`, the plain text) in the folder given.
const SMTP_SCRIPT: &str = r#"
import email, email.policy, json, os, sys, time
from aiosmtpd.controller import Controller
out, port = sys.argv[1], int(sys.argv[2])
class Saver:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
        Saver.count += 1
        tmp = os.path.join(out, ".%d.tmp" % Saver.count)
        with open(tmp, "w") as f:
            json.dump({"to": envelope.rcpt_tos, "subject": msg["subject"], "text": text}, f)
        os.rename(tmp, os.path.join(out, "%04d.json" % Saver.count))
        return "250 OK"
controller = Controller(Saver(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"#;

/// A running aiosmtpd saving what it receives; killed on drop.
pub(crate) struct Smtp {
    pub(crate) port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl Smtp {
    /// A fresh server, or `None` (after the note) when aiosmtpd is missing outside CI.
    pub(crate) fn start() -> Option<Smtp> {
        // Debian's package is for the system's interpreter, which a `python3` earlier on the
        // PATH (a virtualenv, pyenv) may hide.
        let python = ["/usr/bin/python3", "python3"].into_iter().find(|python| {
            Command::new(python)
                .args(["-c", "import aiosmtpd"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        let Some(python) = python else {
            return missing("these tests need Debian's package `python3-aiosmtpd`");
        };
        let dir = tempfile::tempdir().expect("a mail folder");
        let port = spare_port();
        let mut child = Command::new(python)
            .args(["-c", SMTP_SCRIPT])
            .arg(dir.path())
            .arg(port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("its stdout");
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
        assert_eq!(line.trim(), "ready", "aiosmtpd did not start on {port}");
        Some(Smtp { port, dir, child })
    }

    /// Every mail received so far, in order, once `count` have arrived.
    pub(crate) fn wait_for(&self, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
                .expect("the mail folder")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            if files.len() >= count {
                files.sort();
                return files
                    .iter()
                    .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
                    .collect();
            }
            assert!(Instant::now() < deadline, "{count} mail(s) expected");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The reference Django served by its `serve.sh` (gunicorn, one worker) on a fresh SQLite
/// file; stopped (SIGTERM, so that gunicorn takes its worker down too) on `stop` or drop.
pub(crate) struct Django {
    pub(crate) port: u16,
    child: Option<Child>,
}

impl Django {
    /// `serve.sh` with `ORACLE_DB=db`, its mail to `smtp_port`, `env` added; waits until it
    /// listens (it migrates the database first).
    pub(crate) fn serve(db: &Path, smtp_port: u16, env: &[(&str, &str)]) -> Django {
        let port = spare_port();
        let log = std::fs::File::create(db.with_extension("log")).unwrap();
        let child = Command::new(oracle_dir().join("serve.sh"))
            .arg(port.to_string())
            .env("ORACLE_DB", db)
            .env("ORACLE_SMTP_PORT", smtp_port.to_string())
            .env("ORACLE_WORKERS", "1")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("serve.sh starts");
        let mut django = Django {
            port,
            child: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = django
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            let log = || std::fs::read_to_string(db.with_extension("log")).unwrap_or_default();
            assert!(exited.is_none(), "serve.sh exited: {}", log());
            assert!(
                Instant::now() < deadline,
                "Django never listened: {}",
                log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        django
    }

    /// Stop the server and wait until it has exited (its database is then the test's).
    pub(crate) fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // `serve.sh` execs gunicorn: the child is gunicorn's arbiter.
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let _ = child.wait();
    }
}

impl Drop for Django {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The `uid` and `token` of the link `.../{uid}/{token}` in a mail's text.
pub(crate) fn link_parts(mail: &Value) -> (String, String) {
    let text = mail["text"].as_str().expect("a text body");
    let link = text
        .lines()
        .find(|l| l.starts_with("http://") || l.starts_with("https://"))
        .expect("a link in the mail");
    let mut parts = link.rsplit('/');
    let token = parts.next().expect("a token").to_string();
    let uid = parts.next().expect("a uid").to_string();
    (uid, token)
}
