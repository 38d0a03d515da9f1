//! Throttle counters, in memory per instance, behind [`Counters`]. A counter's key is a
//! fixed-size digest of its scope and identity ([`CounterKey`]), never the identity itself: a
//! username or a forwarded address is whatever a client sends, and a map holding it would let
//! requests choose how much memory it keeps. The map is bounded twice: in keys
//! (`throttle.max_keys`) and in bytes (`throttle.max_bytes`, an estimate counting each key's
//! entry and every request time kept, 8 bytes each). Expired logs are swept as it grows; at
//! either bound the least recently used keys are dropped until it is half full, so a key's
//! history is forgotten early only under that pressure. Counters shared between instances are
//! in `shared.rs`; these stay this instance's own, and count when the shared ones cannot.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::Rate;

/// A counter's key: the first 16 bytes of SHA-256 over its kind and its identity, with the
/// kind's length first so that no two (kind, identity) pairs share an input. Its size does not
/// depend on the identity, and finding two identities with one key takes about 2^64 hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CounterKey([u8; 16]);

impl CounterKey {
    pub(crate) fn new(kind: &str, ident: &str) -> CounterKey {
        let digest = Sha256::new()
            .chain_update((kind.len() as u64).to_le_bytes())
            .chain_update(kind.as_bytes())
            .chain_update(ident.as_bytes())
            .finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        CounterKey(key)
    }

    /// The digest in hex: the key's name in a shared cache (32 characters, whatever the identity).
    pub(crate) fn hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The key of DRF's `throttle_<scope>_<ident>` cache entry.
    pub(crate) fn throttle(scope: &str, ident: &str) -> CounterKey {
        CounterKey::new(&format!("throttle_{scope}"), ident)
    }

    /// The key counting an account's failed logins.
    pub(crate) fn login_failures(username: &str) -> CounterKey {
        CounterKey::new("login_failures", username)
    }
}

/// Where request histories are kept.
pub(crate) trait Counters: Send + Sync {
    /// Record a request under `key` if the rate allows it; otherwise the seconds to wait
    /// (DRF's `wait()`, not yet rounded).
    fn hit(&self, key: &CounterKey, rate: Rate, now: Instant) -> Result<(), f64>;
    /// Count one event under `key` without refusing it (failed logins).
    fn record(&self, key: &CounterKey, rate: Rate, now: Instant);
    /// Would one more event under `key` exceed the rate? The wait if so.
    fn exceeded(&self, key: &CounterKey, rate: Rate, now: Instant) -> Option<f64>;
    /// An estimate of the memory the counters hold, in bytes.
    fn memory_bytes(&self) -> usize;
}

/// Bytes of one request time kept in a log.
pub(crate) const TIME_BYTES: usize = std::mem::size_of::<Stamp>();
/// The estimated bytes of one key besides its request times: the map's slot (with a hash
/// table's slack, about half again) and the log's own fields.
pub(crate) const ENTRY_BYTES: usize = 2 * std::mem::size_of::<(CounterKey, Log)>();
/// The smallest `throttle.max_bytes` per request of the largest rate: one key's full log may
/// take at most this share of the bound (1/16), so that evicting others makes room for it.
pub(crate) const BYTES_PER_RATE_REQUEST: usize = 16 * TIME_BYTES;

/// In-memory counters: a map of request logs, swept of expired keys as it grows and bounded in
/// keys and in bytes.
pub(crate) struct MemoryCounters {
    max_keys: usize,
    max_bytes: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    logs: HashMap<CounterKey, Log>,
    inserts_since_sweep: usize,
    /// The estimate of [`MemoryCounters::memory_bytes`], kept up to date on every change.
    bytes: usize,
}

struct Log {
    /// Newest first, as DRF keeps them.
    times: VecDeque<Stamp>,
    duration: Duration,
}

/// A request time: nanoseconds since the counters' clock started. Half the size of an
/// `Instant`, and a key that lets a client make a request every few microseconds (a rate as high
/// as a benchmark needs) keeps a request time per request for the whole period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Stamp(u64);

impl Stamp {
    fn of(at: Instant) -> Stamp {
        static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        let start = *START.get_or_init(Instant::now);
        Stamp(u64::try_from(at.saturating_duration_since(start).as_nanos()).unwrap_or(u64::MAX))
    }

    /// How long before `now` this time was (zero if not before).
    fn age(self, now: Instant) -> Duration {
        Duration::from_nanos(Stamp::of(now).0.saturating_sub(self.0))
    }
}

impl Log {
    fn prune(&mut self, now: Instant) {
        while self
            .times
            .back()
            .is_some_and(|t| t.age(now) >= self.duration)
        {
            self.times.pop_back();
        }
    }

