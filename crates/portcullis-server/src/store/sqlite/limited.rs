//! Read connections with a time limit per query, for the queries a client shapes (resource
//! lists with their filters and search terms). A `?search=` over a large text column can scan
//! for minutes; without a limit a few such requests hold every reader and everyone else waits.
//!
//! Each connection carries a deadline that SQLite's progress handler checks every few
//! virtual-machine steps: past it, the statement is interrupted (`SQLITE_INTERRUPT`, mapped to
//! `StoreError::Interrupted`). The check must be frequent: one `LIKE` over a large text is a
//! single step of tens of milliseconds, so a query of a few hundred steps can run for seconds.
//! It therefore reads a coarse clock (an atomic a thread advances every few milliseconds)
//! instead of asking the system for the time at every check. The deadline is an atomic the handler reads on the connection's
//! own thread, so setting it costs no round trip to that thread; that is why these connections
//! are kept here rather than in an sqlx pool (whose connections have no place for it). They are
//! apart from the pool that authenticates requests, so resource queries cannot starve token
//! checks.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::store::{QueryLimits, StoreError};

/// Virtual-machine steps between two looks at the deadline: about one row of a scan.
const STEPS_PER_CHECK: i32 = 8;
/// How often the coarse clock advances.
const TICK: Duration = Duration::from_millis(5);
/// No deadline set.
const NONE: u64 = u64::MAX;

struct Slot {
    conn: SqliteConnection,
    /// The coarse clock's reading after which the running statement stops.
    deadline: Arc<AtomicU64>,
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
    /// Open `count` read-only connections with `options`.
    pub(super) async fn open(
        options: &SqliteConnectOptions,
        count: usize,
        limits: QueryLimits,
    ) -> Result<LimitedReaders, StoreError> {
        let mut slots = Vec::with_capacity(count);
        for _ in 0..count {
            let mut conn = options.clone().read_only(true).connect().await?;
            let deadline = Arc::new(AtomicU64::new(NONE));
            let watched = Arc::clone(&deadline);
            // Returning false interrupts the statement. Runs on the connection's thread.
            conn.lock_handle()
                .await?
                .set_progress_handler(STEPS_PER_CHECK, move || {
                    let limit = watched.load(Ordering::Relaxed);
                    limit == NONE || coarse_millis() <= limit
                });
            slots.push(Slot { conn, deadline });
        }
        Ok(LimitedReaders {
            idle: Mutex::new(slots),
            permits: Arc::new(Semaphore::new(count)),
            limits,
        })
    }

    /// A connection whose next statements must finish within the query timeout each; `Busy`
    /// when none is free within the pool wait.
    pub(super) async fn acquire(&self) -> Result<Reader<'_>, StoreError> {
        let permit = tokio::time::timeout(
            self.limits.pool_wait,
            Arc::clone(&self.permits).acquire_owned(),
        )
        .await
        .map_err(|_| StoreError::Busy)?
        .map_err(|_| StoreError::Busy)?;
        let slot = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop()
            .ok_or(StoreError::Busy)?;
        Ok(Reader {
            readers: self,
            slot: Some(slot),
            _permit: permit,
        })
    }
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

/// A borrowed connection; back to the set when dropped (also when the request is cancelled
/// mid-query: the connection's thread finishes or interrupts the statement first).
pub(super) struct Reader<'a> {
    readers: &'a LimitedReaders,
    slot: Option<Slot>,
    _permit: OwnedSemaphorePermit,
}

impl Reader<'_> {
    /// The connection, with a fresh deadline for the statement about to run.
    pub(super) fn start(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        let slot = self.slot.as_mut().ok_or(StoreError::Busy)?;
        let timeout = u64::try_from(self.readers.limits.query_timeout.as_millis()).unwrap_or(0);
        let deadline = coarse_millis().saturating_add(timeout);
        slot.deadline.store(deadline, Ordering::Relaxed);
        Ok(&mut slot.conn)
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            // A statement cancelled with its request stops at once instead of holding the
            // connection's thread until its own deadline.
            slot.deadline.store(0, Ordering::Relaxed);
            self.readers
                .idle
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(slot);
        }
    }
}
