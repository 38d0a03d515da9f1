//! Throttling with DRF's semantics: rates like `100/min`, a sliding log of request times per key
//! (`throttle_<scope>_<ident>`), every applicable throttle sees every request and the longest
//! wait wins, and a refused request is a 429 with `Retry-After` and DRF's message.
//!
//! Deliberate difference: DRF identifies an anonymous client by the whole `X-Forwarded-For`
//! header unless told how many proxies to trust, so a client can pick its own identity.
//! Portcullis uses the socket address unless `throttle.num_proxies` says how many proxies in front
//! of it append to that header, and then takes the address the last trusted proxy saw.
//!
//! Counters live in memory, per instance, behind [`Counters`] (in `counters.rs`): keyed by a
//! fixed-size digest, never by what a client sent, and bounded in keys and in bytes. With
//! `throttle.cache_url` they live in Redis instead (`shared.rs`), shared by every instance
//! that names it, and the memory counters take over whenever Redis does not answer in time.

mod counters;
mod shared;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::http::HeaderMap;

use super::ApiError;
pub(crate) use counters::{BYTES_PER_RATE_REQUEST, CounterKey, Counters, MemoryCounters};
pub use shared::probe_shared_cache;
use shared::{Op, SharedCounters};

/// A DRF rate: `num_requests` per `duration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rate {
    pub(crate) num_requests: usize,
    pub(crate) duration: Duration,
}

impl Rate {
    /// DRF's `parse_rate`: `"<n>/<period>"`, the period's first letter s, m, h or d.
    pub(crate) fn parse(text: &str) -> Result<Rate, String> {
        let (num, period) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?} is not a rate like 100/min"))?;
        let num_requests: usize = num
            .trim()
            .parse()
            .map_err(|_| format!("{text:?}: {num:?} is not a number of requests"))?;
        let seconds = match period.trim().chars().next() {
            Some('s') => 1,
            Some('m') => 60,
            Some('h') => 3600,
            Some('d') => 86400,
            _ => return Err(format!("{text:?}: the period must be s, min, hour or day")),
        };
        Ok(Rate {
            num_requests,
            duration: Duration::from_secs(seconds),
        })
    }
}
/// DRF's `get_ident`, made safe: the socket address unless proxies are trusted.
pub(crate) fn client_ident(
    headers: &HeaderMap,
    client: Option<SocketAddr>,
    num_proxies: Option<usize>,
) -> String {
    let remote = client
        .map(|c| c.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let Some(num_proxies) = num_proxies.filter(|n| *n > 0) else {
        return remote;
    };
    let Some(xff) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) else {
        return remote;
    };
    let addrs: Vec<&str> = xff.split(',').collect();
    let chosen = addrs[addrs.len() - num_proxies.min(addrs.len())].trim();
    if chosen.is_empty() {
        remote
    } else {
        chosen.to_string()
    }
}

/// DRF's `Throttled` for the longest of the waits (rounded up, as DRF does).
pub(crate) fn throttled(waits: impl IntoIterator<Item = f64>) -> Option<ApiError> {
    let longest = waits.into_iter().fold(None, |acc: Option<f64>, w| {
        Some(acc.map_or(w, |a| a.max(w)))
    })?;
    Some(ApiError::Throttled(longest.ceil().max(0.0) as u64))
}

/// Which throttles apply to one request: DRF's default classes and/or one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub(crate) default: bool,
    pub(crate) scope: Option<String>,
}

/// A mount's own throttle scope (DRF's `throttle_scope` on a view subclass), declared on the
/// endpoint (`Endpoint::scoped`) and carried to the throttles by the request.
#[derive(Debug, Clone)]
pub(crate) struct ScopeOverride(pub String);

/// The throttling policy of the server.
pub struct Throttles {
    rates: HashMap<String, Rate>,
    num_proxies: Option<usize>,
    login_scope: Option<String>,
    failed_logins: Rate,
    counters: Box<dyn Counters>,
    /// The Redis counters when `throttle.cache_url` is set; `counters` count when it fails.
    shared: Option<SharedCounters>,
    /// Requests refused, by scope (the metrics'): one counter per configured rate, made at
    /// start, so that counting a refusal takes no lock.
    refused: HashMap<String, AtomicU64>,
}

impl Throttles {
    /// From a validated configuration (rates that do not parse were refused at start).
    pub(crate) fn new(config: &crate::config::ThrottleConfig) -> Throttles {
        let rates: HashMap<String, Rate> = config
            .rates
            .iter()
            .filter_map(|(scope, rate)| Rate::parse(rate).ok().map(|r| (scope.clone(), r)))
            .collect();
        let failed_logins = Rate::parse(&config.failed_logins_per_account).unwrap_or(Rate {
            num_requests: 100,
            duration: Duration::from_secs(3600),
        });
        let refused = rates
            .keys()
            .map(|scope| (scope.clone(), AtomicU64::new(0)))
            .collect();
        Throttles {
            refused,
            rates,
            num_proxies: config.num_proxies,
            login_scope: Some(config.login_scope.clone()).filter(|s| !s.is_empty()),
            failed_logins,
            counters: Box::new(MemoryCounters::new(config.max_keys, config.max_bytes)),
            shared: shared_counters(config),
        }
    }

    /// The plan for a view's throttle classes, or a mount's own scope.
    pub(crate) fn plan(
        &self,
        classes: super::endpoint::Throttle,
        mount_scope: Option<&ScopeOverride>,
    ) -> Plan {
        use super::endpoint::Throttle;
        if let Some(ScopeOverride(scope)) = mount_scope {
            // A mount with its own scope: only that throttle, as the oracle's ScopedRateThrottle view.
            return Plan {
                default: false,
                scope: Some(scope.clone()),
            };
        }
        match classes {
            Throttle::Default => Plan {
                default: true,
                scope: None,
            },
            Throttle::Login => Plan {
                default: true,
                scope: self.login_scope.clone(),
            },
        }
    }