    /// DRF's `wait()` for a full log.
    fn wait(&self, rate: Rate, now: Instant) -> f64 {
        let remaining = match self.times.back() {
            Some(oldest) => rate.duration.saturating_sub(oldest.age(now)).as_secs_f64(),
            None => rate.duration.as_secs_f64(),
        };
        let available = rate.num_requests as f64 - self.times.len() as f64 + 1.0;
        if available <= 0.0 {
            remaining
        } else {
            remaining / available
        }
    }

    /// This log's share of the byte estimate.
    fn bytes(&self) -> usize {
        ENTRY_BYTES + self.times.capacity() * TIME_BYTES
    }
}

impl MemoryCounters {
    /// Counters holding at most `max_keys` keys and about `max_bytes` bytes.
    pub(crate) fn new(max_keys: usize, max_bytes: usize) -> MemoryCounters {
        MemoryCounters {
            max_keys: max_keys.max(1),
            max_bytes: max_bytes.max(ENTRY_BYTES),
            inner: Mutex::new(Inner {
                logs: HashMap::new(),
                inserts_since_sweep: 0,
                bytes: 0,
            }),
        }
    }

    fn with_log<T>(
        &self,
        key: &CounterKey,
        rate: Rate,
        now: Instant,
        f: impl FnOnce(&mut Log) -> T,
    ) -> T {
        // A poisoned lock only means another request panicked mid-update of a counter; the
        // counters themselves are still usable.
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let inner = &mut *inner;
        if !inner.logs.contains_key(key) {
            inner.inserts_since_sweep += 1;
            if inner.inserts_since_sweep > self.max_keys / 4 || inner.logs.len() >= self.max_keys {
                inner.bytes = sweep(&mut inner.logs, now, self.max_keys, self.max_bytes);
                inner.inserts_since_sweep = 0;
            }
        }
        let (log, before) = match inner.logs.entry(*key) {
            Entry::Occupied(entry) => {
                let log = entry.into_mut();
                let before = log.bytes();
                (log, before)
            }
            Entry::Vacant(entry) => {
                let log = entry.insert(Log {
                    times: VecDeque::new(),
                    duration: rate.duration,
                });
                (log, 0)
            }
        };
        log.duration = rate.duration;
        log.prune(now);
        let out = f(log);
        inner.bytes = inner.bytes - before + log.bytes();
        if inner.bytes > self.max_bytes {
            // This key is the most recently used, so the sweep drops it last.
            inner.bytes = sweep(&mut inner.logs, now, self.max_keys, self.max_bytes);
        }
        out
    }

    /// How many keys are held (for tests of the bound).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner.lock().map(|i| i.logs.len()).unwrap_or(0)
    }
}

/// Drop expired logs; if the map is still at a bound, drop the least recently used keys until
/// it holds half. Returns the new byte estimate.
fn sweep(
    logs: &mut HashMap<CounterKey, Log>,
    now: Instant,
    max_keys: usize,
    max_bytes: usize,
) -> usize {
    logs.retain(|_, log| {
        log.prune(now);
        // A log that once held a burst keeps its capacity; give back what is clearly unused.
        if log.times.capacity() > 2 * log.times.len() + 8 {
            log.times.shrink_to_fit();
        }
        !log.times.is_empty()
    });
    let mut bytes: usize = logs.values().map(Log::bytes).sum();
    if logs.len() >= max_keys || bytes > max_bytes {
        let mut newest: Vec<(Stamp, CounterKey)> = logs
            .iter()
            .filter_map(|(k, l)| l.times.front().map(|t| (*t, *k)))
            .collect();
        newest.sort();
        for (_, key) in newest {
            if logs.len() <= max_keys / 2 && bytes <= max_bytes / 2 {
                break;
            }
            if let Some(log) = logs.remove(&key) {
                bytes -= log.bytes();
            }
        }
    }
    if logs.capacity() > 2 * logs.len() + 64 {
        logs.shrink_to_fit();
    }
    bytes
}

impl Counters for MemoryCounters {
    fn hit(&self, key: &CounterKey, rate: Rate, now: Instant) -> Result<(), f64> {
        self.with_log(key, rate, now, |log| {
            if log.times.len() >= rate.num_requests {
                return Err(log.wait(rate, now));
            }
            log.times.push_front(Stamp::of(now));
            Ok(())
        })
    }

    fn record(&self, key: &CounterKey, rate: Rate, now: Instant) {
        self.with_log(key, rate, now, |log| {
            log.times.push_front(Stamp::of(now));
            log.times.truncate(rate.num_requests.max(1));
        });
    }

