//! Read connections for the queries a client shapes (resource rows and lists with their
//! filters and search terms), each query with a time limit, run without a thread hop.
//!
//! A read runs on the calling task's own thread: a page of rows from SQLite's page cache takes
//! microseconds, less than handing it to another thread and waking the task again (sqlx's
//! SQLite driver pays that hop for every statement and every row, and under load those
//! wake-ups were most of the profile). A read must not hold the async runtime's thread for
//! long, though: it first runs under a short inline budget, and one that outgrows it stops
//! and runs again from the start on a blocking thread, under what is left of its time limit.
//!
//! Each connection carries a deadline that SQLite's progress handler checks every few
//! virtual-machine steps: past it, the statement is interrupted (`SQLITE_INTERRUPT`, mapped to
//! `StoreError::Interrupted`). The check must be frequent: one `LIKE` over a large text is a
//! single step of tens of milliseconds, so a query of a few hundred steps can run for seconds.
//! It therefore reads a coarse clock (an atomic a thread advances every few milliseconds)
//! instead of asking the system for the time at every check. These connections are apart from
//! the pool that authenticates requests, so resource queries cannot starve token checks.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::read_job::{Answer, CountCache, ReadJob};
use crate::store::{QueryLimits, StoreError};

/// Virtual-machine steps between two looks at the deadline: about one row of a scan.
const STEPS_PER_CHECK: i32 = 8;
/// How often the coarse clock advances.
const TICK: Duration = Duration::from_millis(5);
/// How long a read may hold the runtime's thread before it moves to a blocking thread: far
/// above an indexed page (well under a millisecond), far below a scan of a large table.
const INLINE_BUDGET_MS: u64 = 10;
/// No deadline set.
const NONE: u64 = u64::MAX;
/// Prepared statements kept per connection (a resource's list shapes, details, counts).
const STATEMENTS_KEPT: usize = 256;

struct Slot {
    conn: Connection,
    /// The coarse clock's reading after which the running statement stops.
    deadline: Arc<AtomicU64>,
    counts: CountCache,
}

/// A fixed set of read-only connections, each with its deadline.
pub(super) struct LimitedReaders {
    idle: Mutex<Vec<Slot>>,
    permits: Arc<Semaphore>,
    limits: QueryLimits,
}

impl std::fmt::Debug for LimitedReaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LimitedReaders")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl LimitedReaders {
    /// Open `count` read-only connections to the database file at `path` (the writer has
    /// created it and set its WAL journal already).
    pub(super) fn open(
        path: &std::path::Path,
        count: usize,
        limits: QueryLimits,
    ) -> Result<LimitedReaders, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut slots = Vec::with_capacity(count);
        for _ in 0..count {
            let conn = Connection::open_with_flags(path, flags).map_err(store_error)?;
            conn.busy_timeout(Duration::from_secs(10))
                .map_err(store_error)?;
            conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
            // Plans that do not depend on bound values. Without it a bound `LIMIT ?` (every
            // page) marks the kept statement stale at each bind and SQLite parses and plans
            // it again on every step: the statement cache kept nothing (a profile showed the
            // parser and planner on every request).
            conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
                .map_err(store_error)?;
            let deadline = Arc::new(AtomicU64::new(NONE));
            let watched = Arc::clone(&deadline);
            // Returning true interrupts the statement. Runs on whichever thread runs the read.
            conn.progress_handler(
                STEPS_PER_CHECK,
                Some(move || {
                    let limit = watched.load(Ordering::Relaxed);
                    limit != NONE && coarse_millis() > limit
                }),
            )
            .map_err(store_error)?;
            slots.push(Slot {
                conn,
                deadline,
                counts: CountCache::default(),
            });
        }
        Ok(LimitedReaders {
            idle: Mutex::new(slots),
            permits: Arc::new(Semaphore::new(count)),
            limits,
        })
    }

    /// Run `job` within the query time limit; `Busy` when no connection is free within the
    /// pool wait.
    pub(super) async fn run(self: &Arc<Self>, job: ReadJob) -> Result<Answer, StoreError> {
        let permit = tokio::time::timeout(
            self.limits.pool_wait,
            Arc::clone(&self.permits).acquire_owned(),
        )
        .await
        .map_err(|_| StoreError::Busy)?
        .map_err(|_| StoreError::Busy)?;
        let mut slot = self.take().ok_or(StoreError::Busy)?;
        let timeout = u64::try_from(self.limits.query_timeout.as_millis()).unwrap_or(0);
        let started = coarse_millis();
        let limit = started.saturating_add(timeout);
        slot.deadline.store(
            limit.min(started.saturating_add(INLINE_BUDGET_MS)),
            Ordering::Relaxed,
        );
        match job.run(&slot.conn, &mut slot.counts) {
            Err(e) if is_interrupt(&e) && coarse_millis() <= limit => {
                slot.deadline.store(limit, Ordering::Relaxed);
                self.run_blocking(job, slot, permit).await
            }
            done => {
                self.put_back(slot);
                done.map_err(store_error)
            }
        }
    }

    /// Run `job` again on a blocking thread. If the request is cancelled meanwhile, its
    /// statement stops at once instead of holding the connection until its deadline.
    async fn run_blocking(
        self: &Arc<Self>,
        job: ReadJob,
        mut slot: Slot,
        permit: OwnedSemaphorePermit,
    ) -> Result<Answer, StoreError> {
        let returned = Arc::new(Mutex::new(false));
        let stop = StopIfCancelled {
            returned: Arc::clone(&returned),
            deadline: Arc::clone(&slot.deadline),
        };
        let readers = Arc::clone(self);
        let task = tokio::task::spawn_blocking(move || {
            let done = job.run(&slot.conn, &mut slot.counts);
            // Under the lock, so that a cancelled request cannot stop the next user's statement.
            let mut flag = returned.lock().unwrap_or_else(|p| p.into_inner());
            readers.put_back(slot);
            *flag = true;
            drop(permit);
            done
        });
        let done = task
            .await
            .map_err(|e| StoreError::Database(sqlx::Error::Protocol(e.to_string())));
        drop(stop);
        done?.map_err(store_error)
    }

    /// Connections free now (their permits unclaimed).
    pub(super) fn free(&self) -> usize {
        self.permits.available_permits()
    }

    fn take(&self) -> Option<Slot> {
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop()
    }

    fn put_back(&self, slot: Slot) {
        slot.deadline.store(NONE, Ordering::Relaxed);
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(slot);
    }
}

/// Stops a blocking read whose request went away, unless the read is over already.
struct StopIfCancelled {
    returned: Arc<Mutex<bool>>,
    deadline: Arc<AtomicU64>,
}

impl Drop for StopIfCancelled {
    fn drop(&mut self) {
        let returned = self.returned.lock().unwrap_or_else(|p| p.into_inner());
        if !*returned {
            self.deadline.store(0, Ordering::Relaxed);
        }
    }
}

fn is_interrupt(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::OperationInterrupted)
}

fn store_error(e: rusqlite::Error) -> StoreError {
    super::errors::from_rusqlite(&e)
}

/// Milliseconds since the clock started, within `TICK`; two relaxed loads for a reader.
fn coarse_millis() -> u64 {
    static NOW: AtomicU64 = AtomicU64::new(0);
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let start = Instant::now();
        let spawned = std::thread::Builder::new()
            .name("portcullis-clock".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(TICK);
                    let now = u64::try_from(start.elapsed().as_millis()).unwrap_or(NONE - 1);
                    NOW.store(now, Ordering::Relaxed);
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the query clock: queries are not time-limited");
        }
    });
    NOW.load(Ordering::Relaxed)
}
