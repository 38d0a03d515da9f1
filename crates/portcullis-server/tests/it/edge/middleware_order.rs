//! The headers Django's middleware stack adds, in the order it adds them, for the answers each
//! layer can make itself: a CORS preflight (no security headers, no `X-Frame-Options`), a view's
//! answer (every layer's headers), the APPEND_SLASH redirect and the bad-`Host` 400 (no
//! `X-Frame-Options`). The order is what a client reading the raw answer sees, and the oracle
//! transcripts were recorded with it.

use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;

const ORIGIN: &str = "http://localhost:5173";

async fn app() -> TestApp {
    let mut config = Config::default();
    config.cors.allowed_origins = vec![ORIGIN.into()];
    TestApp::with_config(config).await
}

/// The header names in the order they were added, but `Content-Length` (which the server
/// writes where it likes, on the socket) and `Date`.
fn names(res: &Response) -> Vec<&str> {
    res.headers
        .keys()
        .map(|k| k.as_str())
        .filter(|k| *k != "content-length")
        .collect()
}

#[tokio::test]
async fn a_preflight_gets_only_cors_headers() {
    let app = app().await;
    let res = app
        .anon()
        .send(
            "OPTIONS",
            "/api/notes/",
            &[("origin", ORIGIN), ("access-control-request-method", "GET")],
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body, b"");
    assert_eq!(res.header("content-length").as_deref(), Some("0"));
    assert_eq!(
        names(&res),
        [
            "content-type",
            "vary",
            "access-control-allow-origin",
            "access-control-allow-headers",
            "access-control-allow-methods",
            "access-control-max-age",
            "x-request-id",
        ]
    );
    assert_eq!(res.header("vary").as_deref(), Some("origin"));
    assert_eq!(
        res.header("access-control-allow-methods").as_deref(),
        Some("DELETE, GET, OPTIONS, PATCH, POST, PUT")
    );
}

#[tokio::test]
async fn a_views_answer_gets_every_layers_headers_in_djangos_order() {
    let app = app().await;
    let res = app
        .anon()
        .send("GET", "/auth/users/me/", &[("origin", ORIGIN)], None)
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        names(&res),
        [
            "content-type",
            "www-authenticate",
            "allow",
            "vary",
            "x-frame-options",
            "x-content-type-options",
            "referrer-policy",
            "cross-origin-opener-policy",
            "access-control-allow-origin",
            "x-request-id",
        ]
    );
    // The view's `Vary: Accept` first, CORS's `origin` appended to it.
    assert_eq!(res.header("vary").as_deref(), Some("Accept, origin"));
}

#[tokio::test]
async fn common_middlewares_answers_skip_x_frame_options() {
    let app = app().await;
    let redirect = app
        .anon()
        .send(
            "GET",
            "/auth/users/me?a=1",
            &[("origin", "http://evil.example")],
            None,
        )
        .await;
    assert_eq!(redirect.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        redirect.header("location").as_deref(),
        Some("/auth/users/me/?a=1")
    );
    assert_eq!(
        names(&redirect),
        [
            "content-type",
            "location",
            "x-content-type-options",
            "referrer-policy",
            "cross-origin-opener-policy",
            "vary",
            "x-request-id",
        ]
    );
    let bad_host = app
        .anon()
        .send(
            "GET",
            "/auth/users/me/",
            &[("host", "evil.example"), ("origin", ORIGIN)],
            None,
        )
        .await;
    assert_eq!(bad_host.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        names(&bad_host),
        [
            "content-type",
            "x-content-type-options",
            "referrer-policy",
            "cross-origin-opener-policy",
            "vary",
            "access-control-allow-origin",
            "x-request-id",
        ]
    );
}
