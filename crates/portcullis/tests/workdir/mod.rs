//! A test's working directory and its database. By default the database is the SQLite file the
//! default configuration keeps in the directory; with `PORTCULLIS_TEST_DATABASE_URL` (an admin
//! URL of a PostgreSQL server on which the tests may create databases) it is a PostgreSQL
//! database of the directory's own, named after it, created with it and dropped with it, and
//! every command run in the directory is given it as `PORTCULLIS_DATABASE_URL`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use sqlx::Connection;

const ADMIN_URL_VAR: &str = "PORTCULLIS_TEST_DATABASE_URL";

/// The PostgreSQL admin URL the tests run on, if any.
fn admin_url() -> Option<String> {
    std::env::var(ADMIN_URL_VAR).ok().filter(|u| !u.is_empty())
}

/// Whether the tests run on PostgreSQL.
pub(crate) fn on_postgres() -> bool {
    admin_url().is_some()
}

/// `admin_url` with another database name (the part after the last `/`, before any `?`).
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let (server, _) = base.rsplit_once('/').unwrap_or((base, ""));
    format!("{server}/{name}{query}")
}

/// The database of the directory: the admin database's name (so that users of a shared server
/// keep to names of their own), then the directory's, in lowercase letters, digits and `_`.
fn database_name(admin_url: &str, dir: &Path) -> String {
    let base = admin_url.split('?').next().unwrap_or(admin_url);
    let admin_db = base.rsplit_once('/').map(|(_, n)| n).unwrap_or("postgres");
    let dir_name: String = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{admin_db}_cli{dir_name}")
}

/// The `database_url` the commands run in `dir` are given, on PostgreSQL.
pub(crate) fn database_url(dir: &Path) -> Option<String> {
    let admin = admin_url()?;
    Some(with_database(&admin, &database_name(&admin, dir)))
}

/// Run one statement on the admin database.
fn admin_execute(sql: String) {
    let Some(admin) = admin_url() else { return };
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async move {
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("connect to {ADMIN_URL_VAR}: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let _ = conn.close().await;
    });
}

/// A temporary directory and, on PostgreSQL, its database.
pub(crate) struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub(crate) fn new() -> Workdir {
        let dir = tempfile::tempdir().expect("a temporary directory");
        if let Some(admin) = admin_url() {
            admin_execute(format!(
                "CREATE DATABASE \"{}\"",
                database_name(&admin, dir.path())
            ));
        }
        Workdir { dir }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        if let Some(admin) = admin_url() {
            let name = database_name(&admin, self.dir.path());
            // A server a test left running may still hold connections.
            let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            if std::thread::spawn(move || admin_execute(sql))
                .join()
                .is_err()
            {
                eprintln!("could not drop the test database {name}");
            }
        }
    }
}

/// The binary in `dir`, with no `PORTCULLIS_*` variable inherited from the test's environment
/// but the directory's PostgreSQL database when the tests run on PostgreSQL.
pub(crate) fn portcullis(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portcullis"));
    command.current_dir(dir).env("PORTCULLIS_LOG", "warn");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PORTCULLIS_") && key != "PORTCULLIS_LOG" {
            command.env_remove(key);
        }
    }
    if let Some(url) = database_url(dir) {
        command.env("PORTCULLIS_DATABASE_URL", url);
    }
    command
}

pub(crate) fn run(dir: &Path, args: &[&str]) -> Output {
    portcullis(dir).args(args).output().unwrap()
}

/// Run with `input` piped to standard input.
pub(crate) fn run_with_input(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = portcullis(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
