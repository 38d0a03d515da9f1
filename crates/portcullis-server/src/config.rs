//! The configuration: every key with its default, and the checks that refuse a bad value at start
//! with the key's name and the reason. Loading (TOML file + `PORTCULLIS_*` environment) is the
//! binary's job; this module only defines and validates the values.

use serde::{Deserialize, Serialize};

pub use crate::auth::jwt::JwtConfig;

/// Everything Portcullis can be told. `Config::default()` is a working server on an embedded
/// SQLite file in the working directory.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address `serve` listens on.
    pub bind: String,
    /// `sqlite://PATH` (created when missing) or `sqlite::memory:`.
    pub database_url: String,
    /// The server secret (at least 32 characters). Token digests, sealed token copies and JWT
    /// keys derive from it. When empty it is read from `secret_key_file`, and generated there on
    /// first start.
    pub secret_key: String,
    /// Where the generated secret is kept (mode 0600).
    pub secret_key_file: String,
    /// Django's ALLOWED_HOSTS: exact host names, `.example.com` for a domain and its subdomains,
    /// or `*` for any host.
    pub allowed_hosts: Vec<String>,
    /// Largest request body accepted, in bytes (Django's DATA_UPLOAD_MAX_MEMORY_SIZE).
    pub max_body_bytes: usize,
    /// DRF's PAGE_SIZE for every paginated list.
    pub page_size: u32,
    /// How many password hashes may be computed at once (0 = one less than the CPU cores, at
    /// least one, so that hashing never takes every core).
    pub password_hash_concurrency: usize,
    /// Built-in endpoints mounted again at extra paths.
    pub extra_routes: Vec<ExtraRoute>,
    /// The schema file declaring the resources; empty for the built-in `notes` resource.
    pub schema_file: String,
    /// CORS, with django-cors-headers' settings.
    pub cors: CorsConfig,
    /// JSON Web Tokens, with simplejwt's settings.
    pub jwt: JwtConfig,
    /// Throttling, with DRF's settings.
    pub throttle: ThrottleConfig,
    /// Time, size and concurrency limits that keep one client from taking the server.
    pub limits: LimitsConfig,
}

/// The limits and timeouts of the HTTP edge and the store (README "Limits and timeouts"). DRF
/// and Django have none of these: they leave them to the web server in front of them.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Seconds a client has to send a request's headers, counted from when the connection is
    /// ready for a request (so it is also how long an idle keep-alive connection stays open);
    /// then the connection is closed: nothing can be answered before the headers are complete.
    pub header_read_timeout_secs: u64,
    /// Seconds a write of an answer may wait for the client to read; then the connection is
    /// closed (a client that stops reading would otherwise hold it and the answer forever).
    pub write_timeout_secs: u64,
    /// Seconds a client has to send a request's whole body; then 408.
    pub body_read_timeout_secs: u64,
    /// Seconds a request may take from its headers to its answer; then 503 with `Retry-After`.
    pub request_timeout_secs: u64,
    /// Connections served at once; a connection over the cap gets 503 with `Retry-After` and is
    /// closed.
    pub max_connections: usize,
    /// Milliseconds one database query over a resource may run before it is interrupted (503).
    pub query_timeout_ms: u64,
    /// Milliseconds a request waits for a free database connection before 503 with
    /// `Retry-After`.
    pub pool_wait_ms: u64,
    /// Django's `DATA_UPLOAD_MAX_NUMBER_FIELDS`: most fields in a query string or a form body
    /// (400 beyond).
    pub max_fields: usize,
    /// Longest `?search=` term, in characters (400 beyond).
    pub search_term_max_chars: usize,
    /// Most terms in one `?search=` (400 beyond).
    pub search_terms_max: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            header_read_timeout_secs: 20,
            write_timeout_secs: 30,
            body_read_timeout_secs: 30,
            request_timeout_secs: 60,
            max_connections: 10_000,
            query_timeout_ms: 5_000,
            pool_wait_ms: 5_000,
            max_fields: 1000,
            search_term_max_chars: 200,
            search_terms_max: 10,
        }
    }
}

impl LimitsConfig {
    fn check(&self, bad: &mut impl FnMut(&str, String)) {
        let at_least_one = [
            (
                "limits.header_read_timeout_secs",
                self.header_read_timeout_secs,
            ),
            ("limits.write_timeout_secs", self.write_timeout_secs),
            ("limits.body_read_timeout_secs", self.body_read_timeout_secs),
            ("limits.request_timeout_secs", self.request_timeout_secs),
            ("limits.max_connections", self.max_connections as u64),
            ("limits.query_timeout_ms", self.query_timeout_ms),
            ("limits.pool_wait_ms", self.pool_wait_ms),
            (
                "limits.search_term_max_chars",
                self.search_term_max_chars as u64,
            ),
            ("limits.search_terms_max", self.search_terms_max as u64),
            ("limits.max_fields", self.max_fields as u64),
        ];
        for (key, value) in at_least_one {
            if value == 0 {
                bad(key, "must be at least 1".into());
            }
        }
    }
}

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
    /// than `max_bytes / 256` requests, so one key's log is at most a sixteenth of it.
    pub max_bytes: usize,
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
        }
    }
}

