//! The response headers Django's middleware adds: `SecurityMiddleware`'s defaults,
//! `XFrameOptionsMiddleware`'s `DENY`, and `patch_vary_headers` for the steps that vary.

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;

const CROSS_ORIGIN_OPENER_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-opener-policy");

/// `SecurityMiddleware` with Django's defaults, each unless the response set its own.
pub(super) fn security(response: &mut Response) {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (CROSS_ORIGIN_OPENER_POLICY, "same-origin"),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}

/// `XFrameOptionsMiddleware`: `DENY` unless the response set its own.
pub(super) fn x_frame_options(response: &mut Response) {
    if !response.headers().contains_key(header::X_FRAME_OPTIONS) {
        response
            .headers_mut()
            .insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
}

/// Django's `patch_vary_headers`: add `value` unless already listed (case-insensitively).
pub(crate) fn add_vary(headers: &mut HeaderMap, value: &'static str) {
    if !headers.contains_key(header::VARY) {
        // The common case, without collecting an empty list first.
        headers.insert(header::VARY, HeaderValue::from_static(value));
        return;
    }
    let existing: Vec<String> = headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    if existing
        .iter()
        .any(|v| v == "*" || v.eq_ignore_ascii_case(value))
    {
        return;
    }
    let mut all = existing;
    all.push(value.to_string());
    if let Ok(v) = HeaderValue::from_str(&all.join(", ")) {
        headers.insert(header::VARY, v);
    }
}