    /// DRF's `check_throttles`: every applicable throttle records the request or refuses it;
    /// the longest wait wins.
    pub(crate) async fn check(
        &self,
        plan: &Plan,
        headers: &HeaderMap,
        client: Option<SocketAddr>,
        user_id: Option<i64>,
    ) -> Result<(), ApiError> {
        let ident = || client_ident(headers, client, self.num_proxies);
        let mut keys = Vec::new();
        if plan.default {
            match user_id {
                Some(id) => keys.push(("user".to_string(), id.to_string())),
                None => keys.push(("anon".to_string(), ident())),
            }
        }
        if let Some(scope) = &plan.scope {
            keys.push((
                scope.clone(),
                user_id.map_or_else(ident, |id| id.to_string()),
            ));
        }
        let mut waits = Vec::new();
        for (scope, ident) in keys {
            let Some(rate) = self.rates.get(&scope) else {
                continue;
            };
            let key = CounterKey::throttle(&scope, &ident);
            if let Err(wait) = self.run(Op::Hit, &key, *rate).await {
                waits.push(wait);
                if let Some(refused) = self.refused.get(&scope) {
                    refused.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        match throttled(waits) {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// Requests refused so far, by scope, sorted by scope.
    pub(crate) fn refusals(&self) -> Vec<(&str, u64)> {
        let mut out: Vec<(&str, u64)> = self
            .refused
            .iter()
            .map(|(scope, n)| (scope.as_str(), n.load(Ordering::Relaxed)))
            .collect();
        out.sort_unstable();
        out
    }

    /// Refuse a login for an account that failed too often, from whatever addresses.
    pub(crate) async fn check_login_failures(&self, username: &str) -> Result<(), ApiError> {
        let key = CounterKey::login_failures(username);
        match self.run(Op::Exceeded, &key, self.failed_logins).await {
            Err(wait) => Err(throttled([wait]).unwrap_or(ApiError::Throttled(1))),
            Ok(()) => Ok(()),
        }
    }

    /// Count a failed login for an account (known or not: the answer must not differ).
    pub(crate) async fn record_login_failure(&self, username: &str) {
        let key = CounterKey::login_failures(username);
        // Recording never refuses.
        let _ = self.run(Op::Record, &key, self.failed_logins).await;
    }

    /// `op` on the shared counters when configured and answering, else on this instance's.
    async fn run(&self, op: Op, key: &CounterKey, rate: Rate) -> Result<(), f64> {
        if let Some(shared) = &self.shared
            && let Some(outcome) = shared.run(op, key, rate).await
        {
            return outcome;
        }
        let now = Instant::now();
        match op {
            Op::Hit => self.counters.hit(key, rate, now),
            Op::Record => {
                self.counters.record(key, rate, now);
                Ok(())
            }
            Op::Exceeded => self.counters.exceeded(key, rate, now).map_or(Ok(()), Err),
        }
    }

    /// The counters' estimate of the memory they hold, in bytes (`throttle.max_bytes` bounds it).
    pub fn memory_bytes(&self) -> usize {
        self.counters.memory_bytes()
    }
}
/// The Redis counters of `throttle.cache_url`, if set. The configuration check refused a URL
/// the client cannot use, so a failure here is unexpected: it is logged and memory counts.
fn shared_counters(config: &crate::config::ThrottleConfig) -> Option<SharedCounters> {
    let url = config.cache_url.as_deref()?;
    let timeout = Duration::from_millis(config.cache_timeout_ms.max(1));
    match SharedCounters::new(url, &config.cache_key_prefix, timeout) {
        Ok(shared) => {
            tracing::info!(redis = %shared.address(), "throttle counters are shared through Redis");
            Some(shared)
        }
        Err(error) => {
            tracing::error!(%error, "throttle.cache_url is unusable: counting in memory");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_like_drf() {
        assert_eq!(
            Rate::parse("5/min"),
            Ok(Rate {
                num_requests: 5,
                duration: Duration::from_secs(60)
            })
        );
        assert_eq!(
            Rate::parse("1000/day").map(|r| r.duration.as_secs()),
            Ok(86400)
        );
        assert_eq!(Rate::parse("3/s").map(|r| r.duration.as_secs()), Ok(1));
        assert!(Rate::parse("5").is_err());
        assert!(Rate::parse("x/min").is_err());
        assert!(Rate::parse("5/week").is_err());
    }

    #[test]
    fn identity_ignores_spoofed_headers_unless_proxies_are_trusted() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 10.0.0.7".parse().expect("header"),
        );
        let socket: SocketAddr = "127.0.0.1:5000".parse().expect("addr");
        assert_eq!(client_ident(&headers, Some(socket), None), "127.0.0.1");
        assert_eq!(client_ident(&headers, Some(socket), Some(0)), "127.0.0.1");
        assert_eq!(client_ident(&headers, Some(socket), Some(1)), "10.0.0.7");
        assert_eq!(client_ident(&headers, Some(socket), Some(2)), "6.6.6.6");
        assert_eq!(client_ident(&headers, Some(socket), Some(5)), "6.6.6.6");
        assert_eq!(
            client_ident(&HeaderMap::new(), Some(socket), Some(1)),
            "127.0.0.1"
        );
    }

    #[test]
    fn longest_wait_wins_rounded_up() {
        assert!(matches!(
            throttled([1.2, 30.5, 7.0]),
            Some(ApiError::Throttled(31))
        ));
        assert!(throttled(Vec::<f64>::new()).is_none());
    }
}
