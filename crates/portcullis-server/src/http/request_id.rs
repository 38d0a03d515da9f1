//! The request span: every request runs inside a `tracing` span with its id, method, matched
//! route and (once authenticated) user, so that every log line it causes can be tied to it, and
//! the id goes back to the client in `X-Request-Id` for bug reports. An id set by a proxy in
//! front is kept when it is a plain token; anything else is replaced, so a client cannot write
//! arbitrary text into the logs.

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header carrying the id, both ways.
pub(crate) const HEADER: &str = "x-request-id";

/// The longest incoming id that is kept.
const MAX_LEN: usize = 64;

pub(crate) async fn request_span(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_plain_id(v))
        .map_or_else(new_id, str::to_string);
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("-", MatchedPath::as_str)
        .to_string();
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        route = %route,
        user = tracing::field::Empty,
        auth = tracing::field::Empty,
    );
    let mut response = next.run(request).instrument(span).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
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
fn new_id() -> String {
    static PREFIX: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let prefix = PREFIX.get_or_init(|| {
        let mut bytes = [0u8; 8];
        crate::auth::token_key::fill_random(&mut bytes);
        u64::from_le_bytes(bytes)
    });
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{prefix:016x}{n:016x}")
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
