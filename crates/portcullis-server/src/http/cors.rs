//! CORS as django-cors-headers does it, as Portcullis' own middleware (tower-http's `CorsLayer`
//! answers differently). Preflights under the URL regex are answered here, before hosts,
//! authentication and routing; every other response under the regex gets `Vary: Origin` and,
//! for an allowed origin, the allow headers.
//!
//! Deliberate difference: an origin regex must match the whole origin (django-cors-headers uses
//! `re.match`, which only anchors the start, so `^https://\w+\.example\.com` also allows
//! `https://a.example.com.evil.net`).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use regex::Regex;

use crate::config::CorsConfig;

/// The compiled CORS policy.
#[derive(Debug, Clone)]
pub(crate) struct CorsPolicy {
    config: CorsConfig,
    origin_regexes: Vec<Regex>,
    urls_regex: Regex,
    allowed: Vec<(String, String)>,
    /// The list headers, joined once rather than for every response.
    expose_headers: Option<HeaderValue>,
    allow_headers: Option<HeaderValue>,
    allow_methods: Option<HeaderValue>,
}

/// What CORS reads of a request under the URL regex, taken before the request moves on to the
/// view (rather than a copy of all its headers).
#[derive(Debug)]
pub(crate) struct CorsRequest {
    options: bool,
    preflight: bool,
    origin: Option<HeaderValue>,
    private_network: bool,
}

impl CorsRequest {
    /// A preflight, which django-cors-headers answers itself.
    pub(crate) fn is_preflight(&self) -> bool {
        self.preflight
    }
}

impl CorsPolicy {
    /// Compile a validated configuration (`Config::problems` reported any bad regex already; a
    /// regex that still fails here allows nothing rather than everything).
    pub(crate) fn new(config: &CorsConfig) -> CorsPolicy {
        let anchored = |p: &str| Regex::new(&format!("^(?:{p})$")).ok();
        CorsPolicy {
            origin_regexes: config
                .allowed_origin_regexes
                .iter()
                .filter_map(|p| anchored(p))
                .collect(),
            urls_regex: Regex::new(&format!("^(?:{})", config.urls_regex))
                .unwrap_or_else(|_| Regex::new("$^").expect("a constant regex compiles")),
            allowed: config
                .allowed_origins
                .iter()
                .filter_map(|o| split_origin(o))
                .collect(),
            expose_headers: joined(&config.expose_headers),
            allow_headers: joined(&config.allow_headers),
            allow_methods: joined(&config.allow_methods),
            config: config.clone(),
        }
    }

    /// `CORS_URLS_REGEX` against the path.
    pub(crate) fn applies_to(&self, path: &str) -> bool {
        self.urls_regex.is_match(path)
    }

    fn origin_allowed(&self, origin: &str) -> bool {
        if self.config.allow_all_origins {
            return true;
        }
        if origin == "null" {
            return self.config.allowed_origins.iter().any(|o| o == "null");
        }
        let listed = split_origin(origin).is_some_and(|(scheme, netloc)| {
            self.allowed
                .iter()
                .any(|(s, n)| *s == scheme && *n == netloc)
        });
        listed || self.origin_regexes.iter().any(|r| r.is_match(origin))
    }

    /// What CORS needs of `request`, or `None` when CORS is off or the path is not under
    /// `CORS_URLS_REGEX` (then the response is left alone).
    pub(crate) fn inspect(&self, request: &Request) -> Option<CorsRequest> {
        if !self.config.enabled || !self.applies_to(request.uri().path()) {
            return None;
        }
        let headers = request.headers();
        let options = request.method() == Method::OPTIONS;
        Some(CorsRequest {
            options,
            preflight: options && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD),
            origin: headers.get(header::ORIGIN).cloned(),
            private_network: headers
                .get("access-control-request-private-network")
                .is_some_and(|v| v.as_bytes() == b"true"),
        })
    }

    /// Add the CORS response headers for a request to a path under the URL regex.
    pub(crate) fn decorate(&self, request: &CorsRequest, response: &mut Response) {
        let headers = response.headers_mut();
        super::middleware::add_vary(headers, "origin");
        let Some(origin) = &request.origin else {
            return;
        };
        let Ok(origin_text) = origin.to_str() else {
            return;
        };
        if origin_text.is_empty() || !self.origin_allowed(origin_text) {
            return;
        }
        let c = &self.config;
        let value = if c.allow_all_origins && !c.allow_credentials {
            HeaderValue::from_static("*")
        } else {
            origin.clone()
        };
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        if c.allow_credentials {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
        }
        set(
            headers,
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            &self.expose_headers,
        );
        if request.options {
            set(
                headers,
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                &self.allow_headers,
            );
            set(
                headers,
                header::ACCESS_CONTROL_ALLOW_METHODS,
                &self.allow_methods,
            );
            if c.preflight_max_age > 0 {
                headers.insert(header::ACCESS_CONTROL_MAX_AGE, c.preflight_max_age.into());
            }
        }
        if c.allow_private_network && request.private_network {
            headers.insert(
                "access-control-allow-private-network",
                HeaderValue::from_static("true"),
            );
        }
    }
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &Option<HeaderValue>) {
    if let Some(v) = value {
        headers.insert(name, v.clone());
    }
}

/// A configured list as one header value; `None` for an empty list (no header) or one that is
/// not a valid header value.
fn joined(values: &[String]) -> Option<HeaderValue> {
    if values.is_empty() {
        return None;
    }
    HeaderValue::from_str(&values.join(", ")).ok()
}

/// Python's `urlsplit(origin)` reduced to what django-cors-headers compares: the scheme
/// (lowercased) and the netloc (as sent). `None` for what urlsplit would refuse.
fn split_origin(origin: &str) -> Option<(String, String)> {
    let (scheme, rest) = origin.split_once("://")?;
    let valid_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !valid_scheme {
        return None;
    }
    let netloc = rest.split(['/', '?', '#']).next().unwrap_or("");
    // urlsplit raises on an unbalanced IPv6 bracket.
    if netloc.contains('[') != netloc.contains(']') {
        return None;
    }
    Some((scheme.to_ascii_lowercase(), netloc.to_string()))
}

/// django-cors-headers' answer to every preflight: an empty Django `HttpResponse`, before
/// the decorations.
pub(crate) fn preflight() -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::OK;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> CorsPolicy {
        CorsPolicy::new(&CorsConfig {
            allowed_origins: vec!["http://localhost:5173".into()],
            allowed_origin_regexes: vec![
                r"^https://\w+\.example\.com$".into(),
                r"https://\w+\.test".into(),
            ],
            ..CorsConfig::default()
        })
    }

    #[test]
    fn listed_origins_compare_scheme_and_netloc() {
        let p = policy();
        assert!(p.origin_allowed("http://localhost:5173"));
        assert!(p.origin_allowed("HTTP://localhost:5173/"));
        assert!(!p.origin_allowed("http://LOCALHOST:5173"));
        assert!(!p.origin_allowed("http://localhost:5174"));
        assert!(!p.origin_allowed("https://localhost:5173"));
        assert!(!p.origin_allowed("null"));
        assert!(!p.origin_allowed("http://[::1"));
    }

    #[test]
    fn regexes_match_the_whole_origin() {
        let p = policy();
        assert!(p.origin_allowed("https://app.example.com"));
        assert!(p.origin_allowed("https://a.test"));
        assert!(!p.origin_allowed("https://a.test.evil.net"));
        assert!(!p.origin_allowed("https://app.example.com.evil.net"));
    }
}
