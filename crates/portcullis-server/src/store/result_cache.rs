//! The answers of resource reads (a detail's row, a page of a list, a count), kept while the
//! database is unchanged, so that reading the same thing again costs a map lookup instead of a
//! query. What "unchanged" means is the database's to say ([`Versioned`]): on SQLite the
//! wal-index header every commit rewrites (`sqlite/result_cache.rs`), on PostgreSQL a counter
//! moved by this instance's writes and by the database's announcements of everyone's
//! (`postgres/data_version.rs`).
//!
//! An answer is kept with the version seen before its read ran, only if the version is the same
//! after it ran, and served only while the version is still the same: a read that starts after
//! a change is known never sees what the change replaced. Memory is bounded by a byte budget
//! (`[limits] read_cache_kb`): past it the cache starts over, as it does on every change.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use crate::store::StoreError;
use crate::store::cells::Cell;

/// Answers with more rows than this are not kept (a page is at most a few hundred rows).
const MOST_ROWS: usize = 1_000;

/// What a read returns.
#[derive(Clone, Debug)]
pub(crate) enum Answer {
    Rows(Vec<Vec<Cell>>),
    Count(i64),
}

impl Answer {
    /// The rows of a read of rows.
    pub(crate) fn into_rows(self) -> Result<Vec<Vec<Cell>>, StoreError> {
        match self {
            Answer::Rows(rows) => Ok(rows),
            Answer::Count(_) => Err(mixed_up()),
        }
    }

    /// The number of a count.
    pub(crate) fn into_count(self) -> Result<i64, StoreError> {
        match self {
            Answer::Count(n) => Ok(n),
            Answer::Rows(_) => Err(mixed_up()),
        }
    }
}

/// A read answered with the other kind of answer: cannot happen (each read's kind fixes it).
fn mixed_up() -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(
        "a read returned the wrong kind of answer".into(),
    ))
}

/// Where the database's version comes from.
pub(crate) trait Versioned: Send + Sync {
    type Version: Copy + Eq + Send + Sync;

    /// The version now; `None` when it cannot be known (then nothing is served or kept).
    fn version(&self) -> Option<Self::Version>;
}

/// Kept answers, valid for one version of the database.
pub(crate) struct ResultCache<S: Versioned> {
    source: S,
    budget: usize,
    kept: Mutex<Kept<S::Version>>,
}

struct Kept<V> {
    version: Option<V>,
    bytes: usize,
    answers: HashMap<String, Answer>,
}

impl<S: Versioned> std::fmt::Debug for ResultCache<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultCache")
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl<S: Versioned> ResultCache<S> {
    /// A cache of at most `budget` bytes of answers; `None` with a zero budget.
    pub(crate) fn new(source: S, budget: usize) -> Option<ResultCache<S>> {
        (budget > 0).then(|| ResultCache {
            source,
            budget,
            kept: Mutex::new(Kept {
                version: None,
                bytes: 0,
                answers: HashMap::new(),
            }),
        })
    }

    /// The answer for `key`: kept, or `run` and kept if nothing changed while it ran.
    pub(crate) async fn read(
        &self,
        key: String,
        run: impl Future<Output = Result<Answer, StoreError>>,
    ) -> Result<Answer, StoreError> {
        // Noted before the read runs: a change made meanwhile keeps its answer out.
        let seen = match self.get(&key) {
            Ok(kept) => return Ok(kept),
            Err(seen) => seen,
        };
        let answer = run.await?;
        if let Some(seen) = seen {
            self.put(key, seen, &answer);
        }
        Ok(answer)
    }

    /// The kept answer for `key` if the database is as it was when the answer was read; else
    /// the version to hand to [`ResultCache::put`] once the read has run.
    pub(crate) fn get(&self, key: &str) -> Result<Answer, Option<S::Version>> {
        let version = self.source.version().ok_or(None)?;
        let mut kept = self.kept_lock();
        if kept.version != Some(version) {
            kept.start_over(version);
            return Err(Some(version));
        }
        kept.answers.get(key).cloned().ok_or(Some(version))
    }

    /// Keep `answer`, read after the database was at `seen`, unless it changed since.
    pub(crate) fn put(&self, key: String, seen: S::Version, answer: &Answer) {
        let size = key.len() + answer_bytes(answer);
        if matches!(answer, Answer::Rows(rows) if rows.len() > MOST_ROWS) || size > self.budget / 4
        {
            return;
        }
        let mut kept = self.kept_lock();
        // After the read: a change while it ran leaves its answer out.
        if self.source.version() != Some(seen) {
            return;
        }
        if kept.version != Some(seen) || kept.bytes + size > self.budget {
            kept.start_over(seen);
        }
        kept.bytes += size;
        kept.answers.insert(key, answer.clone());
    }

    fn kept_lock(&self) -> std::sync::MutexGuard<'_, Kept<S::Version>> {
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<V> Kept<V> {
    fn start_over(&mut self, version: V) {
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
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A version moved by hand.
    struct Counter(AtomicU64);

    impl Versioned for Counter {
        type Version = u64;
        fn version(&self) -> Option<u64> {
            Some(self.0.load(Ordering::SeqCst))
        }
    }

    pub(crate) fn rows(text: &str) -> Answer {
        Answer::Rows(vec![vec![Cell::Text(text.into())]])
    }

    #[test]
    fn the_budget_bounds_what_is_kept() {
        let budget = 4096;
        let cache = ResultCache::new(Counter(AtomicU64::new(0)), budget).expect("a cache");
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
    fn a_change_during_a_read_keeps_its_answer_out() {
        let cache = ResultCache::new(Counter(AtomicU64::new(0)), 1 << 20).expect("a cache");
        let seen = cache
            .get("k")
            .expect_err("nothing kept")
            .expect("a version");
        cache.source.0.fetch_add(1, Ordering::SeqCst);
        cache.put("k".into(), seen, &rows("old"));
        assert!(cache.get("k").is_err());
        let seen = cache
            .get("k")
            .expect_err("still nothing")
            .expect("a version");
        cache.put("k".into(), seen, &rows("new"));
        assert!(
            matches!(cache.get("k"), Ok(Answer::Rows(r)) if r[0][0] == Cell::Text("new".into()))
        );
    }

    #[test]
    fn no_budget_keeps_nothing() {
        assert!(ResultCache::new(Counter(AtomicU64::new(0)), 0).is_none());
    }
}
