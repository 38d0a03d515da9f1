//! `CommonMiddleware`: the allowed-hosts check and the query string's field cap before anything
//! else, and APPEND_SLASH when no route matched.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::http::ApiError;
use crate::http::request::latin1;
use crate::http::routing::{NoRoute, RouteTable};
use crate::state::AppState;

/// The 400 for a request refused before routing, if it is.
pub(super) fn refuse(state: &AppState, request: &Request) -> Option<Response> {
    if let Some(host) = request.headers().get(header::HOST)
        && !state.allowed_hosts().allows(&latin1(host.as_bytes()))
        // Probes address an instance by its own address (a container's IP), which is rarely an
        // allowed host, and build no link from it. Not /metrics: the host check is what keeps
        // a page that rebinds its name to 127.0.0.1 from reading it as a loopback client.
        && !state.config().operations.is_probe(request.uri().path())
    {
        // Django answers with an HTML "Bad Request (400)" page; Portcullis keeps DRF's JSON
        // shape and does not echo the rejected host.
        return Some(ApiError::ParseError("Invalid host header.".into()).into_response());
    }
    // Django reads the query string lazily but refuses it whole past
    // DATA_UPLOAD_MAX_NUMBER_FIELDS whatever the view; checked before anything decodes it.
    if let Some(query) = request.uri().query()
        && crate::http::body::too_many_fields(query.as_bytes(), state.config().limits.max_fields)
    {
        return Some(
            ApiError::ParseError(crate::http::body::TOO_MANY_FIELDS.into()).into_response(),
        );
    }
    None
}

/// The response, or APPEND_SLASH's redirect in place of an unmatched URL's 404 when the URL
/// with a slash would match.
pub(super) fn append_slash(table: &RouteTable, uri: &Uri, response: Response) -> Response {
    let path = uri.path();
    if response.extensions().get::<NoRoute>().is_some() && should_append_slash(table, path) {
        return redirect_with_slash(path, uri.query());
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
