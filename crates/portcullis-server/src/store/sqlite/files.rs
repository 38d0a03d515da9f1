//! The database files on disk: the main file, its WAL and its shared-memory index hold password
//! hashes and sealed token copies, so only their owner may read them, as the server secret's
//! file. SQLite creates the WAL and shared-memory files with the main file's permissions, so
//! creating the main file 0600 covers all three; files left by an older version with wider
//! permissions are narrowed at start.

use std::path::{Path, PathBuf};

/// The file a `sqlite://PATH[?options]` URL names; `None` for in-memory databases.
pub(super) fn database_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://")?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Some(PathBuf::from(path))
}

/// Create the database file readable by its owner only when it is missing, and narrow the
/// permissions of an existing one (and of its `-wal` and `-shm` companions).
pub(super) fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path);
        match created {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let file = Path::new(&name);
            let Ok(meta) = std::fs::metadata(file) else {
                continue;
            };
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))?;
                tracing::warn!(file = %file.display(), "narrowed the database file's permissions to 0600");
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_file() {
        assert_eq!(
            database_path("sqlite://data/db.sqlite3?mode=rwc"),
            Some(PathBuf::from("data/db.sqlite3"))
        );
        assert_eq!(database_path("sqlite::memory:"), None);
        assert_eq!(database_path("sqlite://:memory:"), None);
    }
}
