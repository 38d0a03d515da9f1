//! Whether the database serves now. An instance answers 503 with `Retry-After`, never 500,
//! while its database is away: before its startup migrations could run (`serve` on a database
//! that is down) and during an outage. The first failure of an outage is logged and starts a
//! watcher that probes the database until it answers, logged once too, so that an outage costs
//! two log lines, not one per request; meanwhile requests are answered at once instead of each
//! waiting `limits.pool_wait_ms` for a connection that cannot be opened.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{Store, StoreError};

/// How often an outage is probed for its end, and how long a probe's verdict stands for the
/// pool timeouts that ask for one (under saturation, a probe per timed-out request would add
/// connections to a database that has none to spare).
const PROBE_EVERY: Duration = Duration::from_secs(1);

/// The state an instance's requests consult before touching the database.
#[derive(Debug)]
pub struct Availability {
    /// The startup migrations are done (false only while `serve` retries them).
    ready: AtomicBool,
    /// An outage is under way: set by its first failure, cleared by the watcher.
    down: AtomicBool,
    /// The last probe asked for by a pool timeout: when, and whether it failed.
    last_probe: Mutex<Option<(Instant, bool)>>,
}

impl Default for Availability {
    fn default() -> Self {
        Availability {
            ready: AtomicBool::new(true),
            down: AtomicBool::new(false),
            last_probe: Mutex::new(None),
        }
    }
}

impl Availability {
    /// Whether requests may reach the database: migrated, and no outage under way.
    pub fn serves(&self) -> bool {
        self.ready.load(Ordering::Acquire) && !self.down.load(Ordering::Acquire)
    }

    /// Mark the startup migrations pending (`false`) or done (`true`).
    pub fn set_ready(&self, ready: bool) {
        self.ready.store(ready, Ordering::Release);
    }

    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }
}

impl Store {
    /// Record a failure of an outage (`StoreError::Unavailable`). The first one logs it and
    /// starts the watcher; the next ones, until it ends, change nothing.
    pub fn note_outage(&self, cause: &str) {
        if self.availability.down.swap(true, Ordering::AcqRel) {
            return;
        }
        tracing::warn!(%cause, "the database is unavailable; answering 503 until it is back");
        let store = self.clone();
        tokio::spawn(async move { store.watch_outage().await });
    }

    /// Probe until the database answers, then serve again. The first probe is at once: a lone
    /// reset connection should not cost a second of 503s.
    async fn watch_outage(self) {
        let began = Instant::now();
        while unreachable(self.migrations().probe().await) {
            tokio::time::sleep(PROBE_EVERY).await;
        }
        self.availability.down.store(false, Ordering::Release);
        tracing::info!(
            after_ms = began.elapsed().as_millis() as u64,
            "the database is back; serving again"
        );
    }

    /// Whether a pool timeout (`StoreError::Busy`) was the database's absence rather than
    /// saturation: a probe outside the pools says, at most once per second.
    pub async fn unreachable(&self) -> bool {
        if let Ok(last) = self.availability.last_probe.lock()
            && let Some((at, verdict)) = *last
            && at.elapsed() < PROBE_EVERY
        {
            return verdict;
        }
        let verdict = unreachable(self.migrations().probe().await);
        if let Ok(mut last) = self.availability.last_probe.lock() {
            *last = Some((Instant::now(), verdict));
        }
        verdict
    }
}

/// A probe's outcome means the database cannot be reached (any other failure, such as a
/// refused password, is not an outage that passes by itself).
fn unreachable(probe: Result<(), StoreError>) -> bool {
    matches!(probe, Err(StoreError::Unavailable(_)))
}
