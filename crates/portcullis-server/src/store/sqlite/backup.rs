//! A consistent copy of a SQLite database while the server runs (`portcullis backup`).
//!
//! The copy is SQLite's `VACUUM INTO` on a read-only connection: it reads one snapshot of the
//! database (a WAL read transaction, so the server's writers go on meanwhile and nothing they
//! commit later leaks in), and writes a compact file in rollback-journal mode that opens by
//! itself, without a `-wal` beside it. The copy is written to a temporary file in the target's
//! directory, checked with `PRAGMA integrity_check`, flushed to disk, and only then given the
//! target's name, so that a failed or interrupted backup never leaves a partial file under it.
//! The file holds password hashes and sealed tokens: it is created readable by its owner only,
//! as the database itself (`files.rs`).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use rusqlite::{Connection, OpenFlags};

use crate::store::Database;

/// How long the copy waits for a lock (the WAL index being rebuilt, say) before it gives up.
const BUSY_WAIT: Duration = Duration::from_secs(10);

/// What a backup wrote.
#[derive(Debug)]
pub struct Backup {
    /// The database copied.
    pub source: PathBuf,
    /// The copy.
    pub target: PathBuf,
    /// The copy's size in bytes.
    pub bytes: u64,
}

/// Copy the database `database_url` names to `target`; an existing `target` is replaced only
/// with `force`. PostgreSQL is refused (its own `pg_dump` makes consistent copies), and so is an
/// in-memory database, before any file is created.
pub fn backup(database_url: &str, target: &Path, force: bool) -> anyhow::Result<Backup> {
    match Database::of_url(database_url) {
        Some(Database::Sqlite) => {}
        Some(Database::Postgres) => bail!(
            "the database is PostgreSQL: back it up with pg_dump (for example \
             `pg_dump --format=custom --file=FILE \"$DATABASE_URL\"`, restored with pg_restore); \
             `portcullis backup` copies SQLite databases only"
        ),
        None => bail!("database_url: {database_url} names no database Portcullis runs on"),
    }
    let Some(source) = super::files::database_path(database_url) else {
        bail!("the database is in memory: there is no file to back up");
    };
    copy(&source, target, force)
}

/// Copy the database file at `source` to `target`.
fn copy(source: &Path, target: &Path, force: bool) -> anyhow::Result<Backup> {
    if !source.is_file() {
        bail!("no database file at {}", source.display());
    }
    check_target(source, target, force)?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .with_context(|| format!("{} names no file", target.display()))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.partial", std::process::id()));
    let temp = Partial::create(dir.join(temp_name))?;

    copy_into(source, &temp.0)?;
    integrity_check(&temp.0)?;
    File::open(&temp.0)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot flush {}", temp.0.display()))?;
    temp.publish(target, force)?;
    // The new name is durable only once the directory is flushed too.
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot flush the directory {}", dir.display()))?;
    let bytes = std::fs::metadata(target)
        .with_context(|| format!("cannot read {}", target.display()))?
        .len();
    Ok(Backup {
        source: source.to_path_buf(),
        target: target.to_path_buf(),
        bytes,
    })
}

/// Refuse a target that would lose data: an existing file without `force`, the database
/// itself, or a file with a `-wal` beside it (a database in use, or one whose log would be
/// replayed over the copy when it is opened).
fn check_target(source: &Path, target: &Path, force: bool) -> anyhow::Result<()> {
    if target.exists() {
        if !force {
            bail!("{} exists; pass --force to replace it", target.display());
        }
        let same = std::fs::canonicalize(source)? == std::fs::canonicalize(target)?;
        if same {
            bail!("{} is the database itself", target.display());
        }
    }
    let mut wal = target.as_os_str().to_owned();
    wal.push("-wal");
    if Path::new(&wal).exists() {
        bail!(
            "{} exists beside {}: that file looks like a database in use; stop what uses it \
             or choose another file",
            Path::new(&wal).display(),
            target.display()
        );
    }
    Ok(())
}

/// `VACUUM INTO` the empty file at `temp`, from one snapshot of `source`.
fn copy_into(source: &Path, temp: &Path) -> anyhow::Result<()> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(source, flags)
        .with_context(|| format!("cannot open {}", source.display()))?;
    conn.busy_timeout(BUSY_WAIT)?;
    let into = temp
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", temp.display()))?;
    conn.execute("VACUUM INTO ?1", [into])
        .with_context(|| format!("cannot copy {}", source.display()))?;
    Ok(())
}

/// `PRAGMA integrity_check` on the copy: anything but `ok` fails the backup with SQLite's
/// findings.
fn integrity_check(path: &Path) -> anyhow::Result<()> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open the copy {}", path.display()))?;
    let mut statement = conn.prepare("PRAGMA integrity_check")?;
    let findings = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    if findings != ["ok"] {
        bail!("the copy fails integrity_check: {}", findings.join("; "));
    }
    Ok(())
}

/// The copy while it is written: removed on drop unless it was published under its name.
struct Partial(PathBuf);

impl Partial {
    /// An empty file, owner-only, that did not exist before (`VACUUM INTO` fills an empty
    /// file and keeps its permissions).
    fn create(path: PathBuf) -> anyhow::Result<Partial> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Partial(path))
    }

    /// Give the copy its name. Without `force` a hard link does it, which fails instead of
    /// replacing a file that appeared meanwhile; with it, a rename replaces the old file at
    /// once, so the name always holds a whole backup.
    fn publish(self, target: &Path, force: bool) -> anyhow::Result<()> {
        let done = if force {
            std::fs::rename(&self.0, target)
        } else {
            match std::fs::hard_link(&self.0, target) {
                // A file system without hard links: the existence check made before the copy
                // is what stands between the rename and an existing file.
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists && !target.exists() => {
                    std::fs::rename(&self.0, target)
                }
                linked => linked,
            }
        };
        done.with_context(|| format!("cannot write {}", target.display()))?;
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        // After a rename the file is gone already; after a link this removes the spare name.
        let _ = std::fs::remove_file(&self.0);
    }
}
