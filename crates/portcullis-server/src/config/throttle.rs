//! `[throttle]`: DRF's throttle settings, the per-account failed-login limit, the bounds of the
//! counters' memory and the Redis cache that several instances may share them through.

use serde::{Deserialize, Serialize};

/// DRF's throttle settings, plus the per-account limit of failed logins.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThrottleConfig {
    /// DRF's `DEFAULT_THROTTLE_RATES`: scope → rate (`100/min`, `1000/day`...). `anon` limits
    /// anonymous clients by address and `user` authenticated users by id on every view; other
    /// scopes apply where a view or mount names them.
    pub rates: std::collections::BTreeMap<String, String>,
    /// DRF's `NUM_PROXIES`: how many proxies in front of Portcullis append to
    /// `X-Forwarded-For`. Unset: the header is ignored and the socket address identifies a client.
    pub num_proxies: Option<usize>,
    /// The scope of the built-in login endpoints (`/api-token-auth/`, `/auth/token/login/`,
    /// JWT create); empty for none.
    pub login_scope: String,
    /// Failed logins allowed per account, from all addresses together (OWASP ASVS 2.2.1).
    pub failed_logins_per_account: String,
    /// Most keys kept in memory; old ones are dropped first.
    pub max_keys: usize,
    /// Most bytes the counters keep in memory (an estimate: each key's entry and 16 bytes per
    /// request time kept); least recently used keys are dropped first. No rate may count more
    /// than `max_bytes / 128` requests, so one key's log is at most a sixteenth of it.
    pub max_bytes: usize,
    /// Django's `CACHES["default"]["LOCATION"]` with `django_redis.cache.RedisCache`:
    /// `redis://[:password@]host:port/db`. Set, every counter lives in that Redis and is shared
    /// by the instances that name it; unset, each instance counts in its own memory.
    pub cache_url: Option<String>,
    /// The prefix of every key Portcullis writes to that Redis (django-redis' `KEY_PREFIX`), so
    /// that a Redis shared with other applications keeps them apart.
    pub cache_key_prefix: String,
    /// How long one request waits for Redis before it counts in this instance's memory instead.
    pub cache_timeout_ms: u64,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        let rates = [
            ("anon", "1000/min"),
            ("user", "10000/min"),
            ("login", "30/min"),
        ];
        ThrottleConfig {
            rates: rates
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            num_proxies: None,
            login_scope: "login".into(),
            failed_logins_per_account: "100/hour".into(),
            max_keys: 100_000,
            max_bytes: 64 * 1024 * 1024,
            cache_url: None,
            cache_key_prefix: "portcullis:throttle:".into(),
            cache_timeout_ms: 200,
        }
    }
}

impl ThrottleConfig {
    pub(super) fn check(&self, mount_scopes: &[String], bad: &mut impl FnMut(&str, String)) {
        for (scope, rate) in &self.rates {
            if let Err(why) = crate::http::throttle::Rate::parse(rate) {
                bad(&format!("throttle.rates.{scope}"), why);
            }
        }
        if let Err(why) = crate::http::throttle::Rate::parse(&self.failed_logins_per_account) {
            bad("throttle.failed_logins_per_account", why);
        }
        // One key's full log must fit many times in the byte bound, or keeping it would mean
        // dropping every other key.
        let most = self.max_bytes / crate::http::throttle::BYTES_PER_RATE_REQUEST;
        let rates = self
            .rates
            .iter()
            .map(|(scope, rate)| (format!("throttle.rates.{scope}"), rate))
            .chain([(
                "throttle.failed_logins_per_account".to_string(),
                &self.failed_logins_per_account,
            )]);
        for (key, rate) in rates {
            if let Ok(rate) = crate::http::throttle::Rate::parse(rate)
                && rate.num_requests > most
            {
                bad(
                    &key,
                    format!(
                        "at most {most} requests per period with throttle.max_bytes = {}",
                        self.max_bytes
                    ),
                );
            }
        }
        let scopes = mount_scopes.iter().map(String::as_str);
        for scope in scopes.chain(Some(self.login_scope.as_str()).filter(|s| !s.is_empty())) {
            if !self.rates.contains_key(scope) {
                bad("throttle.rates", format!("no rate for the scope {scope:?}"));
            }
        }
        self.check_cache(bad);
        if self.max_keys < 100 {
            bad("throttle.max_keys", "must be at least 100".into());
        }
        if self.max_bytes < 1024 * 1024 {
            bad(
                "throttle.max_bytes",
                "must be at least 1048576 (1 MiB)".into(),
            );
        }
    }
}

