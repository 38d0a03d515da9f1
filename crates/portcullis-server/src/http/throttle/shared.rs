//! Throttle counters shared by several instances through Redis (`throttle.cache_url`), the setup
//! a DRF project has with `django-redis`. Each counter is one Redis list of request times,
//! newest first as DRF keeps them, under `<cache_key_prefix><hex of the counter's digest>`, and
//! each request is one Lua script: prune, decide, record and set the expiry in one atomic step,
//! with Redis' own clock (`TIME`), so instances neither race nor disagree about the time. A list
//! never holds more than the rate's count and expires with the rate's window.
//!
//! When Redis cannot answer within `cache_timeout_ms` (down at start, gone while serving, or
//! slow) the caller counts in this instance's memory instead: throttling never stops and never
//! answers 500. One warning is logged per outage; the connection is retried at most once a
//! second by the request that comes then, and sharing resumes by itself.

use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;

use super::Rate;
use super::counters::CounterKey;

/// How long an instance counts in memory after Redis failed before it tries Redis again.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// DRF's `allow_request` and `wait()` on one list, atomically. ARGV: the window in
/// microseconds, the rate's count, and the operation (`hit` records unless the rate is reached;
/// `record` always records and keeps the newest `count`; `exceeded` only looks). Returns -1 when
/// allowed, else DRF's wait in microseconds (`remaining / available`, as `SimpleRateThrottle`).
const SCRIPT: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local op = ARGV[3]
while true do
  local oldest = redis.call('LINDEX', KEYS[1], -1)
  if not oldest or now - tonumber(oldest) < window then break end
  redis.call('RPOP', KEYS[1])
end
local len = redis.call('LLEN', KEYS[1])
if op == 'record' then
  redis.call('LPUSH', KEYS[1], now)
  redis.call('LTRIM', KEYS[1], 0, math.max(count, 1) - 1)
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  return -1
end
if len >= count then
  local remaining = window
  local oldest = redis.call('LINDEX', KEYS[1], -1)
  if oldest then remaining = math.max(window - (now - tonumber(oldest)), 0) end
  local available = count - len + 1
  if available > 0 then remaining = remaining / available end
  return math.floor(remaining)
end
if op == 'hit' then
  redis.call('LPUSH', KEYS[1], now)
  redis.call('LTRIM', KEYS[1], 0, count - 1)
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
end
return -1
"#;

/// What one script call does to a counter.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Op {
    Hit,
    Record,
    Exceeded,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Hit => "hit",
            Op::Record => "record",
            Op::Exceeded => "exceeded",
        }
    }
}

/// The counters in one Redis, with this instance's view of whether it is reachable.
pub(crate) struct SharedCounters {
    client: redis::Client,
    prefix: String,
    timeout: Duration,
    script: redis::Script,
    /// The open connection (cheap to clone: requests are multiplexed over one socket).
    conn: RwLock<Option<MultiplexedConnection>>,
    /// One request at a time opens a connection.
    connect: tokio::sync::Mutex<()>,
    /// An outage is under way (and was logged).
    down: AtomicBool,
    /// Milliseconds after `epoch` before which no request tries Redis again.
    retry_at_ms: AtomicU64,
    epoch: Instant,
}

impl SharedCounters {
    /// Counters in the Redis at `url` (validated by the configuration check); no connection is
    /// opened until the first request, so a Redis that is down at start delays nothing.
    pub(crate) fn new(
        url: &str,
        prefix: &str,
        timeout: Duration,
    ) -> Result<SharedCounters, redis::RedisError> {
        Ok(SharedCounters {
            client: redis::Client::open(url)?,
            prefix: prefix.to_string(),
            timeout,
            script: redis::Script::new(SCRIPT),
            conn: RwLock::new(None),
            connect: tokio::sync::Mutex::new(()),
            down: AtomicBool::new(false),
            retry_at_ms: AtomicU64::new(0),
            epoch: Instant::now(),
        })
    }

    /// Where the Redis is (`host:port`, never the password), for the logs.
    pub(crate) fn address(&self) -> String {
        self.client.get_connection_info().addr().to_string()
    }

