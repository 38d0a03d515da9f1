//! `[cors]`: django-cors-headers' settings and their checks.

use serde::{Deserialize, Serialize};

/// django-cors-headers' settings under their own names (without the `CORS_` prefix), with its
/// defaults.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorsConfig {
    /// Whether `corsheaders.middleware.CorsMiddleware` is in MIDDLEWARE at all (default true);
    /// without it no response carries a CORS header or `Vary: Origin`.
    pub enabled: bool,
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
            enabled: true,
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

impl CorsConfig {
    pub(super) fn check(&self, bad: &mut impl FnMut(&str, String)) {
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
