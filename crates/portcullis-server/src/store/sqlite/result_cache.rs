//! The answers of resource reads (a detail's row, a page of a list, a count), kept while the
//! database is unchanged, so that reading the same thing again costs a map lookup instead of a
//! read transaction. A read transaction's shared-memory locks (`fcntl` on the `-shm` file), its
//! statement steps and its unlock were most of what a detail GET spent in SQLite.
//!
//! "Unchanged" is SQLite's own notion: every commit to a WAL database, by any connection of any
//! process, rewrites the wal-index header at the start of the `-shm` file (its change counter,
//! last frame and salts; SQLite's documented WAL file format) before the commit returns. A read
//! of those 48 bytes takes no lock. An answer is kept with the header seen before its read ran,
//! only if the header is the same after it ran, and served only while the header is still the
//! same: a read that starts after any commit has returned never sees what the commit replaced —
//! this process's writes, the CLI's, or another tool's alike.
//!
//! Memory is bounded by a byte budget (`[limits] read_cache_kb`): past it the cache starts
//! over, as it does on every change.

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Mutex;

use super::read_job::Answer;
use crate::store::cells::Cell;

/// The wal-index header's first copy: what any commit rewrites.
const HEADER: usize = 48;
/// Answers with more rows than this are not kept (a page is at most a few hundred rows).
const MOST_ROWS: usize = 1_000;

/// The database's state as of one commit.
pub(super) type Version = [u8; HEADER];

/// Kept answers, valid for one version of the database.
pub(super) struct ResultCache {
    shm: File,
    budget: usize,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    version: Option<Version>,
    bytes: usize,
    answers: HashMap<String, Answer>,
}

impl std::fmt::Debug for ResultCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultCache")
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl ResultCache {
    /// A cache of at most `budget` bytes of answers for the WAL database at `path`, whose
    /// connections are open (so its `-shm` file exists); `None` with a zero budget, or when the
    /// `-shm` file cannot be read (then nothing is kept, and every read goes to SQLite).
    pub(super) fn open(path: &Path, budget: usize) -> Option<ResultCache> {
        if budget == 0 {
            return None;
        }
        let mut shm = path.as_os_str().to_owned();
        shm.push("-shm");
        let shm = match File::open(&shm) {
            Ok(file) => file,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the database's -shm file; resource reads are not cached");
                return None;
            }
        };
        let cache = ResultCache {
            shm,
            budget,
            kept: Mutex::new(Kept::default()),
        };
        cache.version()?;
        Some(cache)
    }

    /// The database's current version; `None` if it cannot be read (then nothing is served or
    /// kept).
    fn version(&self) -> Option<Version> {
        let mut header = [0u8; HEADER];
        self.shm.read_exact_at(&mut header, 0).ok()?;
        Some(header)
    }

    /// The kept answer for `key` if the database is as it was when the answer was read; else
    /// the version to hand to [`ResultCache::put`] once the read has run.
    pub(super) fn get(&self, key: &str) -> Result<Answer, Option<Version>> {
        let version = self.version().ok_or(None)?;
        let mut kept = self.kept_lock();
        if kept.version != Some(version) {
            kept.start_over(version);
            return Err(Some(version));
        }
        kept.answers.get(key).cloned().ok_or(Some(version))
    }

    /// Keep `answer`, read after the database was at `seen`, unless it changed since.
    pub(super) fn put(&self, key: String, seen: Version, answer: &Answer) {
        let size = key.len() + answer_bytes(answer);
        if matches!(answer, Answer::Rows(rows) if rows.len() > MOST_ROWS) || size > self.budget / 4
        {
            return;
        }
        let mut kept = self.kept_lock();
        // After the read: a commit while it ran leaves its answer out.
        if self.version() != Some(seen) {
            return;
        }
        if kept.version != Some(seen) || kept.bytes + size > self.budget {
            kept.start_over(seen);
        }
        kept.bytes += size;
        kept.answers.insert(key, answer.clone());
    }

    fn kept_lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Kept {
    fn start_over(&mut self, version: Version) {
        self.version = Some(version);
        self.bytes = 0;
        self.answers.clear();
    }
}

/// Roughly what an answer holds in memory.
fn answer_bytes(answer: &Answer) -> usize {
    match answer {
        Answer::Count(_) => 16,
        Answer::Rows(rows) => rows
            .iter()
            .map(|row| {
                24 + row
                    .iter()
                    .map(|cell| match cell {
                        Cell::Text(t) => 32 + t.len(),
                        _ => 32,
                    })
                    .sum::<usize>()
            })
            .sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let cache = ResultCache::open(&path, 1 << 20).expect("a cache");
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
        let cache = ResultCache::open(&path, 1 << 20).expect("a cache");
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
    fn the_budget_bounds_what_is_kept() {
        let (_dir, path, _conn) = database();
        let budget = 4096;
        let cache = ResultCache::open(&path, budget).expect("a cache");
        let big = "x".repeat(budget);
        let seen = cache
            .get("big")
            .expect_err("nothing kept")
            .expect("a version");
        cache.put("big".into(), seen, &rows(&big));
        assert!(
            cache.get("big").is_err(),
            "an answer over a quarter of the budget is not kept"
        );
        for n in 0..1000 {
            cache.put(format!("k{n}"), seen, &rows("small"));
        }
        let kept = cache.kept_lock();
        assert!(kept.bytes <= budget, "{} bytes kept", kept.bytes);
        assert!(kept.answers.len() < 1000);
    }

    #[test]
    fn no_budget_or_no_wal_index_keeps_nothing() {
        let (_dir, path, _conn) = database();
        assert!(ResultCache::open(&path, 0).is_none());
        let elsewhere = tempfile::tempdir().expect("a directory");
        assert!(ResultCache::open(&elsewhere.path().join("missing.sqlite3"), 1 << 20).is_none());
    }
}