    /// Run `op` on the shared counter: `Some(Ok(()))` allowed, `Some(Err(wait))` refused with
    /// DRF's wait in seconds, `None` when Redis did not answer in time (count in memory then).
    pub(crate) async fn run(
        &self,
        op: Op,
        key: &CounterKey,
        rate: Rate,
    ) -> Option<Result<(), f64>> {
        let mut conn = self.connection().await?;
        let name = format!("{}{}", self.prefix, key.hex());
        let mut call = self.script.key(name);
        call.arg(rate.duration.as_micros() as u64)
            .arg(rate.num_requests as u64)
            .arg(op.name());
        match tokio::time::timeout(self.timeout, call.invoke_async::<i64>(&mut conn)).await {
            Ok(Ok(answer)) => {
                self.recovered();
                Some(if answer < 0 {
                    Ok(())
                } else {
                    Err(answer as f64 / 1e6)
                })
            }
            Ok(Err(error)) => self.failed(&error.to_string()),
            Err(_) => self.failed("no answer within throttle.cache_timeout_ms"),
        }
    }

    /// The open connection, or a new one if none is open and it is time to try; `None` to
    /// count in memory. One request opens it while the others wait (within the timeout), so
    /// the first burst after a start or an outage is counted in Redis too.
    async fn connection(&self) -> Option<MultiplexedConnection> {
        if let Some(conn) = self.current() {
            return Some(conn);
        }
        if self.retrying_later() {
            return None;
        }
        // A request dropped while it waits or connects releases the lock with it.
        let attempt = async {
            let _one_at_a_time = self.connect.lock().await;
            if let Some(conn) = self.current() {
                return Ok(Some(conn));
            }
            if self.retrying_later() {
                // The request before this one just failed to connect.
                return Ok(None);
            }
            let conn = self.client.get_multiplexed_async_connection().await?;
            *self.conn.write().unwrap_or_else(|e| e.into_inner()) = Some(conn.clone());
            Ok::<_, redis::RedisError>(Some(conn))
        };
        match tokio::time::timeout(self.timeout, attempt).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(error)) => self.failed(&error.to_string()),
            Err(_) => self.failed("no connection within throttle.cache_timeout_ms"),
        }
    }

    fn current(&self) -> Option<MultiplexedConnection> {
        self.conn.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Whether Redis failed less than [`RETRY_AFTER`] ago.
    fn retrying_later(&self) -> bool {
        self.now_ms() < self.retry_at_ms.load(Ordering::Relaxed)
    }

    /// Redis failed: drop the connection, wait before the next try, warn once per outage.
    fn failed<T>(&self, why: &str) -> Option<T> {
        *self.conn.write().unwrap_or_else(|e| e.into_inner()) = None;
        let retry = self.now_ms() + RETRY_AFTER.as_millis() as u64;
        self.retry_at_ms.store(retry, Ordering::Relaxed);
        if !self.down.swap(true, Ordering::AcqRel) {
            tracing::warn!(
                error = why,
                "the shared throttle cache is unreachable: counting in this instance's memory \
                 until it is back"
            );
        }
        None
    }

    fn recovered(&self) {
        if self.down.swap(false, Ordering::AcqRel) {
            tracing::warn!("the shared throttle cache is back: throttle counters are shared again");
        }
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }
}

/// `portcullis check`: whether the Redis of `throttle.cache_url` answers `PING` within
/// `timeout`; the reason if not. Serving does not need it (memory counts meanwhile), so the
/// caller reports it as a note.
pub async fn probe_shared_cache(url: &str, timeout: Duration) -> Result<(), String> {
    let client = redis::Client::open(url).map_err(|e| e.to_string())?;
    let ping = async {
        let mut conn = client.get_multiplexed_async_connection().await?;
        redis::cmd("PING").query_async::<String>(&mut conn).await
    };
    match tokio::time::timeout(timeout, ping).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err(format!("no answer within {} ms", timeout.as_millis())),
    }
}