impl ThrottleConfig {
    fn check(&self, extra_routes: &[ExtraRoute], bad: &mut impl FnMut(&str, String)) {
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
        let scopes = extra_routes
            .iter()
            .filter_map(|r| r.throttle_scope.as_deref());
        for scope in scopes.chain(Some(self.login_scope.as_str()).filter(|s| !s.is_empty())) {
            if !self.rates.contains_key(scope) {
                bad("throttle.rates", format!("no rate for the scope {scope:?}"));
            }
        }
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

/// django-cors-headers' settings under their own names (without the `CORS_` prefix), with its
/// defaults.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorsConfig {
    /// `CORS_ALLOWED_ORIGINS`: `scheme://host[:port]`, or the literal `null`.
    pub allowed_origins: Vec<String>,
    /// `CORS_ALLOWED_ORIGIN_REGEXES`; each must match the whole origin (Portcullis anchors them).
    pub allowed_origin_regexes: Vec<String>,
    /// `CORS_ALLOW_ALL_ORIGINS`.
    pub allow_all_origins: bool,
    /// `CORS_ALLOW_CREDENTIALS`.
    pub allow_credentials: bool,
    /// `CORS_ALLOW_HEADERS`.
    pub allow_headers: Vec<String>,
    /// `CORS_ALLOW_METHODS`.
    pub allow_methods: Vec<String>,
    /// `CORS_EXPOSE_HEADERS`.
    pub expose_headers: Vec<String>,
    /// `CORS_PREFLIGHT_MAX_AGE` in seconds; 0 sends no `Access-Control-Max-Age`.
    pub preflight_max_age: u64,
    /// `CORS_ALLOW_PRIVATE_NETWORK`.
    pub allow_private_network: bool,
    /// `CORS_URLS_REGEX`, matched against the start of the path.
    pub urls_regex: String,
}

impl Default for CorsConfig {
    fn default() -> Self {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        CorsConfig {
            allowed_origins: Vec::new(),
            allowed_origin_regexes: Vec::new(),
            allow_all_origins: false,
            allow_credentials: false,
            allow_headers: strings(&[
                "accept",
                "authorization",
                "content-type",
                "user-agent",
                "x-csrftoken",
                "x-requested-with",
            ]),
            allow_methods: strings(&["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]),
            expose_headers: Vec::new(),
            preflight_max_age: 86400,
            allow_private_network: false,
            urls_regex: "^.*$".into(),
        }
    }
}

/// A built-in endpoint mounted at a second path, as a Django project mounts `obtain_auth_token`
/// under a URL of its own.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExtraRoute {
    /// The path, starting and ending with `/`.
    pub path: String,
    /// One of [`ExtraRoute::ENDPOINTS`].
    pub endpoint: String,
    /// A throttle scope for this mount only (applied by the throttling layer).
    #[serde(default)]
    pub throttle_scope: Option<String>,
}

impl ExtraRoute {
    /// The endpoints that can be mounted again.
    pub const ENDPOINTS: &'static [&'static str] = &["obtain_auth_token", "token_login"];
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1:8000".into(),
            database_url: "sqlite://portcullis.sqlite3".into(),
            secret_key: String::new(),
            secret_key_file: "portcullis.secret".into(),
            allowed_hosts: vec!["127.0.0.1".into(), "localhost".into(), "[::1]".into()],
            max_body_bytes: 2_621_440,
            page_size: 20,
            password_hash_concurrency: 0,
            extra_routes: Vec::new(),
            schema_file: String::new(),
            cors: CorsConfig::default(),
            jwt: JwtConfig::default(),
            throttle: ThrottleConfig::default(),
            limits: LimitsConfig::default(),
        }
    }
}

/// One refused value: the key and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub key: String,
    pub reason: String,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.reason)
    }
}

