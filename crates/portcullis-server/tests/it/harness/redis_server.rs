//! A real `redis-server` (Debian's package `redis-server`) for the tests of shared throttle
//! counters: started on a free loopback port in 18800-18899 (or the range
//! `PORTCULLIS_TEST_REDIS_PORTS=FIRST-LAST` gives) with a throwaway directory and no
//! persistence, as an unprivileged user when the tests run as root (`setpriv`, falling back to
//! the current user), and killed when the value is dropped. Without the program the tests are
//! skipped with a note naming the package, so that `cargo test --workspace` stays true on a fresh
//! machine; under CI (`CI` set, as `.ci/run` runs, which installs the package) they fail instead.
//! Std only, so that the binary's tests (`crates/portcullis/tests`) include this file too.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

/// The ports the tests may use.
const PORTS: std::ops::Range<u16> = 18800..18900;

/// The next port to try, spread by process so that two test binaries rarely collide.
static NEXT: AtomicU16 = AtomicU16::new(0);

/// [`PORTS`], or the inclusive range `PORTCULLIS_TEST_REDIS_PORTS` names (for a machine where
/// those ports belong to someone else).
fn ports() -> std::ops::Range<u16> {
    let given = std::env::var("PORTCULLIS_TEST_REDIS_PORTS").ok();
    let parsed = given.as_deref().and_then(|range| {
        let (first, last) = range.split_once('-')?;
        let first = first.trim().parse::<u16>().ok()?;
        let last = last.trim().parse::<u16>().ok()?;
        (first <= last).then(|| first..last.saturating_add(1))
    });
    parsed.unwrap_or(PORTS)
}

/// A loopback port of [`ports`] that nothing listens on right now.
pub(crate) fn free_port() -> u16 {
    let range = ports();
    let span = range.end - range.start;
    let spread = (std::process::id() % u32::from(span)) as u16;
    for _ in 0..span {
        let offset = (NEXT.fetch_add(1, Ordering::Relaxed) + spread) % span;
        let port = range.start + offset;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free loopback port in {range:?}");
}

/// A running `redis-server`; killed on drop.
pub(crate) struct RedisServer {
    port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl RedisServer {
    /// A fresh server, or `None` when `redis-server` is missing outside CI (the test then
    /// returns early).
    pub(crate) fn start() -> Option<RedisServer> {
        if Command::new("redis-server")
            .arg("--version")
            .output()
            .is_err()
        {
            let message = "these tests need a real Redis: install Debian's package `redis-server` \
                           (apt-get install redis-server)";
            if std::env::var_os("CI").is_some() {
                panic!("{message}");
            }
            eprintln!("skipped: {message}");
            return None;
        }
        let dir = tempfile::tempdir().expect("a throwaway directory");
        let mut server = RedisServer {
            port: 0,
            dir,
            child: None,
        };
        for _ in 0..5 {
            server.port = free_port();
            if server.spawn() {
                return Some(server);
            }
        }
        panic!("redis-server did not start on any of five ports");
    }

    /// `redis://127.0.0.1:PORT/1`, as django-redis' `LOCATION`.
    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/1", self.port)
    }

    /// `redis-cli` (of Debian's `redis-tools`, which `redis-server` depends on) on database 1:
    /// its output, one reply per line.
    pub(crate) fn cli(&self, args: &[&str]) -> String {
        let output = Command::new("redis-cli")
            .args(["-p", &self.port.to_string(), "-n", "1"])
            .args(args)
            .output()
            .expect("redis-cli runs");
        assert!(output.status.success(), "redis-cli {args:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Kill the server (an outage): what it held is gone.
    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Start it again on the same port (an empty Redis, as after a crash without persistence).
    pub(crate) fn restart(&mut self) {
        self.stop();
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.spawn() {
            assert!(Instant::now() < deadline, "redis-server did not restart");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Freeze or thaw the server (SIGSTOP / SIGCONT): a Redis that accepts but never answers.
    pub(crate) fn freeze(&self, frozen: bool) {
        let pid = self.child.as_ref().expect("a running server").id();
        let signal = if frozen { "-STOP" } else { "-CONT" };
        let status = Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} {pid}");
    }

    /// Spawn on `self.port`, unprivileged if possible; whether it answers PING.
    fn spawn(&mut self) -> bool {
        let args = [
            "--port".to_string(),
            self.port.to_string(),
            "--bind".into(),
            "127.0.0.1".into(),
            "--save".into(),
            String::new(),
            "--appendonly".into(),
            "no".into(),
            "--dir".into(),
            self.dir.path().display().to_string(),
        ];
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        if root {
            // The throwaway directory must be the unprivileged user's to use.
            let _ = Command::new("chmod")
                .args(["0777", &self.dir.path().display().to_string()])
                .status();
            let mut unprivileged = Command::new("setpriv");
            unprivileged
                .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
                .arg("redis-server")
                .args(&args);
            if self.run(unprivileged) {
                return true;
            }
        }
        let mut plain = Command::new("redis-server");
        plain.args(&args);
        self.run(plain)
    }

    /// Run `command` and wait until the server answers PING (or the process ends).
    fn run(&mut self, mut command: Command) -> bool {
        let Ok(mut child) = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        else {
            return false;
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if child.try_wait().ok().flatten().is_some() {
                return false;
            }
            if ping(self.port) {
                self.child = Some(child);
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        false
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(child) = &self.child {
            // A frozen server does not die of SIGKILL until it is continued on some systems.
            let _ = Command::new("kill")
                .args(["-CONT", &child.id().to_string()])
                .status();
        }
        self.stop();
    }
}

/// Whether a Redis on `port` answers `PING`.
fn ping(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut reply = [0u8; 7];
    stream.write_all(b"PING\r\n").is_ok()
        && stream.read_exact(&mut reply).is_ok()
        && &reply == b"+PONG\r\n"
}
