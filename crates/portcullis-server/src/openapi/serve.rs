//! `/api/schema/` (drf-spectacular's `SpectacularAPIView`: YAML by default, JSON for
//! `?format=json` or an `Accept` asking for it; anyone may read it) and Swagger UI at
//! `/api/docs/`, from the swagger-ui files the `swagger-ui-dist` crate embeds in the binary,
//! with a page and an init script of Portcullis's own so that no script is inline (the page is
//! served under the same Content-Security-Policy as the web app).
//!
//! The document is built on the first request and kept: the configuration does not change
//! while the server runs.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any};
use tower::ServiceExt;

use super::Format;
use crate::http::ApiError;
use crate::http::routing::Routes;
use crate::state::AppState;

/// The URLs served here, for the layout's conflict check.
pub(crate) const PATHS: [&str; 3] = ["/api/schema/", "/api/docs/", "/api/docs/{asset}"];

const INDEX: &str = include_str!("ui/index.html");
const INIT: &str = include_str!("ui/init.js");

/// The document in both formats, built once.
#[derive(Default)]
struct Rendered {
    cell: OnceLock<(String, String)>,
}

pub(crate) fn routes(r: Routes) -> Routes {
    let [schema, docs, asset] = PATHS;
    let rendered = Arc::new(Rendered::default());
    r.route(
        schema,
        any(move |State(state): State<AppState>, request: Request| {
            let rendered = Arc::clone(&rendered);
            async move { serve_schema(&state, &rendered, &request) }
        }),
    )
    .route(docs, file_route(None))
    .route(asset, file_route(Some(())))
}

/// The UI's page (`asset` is `None`) or one of its files.
fn file_route(asset: Option<()>) -> MethodRouter<AppState> {
    any(
        move |path: Option<Path<String>>, request: Request| async move {
            if let Some(refused) = refuse_method(request.method()) {
                return refused;
            }
            let name = match (asset, path) {
                (None, _) => "index.html".to_string(),
                (Some(()), Some(Path(name))) => name,
                (Some(()), None) => return ApiError::not_found().into_response(),
            };
            asset_response(&name, request.method() == Method::HEAD).await
        },
    )
}

/// 405 for anything but GET and HEAD.
fn refuse_method(method: &Method) -> Option<Response> {
    if method == Method::GET || method == Method::HEAD {
        return None;
    }
    let mut response = ApiError::MethodNotAllowed(method.as_str().to_string()).into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    Some(response)
}

fn serve_schema(state: &AppState, rendered: &Rendered, request: &Request) -> Response {
    if let Some(refused) = refuse_method(request.method()) {
        return refused;
    }
    let (yaml, json) = rendered.cell.get_or_init(|| {
        let render = |format| {
            super::render(state.config(), state.schema(), format).unwrap_or_else(|e| {
                tracing::error!(error = %e, "the OpenAPI document could not be written");
                String::new()
            })
        };
        (render(Format::Yaml), render(Format::Json))
    });
    let (body, content_type) = match negotiate(request) {
        Wanted::Yaml => (yaml, "application/vnd.oai.openapi; charset=utf-8"),
        Wanted::OaiJson => (json, "application/vnd.oai.openapi+json"),
        Wanted::Json => (json, "application/json"),
    };
    let mut response = Response::new(if request.method() == Method::HEAD {
        Body::empty()
    } else {
        Body::from(body.clone())
    });
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

enum Wanted {
    Yaml,
    OaiJson,
    Json,
}

/// `?format=json|yaml` first, then the first media type of `Accept` that names one.
fn negotiate(request: &Request) -> Wanted {
    let query = request.uri().query().unwrap_or("");
    let format = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.into_owned());
    match format.as_deref() {
        Some("json" | "openapi-json") => return Wanted::Json,
        Some("yaml" | "openapi") => return Wanted::Yaml,
        _ => {}
    }
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    for media in accept.split(',') {
        match media.split(';').next().unwrap_or("").trim() {
            "application/vnd.oai.openapi+json" => return Wanted::OaiJson,
            "application/json" => return Wanted::Json,
            "application/vnd.oai.openapi" | "application/yaml" => return Wanted::Yaml,
            _ => {}
        }
    }
    Wanted::Yaml
}

/// One of the UI's files, with the web app's Content-Security-Policy.
async fn asset_response(name: &str, head: bool) -> Response {
    let (body, content_type): (Body, &str) = match name {
        "index.html" => (Body::from(INDEX), "text/html; charset=utf-8"),
        "init.js" => (Body::from(INIT), "text/javascript; charset=utf-8"),
        "swagger-ui-bundle.js" => (dist(name).await, "text/javascript; charset=utf-8"),
        "swagger-ui.css" => (dist(name).await, "text/css; charset=utf-8"),
        _ => return ApiError::not_found().into_response(),
    };
    let mut response = Response::new(if head { Body::empty() } else { body });
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let cache = if name.ends_with(".html") {
        "no-cache"
    } else {
        "public, max-age=300, must-revalidate"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::web::CONTENT_SECURITY_POLICY),
    );
    response
}

/// A file of swagger-ui's distribution, as the `swagger-ui-dist` crate serves it (it offers its
/// files only as routes, whose index page has an inline script: only the files are asked for).
async fn dist(name: &str) -> Body {
    static ROUTER: OnceLock<axum::Router> = OnceLock::new();
    let router = ROUTER.get_or_init(|| {
        swagger_ui_dist::generate_routes(swagger_ui_dist::ApiDefinition {
            uri_prefix: "/dist",
            api_definition: swagger_ui_dist::OpenApiSource::Uri("/api/schema/"),
            title: None,
        })
    });
    let request = axum::http::Request::get(format!("/dist/{name}")).body(Body::empty());
    let Ok(request) = request else {
        return Body::empty();
    };
    match router.clone().oneshot(request).await {
        Ok(response) => response.into_body(),
        Err(never) => match never {},
    }
}
