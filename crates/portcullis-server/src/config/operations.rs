//! `[operations]`: where the health, readiness and metrics endpoints are served, who may read the
//! metrics, and how log lines are written.

use serde::{Deserialize, Serialize};

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human text on a terminal, JSON lines otherwise (a log collector, a file, a pipe).
    #[default]
    Auto,
    Text,
    Json,
}

/// The operations endpoints and logs (README "Operating Portcullis").
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct OperationsConfig {
    /// Liveness: 200 while the process serves, without touching the database. Empty: not served.
    pub healthz_path: String,
    /// Readiness: 200 when the database answers and every migration is applied, else 503.
    /// Empty: not served.
    pub readyz_path: String,
    /// Prometheus metrics. Empty: not served, and nothing is recorded.
    pub metrics_path: String,
    /// Serve the metrics on this address only (another listener, e.g. a private interface),
    /// instead of on `bind`. Empty: on `bind`, to loopback clients and bearers of `metrics_token`.
    pub metrics_addr: String,
    /// A bearer token (`Authorization: Bearer <token>`, at least 16 characters) that lets any
    /// client read the metrics. Empty: loopback clients only (on `bind`).
    pub metrics_token: String,
    /// `text`, `json` or `auto` (text on a terminal, JSON otherwise).
    pub log_format: LogFormat,
}

impl Default for OperationsConfig {
    fn default() -> Self {
        OperationsConfig {
            healthz_path: "/healthz".into(),
            readyz_path: "/readyz".into(),
            metrics_path: "/metrics".into(),
            metrics_addr: String::new(),
            metrics_token: String::new(),
            log_format: LogFormat::Auto,
        }
    }
}

/// The shortest `metrics_token` accepted: a guessable one would publish the metrics.
const MIN_TOKEN_CHARS: usize = 16;

impl OperationsConfig {
    /// The configured paths that are served, with their keys.
    pub(crate) fn paths(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("operations.healthz_path", self.healthz_path.as_str()),
            ("operations.readyz_path", self.readyz_path.as_str()),
            ("operations.metrics_path", self.metrics_path.as_str()),
        ]
        .into_iter()
        .filter(|(_, path)| !path.is_empty())
    }

    /// Whether `path` is one of the operations endpoints (they read no database, or report
    /// on it: never the outage's 503 in their place).
    pub(crate) fn serves(&self, path: &str) -> bool {
        self.paths().any(|(_, p)| p == path)
    }

    /// Whether `path` is `/healthz` or `/readyz`: probes, which say nothing a client could
    /// misuse, and so are answered whatever the `Host`.
    pub(crate) fn is_probe(&self, path: &str) -> bool {
        !path.is_empty() && (path == self.healthz_path || path == self.readyz_path)
    }

    /// Whether `/metrics` is served on `bind` (not on a listener of its own).
    pub(crate) fn metrics_on_main(&self) -> bool {
        !self.metrics_path.is_empty() && self.metrics_addr.is_empty()
    }

    pub(super) fn check(&self, bad: &mut impl FnMut(&str, String)) {
        let mut seen: Vec<&str> = Vec::new();
        for (key, path) in self.paths() {
            let plain = path.starts_with('/')
                && path.len() > 1
                && !path.contains(['{', '}', '?', '#', '*'])
                && !path.contains(char::is_whitespace);
            if !plain {
                bad(
                    key,
                    format!(
                        "{path:?} must be a plain path starting with '/' (or empty to disable)"
                    ),
                );
            }
            if seen.contains(&path) {
                bad(key, format!("{path:?} is already another operations path"));
            }
            seen.push(path);
        }
        if !self.metrics_addr.is_empty()
            && self.metrics_addr.parse::<std::net::SocketAddr>().is_err()
        {
            bad(
                "operations.metrics_addr",
                format!(
                    "{:?} is not an address like 127.0.0.1:9100",
                    self.metrics_addr
                ),
            );
        }
        if !self.metrics_addr.is_empty() && self.metrics_path.is_empty() {
            bad(
                "operations.metrics_addr",
                "is set, but metrics_path is empty (metrics are disabled)".into(),
            );
        }
        if !self.metrics_token.is_empty() && self.metrics_token.chars().count() < MIN_TOKEN_CHARS {
            bad(
                "operations.metrics_token",
                format!("must be at least {MIN_TOKEN_CHARS} characters long"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(config: &OperationsConfig) -> Vec<String> {
        let mut out = Vec::new();
        config.check(&mut |key, why| out.push(format!("{key}: {why}")));
        out
    }

    #[test]
    fn paths_must_be_plain_distinct_and_may_be_disabled() {
        assert!(problems(&OperationsConfig::default()).is_empty());
        let disabled = OperationsConfig {
            healthz_path: String::new(),
            readyz_path: String::new(),
            metrics_path: String::new(),
            ..OperationsConfig::default()
        };
        assert!(problems(&disabled).is_empty());
        let bad = OperationsConfig {
            healthz_path: "healthz".into(),
            readyz_path: "/metrics".into(),
            metrics_addr: "nowhere".into(),
            metrics_token: "short".into(),
            ..OperationsConfig::default()
        };
        let found = problems(&bad);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].starts_with("operations.healthz_path"));
        assert!(found[1].starts_with("operations.metrics_path"));
    }
}
