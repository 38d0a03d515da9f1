//! The embedded web app, console and JavaScript client: content types, the same-origin
//! Content-Security-Policy, revalidation with `ETag`/`If-None-Match`, and DRF-shaped errors for
//! what is not there or not allowed.

use crate::harness::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};

fn get(path: &str, etag: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder().uri(path).header("Host", "localhost");
    if let Some(etag) = etag {
        builder = builder.header("If-None-Match", etag);
    }
    builder.body(Body::empty()).expect("request")
}

#[tokio::test]
async fn pages_and_scripts_have_their_types_and_a_strict_policy() {
    let app = TestApp::new().await;
    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/admin/", "text/html; charset=utf-8"),
        ("/static/app/app.js", "text/javascript; charset=utf-8"),
        ("/static/app/app.css", "text/css; charset=utf-8"),
        ("/client/portcullis.js", "text/javascript; charset=utf-8"),
    ] {
        let res = app.send(get(path, None)).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_eq!(res.header("content-type").as_deref(), Some(kind), "{path}");
        let csp = res.header("content-security-policy").expect("a CSP");
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert!(!res.body.is_empty(), "{path}");
    }
    let page = app.send(get("/", None)).await;
    assert_eq!(page.header("cache-control").as_deref(), Some("no-cache"));
    let script = app.send(get("/static/app/app.js", None)).await;
    assert!(
        script
            .header("cache-control")
            .expect("cached")
            .starts_with("public, max-age=")
    );
}

#[tokio::test]
async fn an_unchanged_file_is_a_304_without_a_body() {
    let app = TestApp::new().await;
    let first = app.send(get("/client/portcullis.js", None)).await;
    let etag = first.header("etag").expect("an ETag");
    let again = app.send(get("/client/portcullis.js", Some(&etag))).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let stale = app
        .send(get("/client/portcullis.js", Some("\"other\"")))
        .await;
    assert_eq!(stale.status, StatusCode::OK);
}

#[tokio::test]
async fn missing_files_and_other_methods_get_drf_shaped_errors() {
    let app = TestApp::new().await;
    let missing = app.send(get("/static/app/nope.js", None)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.detail(), "Not found.");
    // Only the files the client needs are served from clients/js, not the package manifest.
    let manifest = app.send(get("/client/package.json", None)).await;
    assert_eq!(manifest.status, StatusCode::NOT_FOUND);
    let post = Request::builder()
        .method("POST")
        .uri("/")
        .header("Host", "localhost")
        .body(Body::empty())
        .expect("request");
    let res = app.send(post).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.header("allow").as_deref(), Some("GET, HEAD"));
    assert_eq!(res.detail(), "Method \"POST\" not allowed.");
}