impl ThrottleConfig {
    /// The Redis settings: only what the client can reach without TLS (no `rediss://`: the cache
    /// is meant to be on loopback or a private network, as a django-redis cache usually is).
    fn check_cache(&self, bad: &mut impl FnMut(&str, String)) {
        // The URL may hold a password: the messages do not repeat it.
        if let Some(url) = &self.cache_url {
            if !url.starts_with("redis://") {
                bad(
                    "throttle.cache_url",
                    "only redis://host:port/db is supported (no TLS, no other cache)".into(),
                );
            } else if let Err(why) = redis::Client::open(url.as_str()) {
                bad(
                    "throttle.cache_url",
                    format!("not a Redis URL like redis://127.0.0.1:6379/1: {why}"),
                );
            }
        }
        let prefix = &self.cache_key_prefix;
        if prefix.is_empty() || prefix.len() > 100 || prefix.chars().any(char::is_whitespace) {
            bad(
                "throttle.cache_key_prefix",
                "must be 1 to 100 characters without spaces, e.g. \"portcullis:throttle:\"".into(),
            );
        }
        if !(1..=10_000).contains(&self.cache_timeout_ms) {
            bad(
                "throttle.cache_timeout_ms",
                "must be between 1 and 10000 milliseconds".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn throttle_rates_fit_the_byte_bound() {
        let mut config = Config::default();
        config.throttle.max_bytes = 1 << 20;
        config
            .throttle
            .rates
            .insert("user".into(), "100/min".into());
        config
            .throttle
            .rates
            .insert("anon".into(), "8192/min".into());
        assert_eq!(config.problems(), vec![]);
        config
            .throttle
            .rates
            .insert("anon".into(), "8193/min".into());
        config.throttle.failed_logins_per_account = "100000/hour".into();
        config.throttle.max_keys = 1;
        let keys: Vec<String> = config.problems().into_iter().map(|p| p.key).collect();
        assert_eq!(
            keys,
            [
                "throttle.rates.anon",
                "throttle.failed_logins_per_account",
                "throttle.max_keys"
            ]
        );
        config.throttle.max_bytes = 1000;
        assert!(
            config
                .problems()
                .iter()
                .any(|p| p.key == "throttle.max_bytes")
        );
    }

    #[test]
    fn the_cache_url_must_be_plain_redis() {
        let mut config = Config::default();
        config.throttle.cache_url = Some("redis://127.0.0.1:6379/1".into());
        assert_eq!(config.problems(), vec![]);
        for url in ["rediss://127.0.0.1:6379/1", "memcached://x", "not a url"] {
            config.throttle.cache_url = Some(url.into());
            let keys: Vec<String> = config.problems().into_iter().map(|p| p.key).collect();
            assert_eq!(keys, ["throttle.cache_url"], "{url}");
        }
        config.throttle.cache_url = None;
        config.throttle.cache_timeout_ms = 0;
        config.throttle.cache_key_prefix = String::new();
        let keys: Vec<String> = config.problems().into_iter().map(|p| p.key).collect();
        assert_eq!(
            keys,
            ["throttle.cache_key_prefix", "throttle.cache_timeout_ms"]
        );
    }
}
