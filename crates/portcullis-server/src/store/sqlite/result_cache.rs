//! The version the result cache (`store/result_cache.rs`) keeps SQLite's answers under. A read
//! transaction's shared-memory locks (`fcntl` on the `-shm` file), its statement steps and its
//! unlock were most of what a detail GET spent in SQLite, hence the cache.
//!
//! "Unchanged" is SQLite's own notion: every commit to a WAL database, by any connection of any
//! process, rewrites the wal-index header at the start of the `-shm` file (its change counter,
//! last frame and salts; SQLite's documented WAL file format) before the commit returns. A read
//! of those 48 bytes takes no lock, so a read that starts after any commit has returned never
//! sees what the commit replaced — this process's writes, the CLI's, or another tool's alike.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::store::result_cache::{ResultCache, Versioned};

/// The wal-index header's first copy: what any commit rewrites.
const HEADER: usize = 48;

/// The `-shm` file of a WAL database, read for its header.
pub(super) struct WalIndex(File);

impl Versioned for WalIndex {
    /// The database's state as of one commit.
    type Version = [u8; HEADER];

    fn version(&self) -> Option<[u8; HEADER]> {
        let mut header = [0u8; HEADER];
        self.0.read_exact_at(&mut header, 0).ok()?;
        Some(header)
    }
}

/// A cache of at most `budget` bytes of answers for the WAL database at `path`, whose
/// connections are open (so its `-shm` file exists); `None` with a zero budget, or when the
/// `-shm` file cannot be read (then nothing is kept, and every read goes to SQLite).
pub(super) fn open(path: &Path, budget: usize) -> Option<ResultCache<WalIndex>> {
    if budget == 0 {
        return None;
    }
    let mut shm = path.as_os_str().to_owned();
    shm.push("-shm");
    let index = match File::open(&shm) {
        Ok(file) => WalIndex(file),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the database's -shm file; resource reads are not cached");
            return None;
        }
    };
    index.version()?;
    ResultCache::new(index, budget)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::cells::Cell;
    use crate::store::result_cache::Answer;
    use rusqlite::Connection;

    fn database() -> (tempfile::TempDir, std::path::PathBuf, Connection) {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("db.sqlite3");
        let conn = Connection::open(&path).expect("a database");
        conn.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x TEXT);")
            .expect("a table");
        (dir, path, conn)
    }

    fn rows(text: &str) -> Answer {
        Answer::Rows(vec![vec![Cell::Text(text.into())]])
    }

    #[test]
    fn an_answer_is_served_until_any_connection_commits() {
        let (_dir, path, conn) = database();
        let cache = open(&path, 1 << 20).expect("a cache");
        let seen = cache
            .get("k")
            .expect_err("nothing kept yet")
            .expect("a version");
        cache.put("k".into(), seen, &rows("a"));
        assert!(matches!(cache.get("k"), Ok(Answer::Rows(r)) if r[0][0] == Cell::Text("a".into())));
        conn.execute("INSERT INTO t VALUES ('b')", [])
            .expect("a commit");
        assert!(cache.get("k").is_err(), "a commit forgets every answer");
    }

    #[test]
    fn an_answer_read_across_a_commit_is_not_kept() {
        let (_dir, path, conn) = database();
        let cache = open(&path, 1 << 20).expect("a cache");
        let seen = cache
            .get("k")
            .expect_err("nothing kept")
            .expect("a version");
        conn.execute("INSERT INTO t VALUES ('b')", [])
            .expect("a commit");
        cache.put("k".into(), seen, &rows("old"));
        assert!(
            cache.get("k").is_err(),
            "what was read before the commit is not kept"
        );
    }

    #[test]
    fn no_budget_or_no_wal_index_keeps_nothing() {
        let (_dir, path, _conn) = database();
        assert!(open(&path, 0).is_none());
        let elsewhere = tempfile::tempdir().expect("a directory");
        assert!(open(&elsewhere.path().join("missing.sqlite3"), 1 << 20).is_none());
    }
}
