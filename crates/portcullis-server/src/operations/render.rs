//! The metrics in Prometheus's text format (version 0.0.4), written at scrape time from the
//! counters of [`super::metrics`] and the gauges their owners keep (the store's pools, the
//! password hasher, the throttles). A scrape is rare next to requests: this side may allocate.

use std::fmt::Write;

use super::metrics::LoginOutcome;
use crate::state::AppState;

/// The content type of the text format.
pub(crate) const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Every metric, with its `# HELP` and `# TYPE`.
pub(crate) fn render(state: &AppState) -> String {
    let mut out = String::with_capacity(16 * 1024);
    requests(&mut out, state);
    logins(&mut out, state);
    throttled(&mut out, state);
    pools(&mut out, state);
    hashes(&mut out, state);
    out
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value with the text format's escapes (route patterns come from the configuration).
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn requests(out: &mut String, state: &AppState) {
    let metrics = state.metrics();
    let name = "portcullis_http_requests_total";
    header(
        out,
        name,
        "counter",
        "Requests answered, by matched route pattern and status.",
    );
    for route in metrics.routes() {
        let pattern = escape(&route.pattern);
        for (status, n) in route.statuses() {
            let _ = writeln!(out, "{name}{{route=\"{pattern}\",status=\"{status}\"}} {n}");
        }
    }
    let name = "portcullis_http_request_duration_seconds";
    header(
        out,
        name,
        "histogram",
        "Time from a request's arrival to its answer's headers, by matched route pattern.",
    );
    for route in metrics.routes().filter(|r| r.latency.count() > 0) {
        let labels = format!("route=\"{}\"", escape(&route.pattern));
        route.latency.render(out, name, &labels);
    }
}

fn logins(out: &mut String, state: &AppState) {
    let name = "portcullis_logins_total";
    header(
        out,
        name,
        "counter",
        "Logins by outcome: success, bad_credentials, inactive, throttled (account locked after failures).",
    );
    for outcome in LoginOutcome::ALL {
        let n = state.metrics().logins(outcome);
        let _ = writeln!(out, "{name}{{outcome=\"{}\"}} {n}", outcome.label());
    }
}

fn throttled(out: &mut String, state: &AppState) {
    let name = "portcullis_throttled_requests_total";
    header(
        out,
        name,
        "counter",
        "Requests refused with 429, by throttle scope.",
    );
    for (scope, n) in state.throttles().refusals() {
        let _ = writeln!(out, "{name}{{scope=\"{}\"}} {n}", escape(scope));
    }
}

fn pools(out: &mut String, state: &AppState) {
    let name = "portcullis_db_pool_connections";
    header(
        out,
        name,
        "gauge",
        "Database connections per pool, in use by a query or idle.",
    );
    for pool in state.store().migrations().pools() {
        for (use_, n) in [("in_use", pool.in_use), ("idle", pool.idle)] {
            let _ = writeln!(out, "{name}{{pool=\"{}\",state=\"{use_}\"}} {n}", pool.name);
        }
    }
    let name = "portcullis_database_serving";
    header(
        out,
        name,
        "gauge",
        "1 while requests may reach the database (migrated, no outage under way), else 0.",
    );
    let serving = u8::from(state.store().availability().serves());
    let _ = writeln!(out, "{name} {serving}");
}

fn hashes(out: &mut String, state: &AppState) {
    let passwords = state.passwords();
    for (name, help, n) in [
        (
            "portcullis_password_hashes_in_flight",
            "Password hashes being computed now.",
            passwords.in_flight(),
        ),
        (
            "portcullis_password_hashes_queued",
            "Password hashes waiting for a hashing worker.",
            passwords.queued(),
        ),
    ] {
        header(out, name, "gauge", help);
        let _ = writeln!(out, "{name} {n}");
    }
}
