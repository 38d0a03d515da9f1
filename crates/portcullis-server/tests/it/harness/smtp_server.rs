//! A real SMTP server for the mail tests: Debian's `python3-aiosmtpd`, started on a free
//! loopback port in 19400-19449 (or the range `PORTCULLIS_TEST_SMTP_PORTS=FIRST-LAST` gives,
//! for a machine where those ports belong to someone else) by a small script that saves each mail it receives as a JSON
//! file (`to`, `subject`, the decoded `text` and `html` parts, with
//! their lines ending in `\n`), killed when the value is
//! dropped. Without the package the tests are skipped with a note naming it (they fail under
//! `CI`, as the Redis tests do).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

const PORTS: std::ops::Range<u16> = 19400..19450;

/// [`PORTS`], or the inclusive range `PORTCULLIS_TEST_SMTP_PORTS` names.
fn ports() -> std::ops::Range<u16> {
    let given = std::env::var("PORTCULLIS_TEST_SMTP_PORTS").ok();
    let parsed = given.as_deref().and_then(|range| {
        let (first, last) = range.split_once('-')?;
        let (first, last) = (
            first.trim().parse::<u16>().ok()?,
            last.trim().parse::<u16>().ok()?,
        );
        (first <= last).then(|| first..last.saturating_add(1))
    });
    parsed.unwrap_or(PORTS)
}
static NEXT: AtomicU16 = AtomicU16::new(0);

/// Saves every message as `NNNN.json` in the folder given as the first argument.
const SCRIPT: &str = r#"
import email, email.policy, json, os, sys, time
from aiosmtpd.controller import Controller
out, port = sys.argv[1], int(sys.argv[2])
class Saver:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        def part(kind):
            body = msg.get_body((kind,))
            return body and body.get_content().replace("\r\n", "\n")
        Saver.count += 1
        data = {"from": envelope.mail_from, "to": envelope.rcpt_tos, "subject": msg["subject"],
                "text": part("plain"), "html": part("html")}
        tmp = os.path.join(out, ".%d.tmp" % Saver.count)
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.rename(tmp, os.path.join(out, "%04d.json" % Saver.count))
        return "250 OK"
controller = Controller(Saver(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"#;

/// A loopback port of [`ports`] that nothing listens on right now.
pub(crate) fn free_port() -> u16 {
    let range = ports();
    let span = range.end - range.start;
    let spread = (std::process::id() % u32::from(span)) as u16;
    for _ in 0..span {
        let port = range.start + (NEXT.fetch_add(1, Ordering::Relaxed) + spread) % span;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free loopback port in {range:?}");
}

/// A running aiosmtpd; killed on drop.
pub(crate) struct SmtpServer {
    port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl SmtpServer {
    /// A fresh server, or `None` when aiosmtpd is missing outside CI.
    pub(crate) fn start() -> Option<SmtpServer> {
        let python = python()?;
        for _ in 0..5 {
            if let Some(server) = SmtpServer::spawn(python, free_port()) {
                return Some(server);
            }
        }
        panic!("aiosmtpd did not start on any of five ports");
    }

    /// A server on `port` (which must be free), or `None` when aiosmtpd is missing outside CI.
    pub(crate) fn start_on(port: u16) -> Option<SmtpServer> {
        let server = SmtpServer::spawn(python()?, port);
        Some(server.unwrap_or_else(|| panic!("aiosmtpd did not start on port {port}")))
    }

    /// aiosmtpd on `port`, once it says it is ready; `None` if it did not start.
    fn spawn(python: &str, port: u16) -> Option<SmtpServer> {
        let dir = tempfile::tempdir().expect("a mail folder");
        let mut child = Command::new(python)
            .args(["-c", SCRIPT])
            .arg(dir.path())
            .arg(port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("its stdout");
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
        if line.trim() == "ready" {
            return Some(SmtpServer { port, dir, child });
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    /// `[email] smtp_url` for this server (plain SMTP on loopback).
    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("the mail folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
    }

    /// Every mail received so far, in order.
    pub(crate) fn mails(&self) -> Vec<Value> {
        self.files()
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("a saved mail");
                serde_json::from_str(&text).expect("a JSON mail")
            })
            .collect()
    }

    /// Wait until `count` mails have arrived (the server sends off the request path); all of
    /// them. The deadline is generous: it only stops a broken test from hanging.
    pub(crate) async fn wait_for(&self, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.files().len() < count {
            assert!(
                Instant::now() < deadline,
                "{count} mail(s) expected, {} arrived",
                self.files().len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.mails()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Python that has aiosmtpd, or `None` (outside CI) with a note saying what to install.
fn python() -> Option<&'static str> {
    // Debian's package is for the system's interpreter, which a `python3` earlier on the PATH
    // (a virtual environment, pyenv) may hide.
    let python = ["/usr/bin/python3", "python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if python.is_none() {
        let message = "these tests need a real SMTP server: install Debian's package \
                       `python3-aiosmtpd` (apt-get install python3-aiosmtpd)";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("skipped: {message}");
    }
    python
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