impl Config {
    /// Every problem in the configuration, not only the first.
    pub fn problems(&self) -> Vec<ConfigProblem> {
        let mut out = Vec::new();
        let mut bad = |key: &str, reason: String| {
            out.push(ConfigProblem {
                key: key.into(),
                reason,
            })
        };
        if self.bind.parse::<std::net::SocketAddr>().is_err() {
            bad(
                "bind",
                format!("{:?} is not an address like 127.0.0.1:8000", self.bind),
            );
        }
        if !(self.database_url.starts_with("sqlite://") || self.database_url == "sqlite::memory:") {
            bad(
                "database_url",
                format!(
                    "{:?} is not supported: use sqlite://PATH or sqlite::memory:",
                    self.database_url
                ),
            );
        }
        if !self.secret_key.is_empty() && self.secret_key.chars().count() < 32 {
            bad("secret_key", "must be at least 32 characters long".into());
        }
        if self.secret_key.is_empty() && self.secret_key_file.trim().is_empty() {
            bad(
                "secret_key_file",
                "must name a file when secret_key is empty".into(),
            );
        }
        if self.allowed_hosts.is_empty() {
            bad(
                "allowed_hosts",
                "is empty, so every request would be refused".into(),
            );
        }
        for host in &self.allowed_hosts {
            if host.trim().is_empty() || host.contains('/') || host.contains(char::is_whitespace) {
                bad("allowed_hosts", format!("{host:?} is not a host name"));
            }
        }
        if self.max_body_bytes < 1024 {
            bad("max_body_bytes", "must be at least 1024".into());
        }
        if self.page_size == 0 || self.page_size > 1000 {
            bad("page_size", "must be between 1 and 1000".into());
        }
        for (i, route) in self.extra_routes.iter().enumerate() {
            let key = format!("extra_routes[{i}]");
            if !route.path.starts_with('/') || !route.path.ends_with('/') || route.path.len() < 3 {
                bad(
                    &key,
                    format!("path {:?} must start and end with '/'", route.path),
                );
            }
            if !ExtraRoute::ENDPOINTS.contains(&route.endpoint.as_str()) {
                bad(
                    &key,
                    format!(
                        "endpoint {:?} is unknown; one of: {}",
                        route.endpoint,
                        ExtraRoute::ENDPOINTS.join(", ")
                    ),
                );
            }
        }
        self.cors.check(&mut bad);
        self.jwt.check(&mut bad);
        self.throttle.check(&self.extra_routes, &mut bad);
        self.limits.check(&mut bad);
        if let Err(problems) = self.schema() {
            for p in problems {
                bad("schema_file", p);
            }
        }
        out
    }

    /// The resources: the schema file's, or the built-in `notes` resource.
    pub fn schema(&self) -> Result<crate::resources::Schema, Vec<String>> {
        if self.schema_file.is_empty() {
            return crate::resources::Schema::parse(crate::resources::schema::DEFAULT_SCHEMA);
        }
        let text = std::fs::read_to_string(&self.schema_file)
            .map_err(|e| vec![format!("cannot read {}: {e}", self.schema_file)])?;
        crate::resources::Schema::parse(&text)
    }
}

impl CorsConfig {
    fn check(&self, bad: &mut impl FnMut(&str, String)) {
        if self.allow_all_origins && self.allow_credentials {
            bad(
                "cors.allow_all_origins",
                "cannot be combined with cors.allow_credentials: any web page could then read \
                 responses made with the visitor's credentials; list the allowed origins instead"
                    .into(),
            );
        }
        for origin in &self.allowed_origins {
            let ok = origin == "null"
                || origin.split_once("://").is_some_and(|(scheme, rest)| {
                    !scheme.is_empty() && !rest.is_empty() && !rest.contains('/')
                });
            if !ok {
                bad(
                    "cors.allowed_origins",
                    format!("{origin:?} is not an origin like https://example.com (no path)"),
                );
            }
        }
        for pattern in self.allowed_origin_regexes.iter().chain([&self.urls_regex]) {
            if let Err(e) = regex::Regex::new(pattern) {
                bad("cors", format!("regex {pattern:?} does not compile: {e}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Running `serve` in a checkout writes the secret there: `git add -A` must not take it.
    #[test]
    fn the_default_secret_file_is_ignored_by_git() {
        let ignored: Vec<&str> = include_str!("../../../.gitignore").lines().collect();
        let file = Config::default().secret_key_file;
        assert!(
            ignored.contains(&file.as_str()),
            ".gitignore does not name {file}"
        );
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(Config::default().problems(), vec![]);
    }

    #[test]
    fn every_problem_names_its_key() {
        let config = Config {
            bind: "nowhere".into(),
            database_url: "mysql://x".into(),
            secret_key: "short".into(),
            page_size: 0,
            extra_routes: vec![ExtraRoute {
                path: "login".into(),
                endpoint: "nope".into(),
                throttle_scope: None,
            }],
            ..Config::default()
        };
        let keys: Vec<String> = config.problems().into_iter().map(|p| p.key).collect();
        assert_eq!(
            keys,
            [
                "bind",
                "database_url",
                "secret_key",
                "page_size",
                "extra_routes[0]",
                "extra_routes[0]"
            ]
        );
    }

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
            .insert("anon".into(), "4096/min".into());
        assert_eq!(config.problems(), vec![]);
        config
            .throttle
            .rates
            .insert("anon".into(), "4097/min".into());
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
}
