//! A PostgreSQL server of the test's own, which the test stops and starts (an outage): Debian's
//! `postgresql` binaries (`initdb`, `pg_ctl`), found in `PORTCULLIS_TEST_PG_BIN` or through
//! `pg_config --bindir`, run on a loopback port in 18140-18149 with a throwaway data directory,
//! as the unprivileged user `nobody` when the tests run as root (PostgreSQL refuses root).
//! Like every PostgreSQL test, these run when `PORTCULLIS_TEST_DATABASE_URL` is set (CI sets it);
//! without it, or without the binaries, they are skipped with a note, and fail under CI.
//! Stopped for good when the value is dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};

/// The ports this server may take.
const PORTS: std::ops::Range<u16> = 18140..18150;

pub(crate) struct PgServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    running: bool,
}

impl PgServer {
    /// A fresh cluster, initialized but not started (`start` it, or serve on it while it is
    /// down); `None` when PostgreSQL tests are not enabled here.
    pub(crate) fn init() -> Option<PgServer> {
        let bin = binaries()?;
        let dir = tempfile::tempdir().expect("a throwaway directory");
        let server = PgServer {
            dir,
            bin,
            port: free_port(),
            running: false,
        };
        server.give_to_nobody(server.dir.path());
        let data = server.data();
        let initdb = server.bin.join("initdb").display().to_string();
        let args = [
            "-D",
            &data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ];
        let status = server
            .command(&initdb, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("initdb runs");
        assert!(status.success(), "initdb failed");
        Some(server)
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Start the server (again), on the same port and data; waits until it accepts connections.
    pub(crate) fn start(&mut self) {
        let socket_dir = self.dir.path().display().to_string();
        let options = format!(
            "-p {} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port
        );
        let log = self.dir.path().join("log").display().to_string();
        let data = self.data();
        let pg_ctl = self.bin.join("pg_ctl").display().to_string();
        let args = ["-D", &data, "-o", &options, "-l", &log, "-w", "start"];
        let status = self
            .command(&pg_ctl, &args)
            .stdout(Stdio::null())
            .status()
            .expect("pg_ctl runs");
        assert!(status.success(), "pg_ctl start failed: {}", self.log());
        self.running = true;
    }

    /// Stop the server (`fast`: open sessions are ended, as in a restart); waits until it is down.
    pub(crate) fn stop(&mut self) {
        self.pg_ctl_stop("fast");
    }

    /// `psql` running `sql` on the server, in the background (killed when the child is).
    pub(crate) fn psql(&self, sql: &str) -> std::process::Child {
        Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-d", &self.url(), "-c", sql])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("psql runs")
    }

    /// The server's log, for a failed assertion's message.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    fn pg_ctl_stop(&mut self, mode: &str) {
        if !self.running {
            return;
        }
        let data = self.data();
        let pg_ctl = self.bin.join("pg_ctl").display().to_string();
        let _ = self
            .command(&pg_ctl, &["-D", &data, "-m", mode, "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        self.running = false;
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// `program args`, as `nobody` when the tests run as root.
    fn command(&self, program: &str, args: &[&str]) -> Command {
        if is_root() {
            let mut command = Command::new("setpriv");
            command
                .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
                .arg(program)
                .args(args);
            command
        } else {
            let mut command = Command::new(program);
            command.args(args);
            command
        }
    }

    fn give_to_nobody(&self, path: &Path) {
        if is_root() {
            let status = Command::new("chown")
                .args(["nobody:nogroup", &path.display().to_string()])
                .status()
                .expect("chown runs");
            assert!(status.success(), "chown nobody {}", path.display());
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.pg_ctl_stop("immediate");
    }
}

/// Where `initdb` and `pg_ctl` are, or `None` (after the note, or a panic under CI) when the
/// PostgreSQL tests are not to run here.
fn binaries() -> Option<PathBuf> {
    let skip = |why: &str| {
        let message = format!(
            "{why}: these tests need PostgreSQL (Debian's package `postgresql`) and \
             PORTCULLIS_TEST_DATABASE_URL set"
        );
        if std::env::var_os("CI").is_some() {
            panic!("{message}");
        }
        eprintln!("skipped: {message}");
        None
    };
    if std::env::var_os("PORTCULLIS_TEST_DATABASE_URL").is_none() {
        return skip("PORTCULLIS_TEST_DATABASE_URL is not set");
    }
    let bin = match std::env::var_os("PORTCULLIS_TEST_PG_BIN") {
        Some(bin) => PathBuf::from(bin),
        None => match Command::new("pg_config").arg("--bindir").output() {
            Ok(out) if out.status.success() => {
                PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
            }
            _ => return skip("pg_config is missing"),
        },
    };
    if !bin.join("initdb").exists() || !bin.join("pg_ctl").exists() {
        return skip(&format!("no initdb and pg_ctl in {}", bin.display()));
    }
    Some(bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// The next port to try: each server of the process a port of its own, even before any listens.
static NEXT: AtomicU16 = AtomicU16::new(0);

/// A loopback port of `PORTS` that nothing listens on right now.
fn free_port() -> u16 {
    let span = PORTS.end - PORTS.start;
    (0..span)
        .map(|_| PORTS.start + NEXT.fetch_add(1, Ordering::Relaxed) % span)
        .find(|port| TcpListener::bind(("127.0.0.1", *port)).is_ok())
        .expect("a free loopback port in 18140-18149")
}
