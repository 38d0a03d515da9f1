//! The request span: every request runs inside a `tracing` span with its id, method, matched
//! route and (once authenticated) user, so that every log line it causes can be tied to it, and
//! the id goes back to the client in `X-Request-Id` for bug reports. An id set by a proxy in
//! front is kept when it is a plain token; anything else is replaced, so a client cannot write
//! arbitrary text into the logs.

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::response::Response;

/// The header carrying the id, both ways.
pub(crate) const HEADER: &str = "x-request-id";

/// The longest incoming id that is kept.
const MAX_LEN: usize = 64;

/// The id of a request: the one a proxy in front set, when it is a plain token, else a new one.
pub(crate) fn incoming_or_new(request: &Request) -> HeaderValue {
    request
        .headers()
        .get(HEADER)
        .filter(|v| v.to_str().is_ok_and(is_plain_id))
        .cloned()
        .unwrap_or_else(new_id)
}

/// The request's span. Its fields borrow from the request, so nothing is copied for a span
/// that the log filter disables.
pub(crate) fn span(id: &HeaderValue, request: &Request) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("-", MatchedPath::as_str);
    tracing::info_span!(
        "request",
        id = %id.to_str().unwrap_or_default(),
        method = %request.method(),
        route = %route,
        user = tracing::field::Empty,
        auth = tracing::field::Empty,
    )
}

/// The access log line of an answered request, at info under the target `portcullis::access`
/// (so that it can be filtered apart: `PORTCULLIS_LOG=info,portcullis::access=warn`). The
/// request's span gives it the id, method, route and user; nothing from the request's headers
/// or body is logged.
pub(crate) fn access_log(span: &tracing::Span, status: u16, elapsed: std::time::Duration) {
    tracing::info!(
        target: "portcullis::access",
        parent: span,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "answered"
    );
}

/// The id back to the client.
pub(crate) fn stamp(response: &mut Response, id: HeaderValue) {
    response.headers_mut().insert(HEADER, id);
}

/// Record the authenticated user, and which credential it used, on the current request's span.
pub(crate) fn record_principal(principal: &crate::auth::Principal) {
    let span = tracing::Span::current();
    span.record("user", principal.user.id);
    span.record("auth", principal.credential.name());
}

fn is_plain_id(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= MAX_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// 32 hex characters: 64 random bits drawn once per process (so instances behind one load
/// balancer do not collide) and a counter, so that the hot path makes no system call for it.
fn new_id() -> HeaderValue {
    static PREFIX: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let prefix = PREFIX.get_or_init(|| {
        let mut bytes = [0u8; 8];
        crate::auth::token_key::fill_random(&mut bytes);
        u64::from_le_bytes(bytes)
    });
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Hex digits are always a valid header value; the fallback only avoids an unwrap.
    HeaderValue::try_from(format!("{prefix:016x}{n:016x}"))
        .unwrap_or_else(|_| HeaderValue::from_static("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ids_are_kept() {
        assert!(is_plain_id("3f2a-9c.1_b"));
        assert!(!is_plain_id(""));
        assert!(!is_plain_id("a b"));
        assert!(!is_plain_id("x\u{7f}"));
        assert!(!is_plain_id(&"a".repeat(65)));
        assert_eq!(new_id().len(), 32);
        assert_ne!(new_id(), new_id());
    }
}
