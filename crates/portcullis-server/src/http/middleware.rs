//! The Django middleware stack the peers' clients observe, in the oracle's order:
//! `CorsMiddleware` → `SecurityMiddleware` → `CommonMiddleware` (allowed hosts, APPEND_SLASH) →
//! `XFrameOptionsMiddleware` → the view. Responses made by an outer layer skip the inner layers'
//! headers exactly as in Django: a CORS preflight carries no security headers, and the 400 for a
//! bad `Host` or the APPEND_SLASH redirect carry no `X-Frame-Options`. A panic anywhere below
//! becomes DRF's JSON 500 instead of a dropped connection (`catch_panic`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::task::Poll;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};

use super::ApiError;
use super::request::latin1;
use super::routing::{NoRoute, RouteTable};
use crate::state::AppState;

/// Wrap the routes in the middleware stack. Panics are caught twice: next to the views, so
/// that the 500 gets the headers of the layers above as any response does (as Django turns a
/// view's exception into a response inside its middleware), and outermost, for a panic in a
/// layer itself.
pub fn wrap(routes: Router<AppState>, table: RouteTable, state: AppState) -> Router {
    let deadline = std::time::Duration::from_secs(state.config().limits.request_timeout_secs);
    routes
        .layer(from_fn_with_state(state.clone(), super::outage::layer))
        .layer(from_fn(catch_panic))
        .layer(from_fn_with_state(
            deadline,
            super::limits::request_deadline,
        ))
        .layer(from_fn(x_frame_options))
        .layer(from_fn_with_state((state.clone(), table), common))
        .layer(from_fn(security_headers))
        .layer(from_fn_with_state(state.clone(), super::cors::layer))
        .layer(from_fn(catch_panic))
        .layer(from_fn(super::request_id::request_span))
        .with_state(state)
}

/// The last line of defence: a panic while handling a request is logged and answered as DRF's
/// generic 500 (`{"detail": "A server error occurred."}`), instead of unwinding into the
/// connection's task, which would drop the connection without an answer. Checked conversions
/// of request data are the first line; this only keeps a missed one from costing the client
/// its connection.
pub async fn catch_panic(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let mut inner = std::pin::pin!(next.run(request));
    // The future is dropped once it has panicked and never polled again, so nothing can
    // observe state that the panic left half-updated through it.
    let outcome = std::future::poll_fn(|cx| {
        match catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll(cx))) {
            Ok(Poll::Ready(response)) => Poll::Ready(Ok(response)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(payload)),
        }
    })
    .await;
    outcome.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|m| (*m).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a non-text panic payload".into());
        let path = uri.path();
        ApiError::internal(anyhow::anyhow!("panic in {method} {path}: {message}")).into_response()
    })
}

/// Django's `patch_vary_headers`: add `value` unless already listed (case-insensitively).
pub(crate) fn add_vary(headers: &mut HeaderMap, value: &str) {
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

/// `SecurityMiddleware` with Django's defaults.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("cross-origin-opener-policy", "same-origin"),
    ] {
        if !headers.contains_key(name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

/// `XFrameOptionsMiddleware`: `DENY` unless the response set its own.
async fn x_frame_options(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !response.headers().contains_key(header::X_FRAME_OPTIONS) {
        response
            .headers_mut()
            .insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

/// `CommonMiddleware`: the allowed-hosts check before anything else, and APPEND_SLASH when no
/// route matched.
async fn common(
    State((state, table)): State<(AppState, RouteTable)>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(host) = request.headers().get(header::HOST)
        && !state.allowed_hosts().allows(&latin1(host.as_bytes()))
    {
        // Django answers with an HTML "Bad Request (400)" page; Portcullis keeps DRF's JSON
        // shape and does not echo the rejected host.
        return ApiError::ParseError("Invalid host header.".into()).into_response();
    }
    // Django reads the query string lazily but refuses it whole past DATA_UPLOAD_MAX_NUMBER_FIELDS
    // whatever the view; checked before anything decodes it.
    if let Some(query) = request.uri().query()
        && super::body::too_many_fields(query.as_bytes(), state.config().limits.max_fields)
    {
        return ApiError::ParseError(super::body::TOO_MANY_FIELDS.into()).into_response();
    }
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let response = next.run(request).await;
    if response.extensions().get::<NoRoute>().is_some() && should_append_slash(&table, &path) {
        return redirect_with_slash(&path, query.as_deref());
    }
    response
}

fn should_append_slash(table: &RouteTable, path: &str) -> bool {
    !path.ends_with('/') && table.matches(&format!("{path}/"))
}

/// Django's `HttpResponsePermanentRedirect(request.get_full_path_with_slash())`.
fn redirect_with_slash(path: &str, query: Option<&str>) -> Response {
    // Django's escape_leading_slashes: "//evil.com" must not become a protocol-relative URL.
    let mut location = format!("{path}/");
    if location.starts_with("//") {
        location = format!("/%2F{}", &location[2..]);
    }
    if let Some(q) = query {
        location = format!("{location}?{q}");
    }
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, v);
    }
    response
}
