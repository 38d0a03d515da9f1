//! What the metrics count, recorded on the request path: requests by route pattern and status
//! and their latency, and logins by outcome. Every counter is an atomic in a table built once,
//! when the application's routes are known, so that recording a request is a lookup in a map
//! nobody writes to and two atomic adds: no lock and no allocation per request. The gauges
//! (pools, hashes in flight, throttling) are read from their owners at scrape time instead.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::histogram::Histogram;

/// The lowest status counted; statuses are counted in a slot each, from here to 599.
const FIRST_STATUS: u16 = 100;
const STATUSES: usize = 500;

/// How a login ended (DRF's token login, djoser's, simplejwt's token pair).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LoginOutcome {
    Success,
    /// Unknown user or wrong password (one answer for both, as DRF gives).
    BadCredentials,
    /// The right password of an inactive user.
    Inactive,
    /// Refused before any hash: the account failed too often.
    Throttled,
}

impl LoginOutcome {
    pub(crate) const ALL: [LoginOutcome; 4] = [
        LoginOutcome::Success,
        LoginOutcome::BadCredentials,
        LoginOutcome::Inactive,
        LoginOutcome::Throttled,
    ];

    pub(crate) fn label(self) -> &'static str {
        match self {
            LoginOutcome::Success => "success",
            LoginOutcome::BadCredentials => "bad_credentials",
            LoginOutcome::Inactive => "inactive",
            LoginOutcome::Throttled => "throttled",
        }
    }
}

/// One route's counters.
#[derive(Debug)]
pub(crate) struct RouteStats {
    pub(crate) pattern: Box<str>,
    statuses: Box<[AtomicU64]>,
    pub(crate) latency: Histogram,
}

impl RouteStats {
    fn new(pattern: &str) -> RouteStats {
        RouteStats {
            pattern: pattern.into(),
            statuses: (0..STATUSES).map(|_| AtomicU64::new(0)).collect(),
            latency: Histogram::default(),
        }
    }

    /// Count one answered request.
    pub(crate) fn record(&self, status: u16, elapsed: Duration) {
        let slot = usize::from(status.saturating_sub(FIRST_STATUS)).min(STATUSES - 1);
        self.statuses[slot].fetch_add(1, Ordering::Relaxed);
        self.latency.observe(elapsed);
    }

    /// `(status, count)` for every status seen, lowest first.
    pub(crate) fn statuses(&self) -> impl Iterator<Item = (u16, u64)> + '_ {
        self.statuses.iter().enumerate().filter_map(|(i, n)| {
            let n = n.load(Ordering::Relaxed);
            let status = u16::try_from(i).ok()? + FIRST_STATUS;
            (n > 0).then_some((status, n))
        })
    }
}

/// The routes' counters, by pattern.
#[derive(Debug)]
struct RouteIndex {
    by_pattern: HashMap<Box<str>, usize>,
    stats: Box<[RouteStats]>,
}

/// The application's counters. Disabled (nothing recorded) when no metrics path is served.
#[derive(Debug)]
pub struct Metrics {
    enabled: bool,
    routes: OnceLock<RouteIndex>,
    /// Requests that matched no route (404s, APPEND_SLASH's redirects): one label for all, so
    /// that a scanner's paths cannot grow the table.
    unmatched: RouteStats,
    logins: [AtomicU64; LoginOutcome::ALL.len()],
}

/// The route label of requests no route matched.
pub(crate) const UNMATCHED: &str = "(unmatched)";

impl Metrics {
    pub(crate) fn new(enabled: bool) -> Metrics {
        Metrics {
            enabled,
            routes: OnceLock::new(),
            unmatched: RouteStats::new(UNMATCHED),
            logins: Default::default(),
        }
    }

    /// Register the application's route patterns, once (the first application built on this
    /// state; the same configuration always gives the same routes).
    pub(crate) fn register_routes<'a>(&self, patterns: impl IntoIterator<Item = &'a str>) {
        if !self.enabled {
            return;
        }
        let mut by_pattern = HashMap::new();
        let mut stats = Vec::new();
        for pattern in patterns {
            if !by_pattern.contains_key(pattern) {
                by_pattern.insert(pattern.into(), stats.len());
                stats.push(RouteStats::new(pattern));
            }
        }
        let _ = self.routes.set(RouteIndex {
            by_pattern,
            stats: stats.into(),
        });
    }

    /// The counters of the request matching `route` (its pattern, `None` when none matched);
    /// `None` when metrics are disabled.
    pub(crate) fn route(&self, route: Option<&str>) -> Option<&RouteStats> {
        if !self.enabled {
            return None;
        }
        let found = route.and_then(|pattern| {
            let index = self.routes.get()?;
            index
                .by_pattern
                .get(pattern)
                .and_then(|&i| index.stats.get(i))
        });
        Some(found.unwrap_or(&self.unmatched))
    }

    /// Every route's counters, in the order the routes were mounted, then the unmatched ones.
    pub(crate) fn routes(&self) -> impl Iterator<Item = &RouteStats> {
        self.routes
            .get()
            .map(|index| &index.stats[..])
            .unwrap_or_default()
            .iter()
            .chain(std::iter::once(&self.unmatched))
    }

    pub(crate) fn login(&self, outcome: LoginOutcome) {
        if self.enabled {
            self.logins[outcome as usize].fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn logins(&self, outcome: LoginOutcome) -> u64 {
        self.logins[outcome as usize].load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_count_under_their_pattern_or_as_unmatched() {
        let metrics = Metrics::new(true);
        metrics.register_routes(["/api/notes/{id}/", "/healthz"]);
        let route = metrics.route(Some("/api/notes/{id}/")).expect("enabled");
        route.record(200, Duration::from_millis(1));
        route.record(200, Duration::from_millis(1));
        metrics
            .route(Some("/elsewhere"))
            .expect("enabled")
            .record(404, Duration::ZERO);
        metrics
            .route(None)
            .expect("enabled")
            .record(999, Duration::ZERO);
        let seen: Vec<(String, Vec<(u16, u64)>)> = metrics
            .routes()
            .map(|r| (r.pattern.to_string(), r.statuses().collect()))
            .collect();
        assert_eq!(
            seen,
            [
                ("/api/notes/{id}/".to_string(), vec![(200, 2)]),
                ("/healthz".to_string(), vec![]),
                (UNMATCHED.to_string(), vec![(404, 1), (599, 1)]),
            ]
        );
        assert!(Metrics::new(false).route(Some("/healthz")).is_none());
    }
}
