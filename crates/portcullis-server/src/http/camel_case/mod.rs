//! djangorestframework-camel-case on the wire: `CamelCaseJSONRenderer` camelizes the keys of
//! every JSON body a view renders (errors and OPTIONS metadata included), and the camel parsers
//! underscoreize the keys of JSON, form and multipart input before the view reads it. Both are
//! applied once, at the edge ([`super::dispatch`] and [`super::request`]), so no endpoint has
//! code of its own for them, and nothing runs for a project without the camel classes.

pub(crate) mod keys;
pub(crate) mod parse;
pub(crate) mod render;

#[cfg(test)]
mod tests;

use axum::body::Body;
use axum::http::header;
use axum::response::Response;

use crate::config::CamelCaseConfig;

/// `CamelCaseJSONRenderer` over a view's response: a JSON body gets its keys camelized; any
/// other body (a 204, HTML) is left alone.
pub(crate) async fn camelize_response(response: Response, options: &CamelCaseConfig) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Views answer with bodies already in memory; reading one back costs no wait.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let body = match render::camelize_json(&bytes, options) {
        Some(camel) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(camel)
        }
        None => Body::from(bytes),
    };
    Response::from_parts(parts, body)
}
