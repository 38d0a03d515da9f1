//! The web app, the staff console and the JavaScript client, embedded in the binary
//! (`web/` and `clients/js/` at the workspace root) and served with their content types, an
//! `ETag` with `Cache-Control` (HTML revalidates every time, assets may be cached briefly), and
//! a Content-Security-Policy that allows nothing from other origins.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any};
use rust_embed::RustEmbed;

use crate::http::ApiError;
use crate::http::routing::Routes;
use crate::state::AppState;

#[derive(RustEmbed)]
#[folder = "../../web/"]
#[exclude = "*.md"]
struct WebAssets;

#[derive(RustEmbed)]
#[folder = "../../clients/js/"]
#[include = "portcullis.js"]
#[include = "portcullis.d.ts"]
struct ClientAssets;

/// Pages may load scripts, styles, images and fonts from this origin only, and talk to this
/// origin only; no page may frame them.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The web app's URLs, for the layout's conflict check.
pub(crate) const PATHS: [&str; 4] = ["/", "/admin/", "/static/{*path}", "/client/{file}"];

/// Whether `path` is one of the web app's (pages, assets, the client and its settings): answered
/// from the binary and the configuration, they are served while the database is away.
pub(crate) fn reads_no_database(path: &str) -> bool {
    PATHS
        .iter()
        .chain(&crate::openapi::serve::PATHS)
        .any(|route| match route.split_once('{') {
            Some((prefix, _)) => path.starts_with(prefix),
            None => path == *route,
        })
}

pub(crate) fn routes(r: Routes) -> Routes {
    let [app, admin, assets, client] = PATHS;
    r.route(app, page("app/index.html"))
        .route(admin, page("admin/index.html"))
        .route(
            assets,
            any(|Path(path): Path<String>, request: Request| async move {
                serve(WebAssets::get(&path), &path, request)
            }),
        )
        .route(
            client,
            any(
                |State(state): State<AppState>, Path(file): Path<String>, request: Request| async move {
                    if file == "settings.json" {
                        return settings(&state, request);
                    }
                    serve(ClientAssets::get(&file), &file, request)
                },
            ),
        )
}

fn page(file: &'static str) -> MethodRouter<AppState> {
    any(move |request: Request| async move { serve(WebAssets::get(file), file, request) })
}

/// `/client/settings.json`, built from the configuration (see [`crate::web_settings`]); never
/// cached, so that a restarted server's new settings are read by the next page load.
fn settings(state: &AppState, request: Request) -> Response {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        let mut response = ApiError::MethodNotAllowed(method.as_str().to_string()).into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let body = crate::web_settings::settings(state.config()).to_string();
    let mut response = Response::new(if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(body)
    });
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "ts" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn serve(file: Option<rust_embed::EmbeddedFile>, path: &str, request: Request) -> Response {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        let mut response = ApiError::MethodNotAllowed(method.as_str().to_string()).into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Some(file) = file else {
        return ApiError::not_found().into_response();
    };
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
    let html = path.ends_with(".html");
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    let cache = if html {
        "no-cache"
    } else {
        "public, max-age=300, must-revalidate"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    let fresh = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let (status, body) = if fresh {
        (StatusCode::NOT_MODIFIED, Body::empty())
    } else if method == Method::HEAD {
        (StatusCode::OK, Body::empty())
    } else {
        (StatusCode::OK, Body::from(file.data.into_owned()))
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}