    fn exceeded(&self, key: &CounterKey, rate: Rate, now: Instant) -> Option<f64> {
        self.with_log(key, rate, now, |log| {
            (log.times.len() >= rate.num_requests).then(|| log.wait(rate, now))
        })
    }

    fn memory_bytes(&self) -> usize {
        self.inner.lock().map(|i| i.bytes).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ident: &str) -> CounterKey {
        CounterKey::throttle("test", ident)
    }

    #[test]
    fn keys_have_one_size_and_do_not_collide_across_kinds() {
        assert_eq!(std::mem::size_of::<CounterKey>(), 16);
        let long = "x".repeat(1_000_000);
        assert_ne!(
            CounterKey::login_failures(&long),
            CounterKey::login_failures("x")
        );
        assert_eq!(
            CounterKey::login_failures("x"),
            CounterKey::login_failures("x")
        );
        // `throttle_a_b` + `c` and `throttle_a` + `b_c` were one string key; not one digest.
        assert_ne!(
            CounterKey::throttle("a_b", "c"),
            CounterKey::throttle("a", "b_c")
        );
        assert_ne!(
            CounterKey::throttle("anon", "x"),
            CounterKey::throttle("user", "x")
        );
    }

    #[test]
    fn bytes_stay_under_the_bound_with_many_keys_and_long_logs() {
        let max_bytes = 1 << 20;
        let counters = MemoryCounters::new(1_000_000, max_bytes);
        let busy = Rate {
            num_requests: max_bytes / BYTES_PER_RATE_REQUEST,
            duration: Duration::from_secs(60),
        };
        let now = Instant::now();
        // One key at its full log, then ever more distinct long identities, each with a few
        // requests: the estimate never passes the bound.
        for _ in 0..busy.num_requests {
            assert!(counters.hit(&key("busy"), busy, now).is_ok());
        }
        let full_log = counters.memory_bytes();
        assert!(full_log >= busy.num_requests * TIME_BYTES, "{full_log}");
        let padding = "u".repeat(10_000);
        for i in 0..20_000 {
            let ident = format!("{padding}{i}");
            for _ in 0..3 {
                let _ = counters.hit(&key(&ident), busy, now);
            }
            assert!(
                counters.memory_bytes() <= max_bytes,
                "{i}: {}",
                counters.memory_bytes()
            );
        }
        // The bound was reached and old keys were dropped, not the table grown.
        assert!(counters.len() < 20_000, "{}", counters.len());
        let inner = counters.inner.lock().expect("lock");
        let recount: usize = inner.logs.values().map(Log::bytes).sum();
        assert_eq!(
            recount, inner.bytes,
            "the running estimate matches a recount"
        );
    }

    #[test]
    fn record_keeps_at_most_one_log_of_the_rate() {
        let counters = MemoryCounters::new(100, 1 << 20);
        let rate = Rate {
            num_requests: 3,
            duration: Duration::from_secs(3600),
        };
        let now = Instant::now();
        for _ in 0..1000 {
            counters.record(&key("victim"), rate, now);
        }
        assert!(counters.exceeded(&key("victim"), rate, now).is_some());
        assert!(counters.memory_bytes() <= ENTRY_BYTES + 8 * TIME_BYTES);
    }

    #[test]
    fn sliding_window_and_wait() {
        let counters = MemoryCounters::new(100, 1 << 20);
        let rate = Rate {
            num_requests: 2,
            duration: Duration::from_secs(60),
        };
        let t0 = Instant::now();
        assert!(counters.hit(&key("k"), rate, t0).is_ok());
        assert!(
            counters
                .hit(&key("k"), rate, t0 + Duration::from_secs(10))
                .is_ok()
        );
        let wait = counters
            .hit(&key("k"), rate, t0 + Duration::from_secs(20))
            .expect_err("third refused");
        assert!((wait - 40.0).abs() < 0.01, "{wait}");
        // The first request leaves the window after 60 s.
        assert!(
            counters
                .hit(&key("k"), rate, t0 + Duration::from_secs(61))
                .is_ok()
        );
        assert!(counters.hit(&key("other"), rate, t0).is_ok());
    }

    #[test]
    fn memory_is_bounded() {
        let counters = MemoryCounters::new(10, 1 << 20);
        let rate = Rate {
            num_requests: 5,
            duration: Duration::from_secs(60),
        };
        let now = Instant::now();
        for i in 0..1000 {
            let _ = counters.hit(&key(&format!("k{i}")), rate, now);
        }
        assert!(counters.len() <= 10, "{}", counters.len());
    }
}
