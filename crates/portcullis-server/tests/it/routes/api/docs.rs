//! `/api/docs/`: Swagger UI from files embedded in the binary, under the web app's
//! Content-Security-Policy: the page has no inline script, and every script and stylesheet it
//! names is served from here.

use axum::http::StatusCode;

use crate::harness::TestApp;

#[tokio::test]
async fn the_page_and_every_file_it_names_are_served_under_the_csp() {
    let app = TestApp::new().await;
    let page = app.anon().get("/api/docs/").await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(
        !page.text.contains("<script>"),
        "an inline script: {}",
        page.text
    );
    let names: Vec<&str> = page
        .text
        .split(['"', '\''])
        .filter(|s| s.starts_with("/api/docs/"))
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    for name in names {
        let file = app.anon().get(name).await;
        assert_eq!(file.status, StatusCode::OK, "{name}");
        assert!(file.body.len() > 100, "{name} is empty");
        assert!(file.header("content-security-policy").is_some(), "{name}");
    }
    let init = app.anon().get("/api/docs/init.js").await;
    assert!(init.text.contains("/api/schema/"), "{}", init.text);
}

#[tokio::test]
async fn an_unknown_file_is_a_404() {
    let app = TestApp::new().await;
    let missing = app.anon().get("/api/docs/petstore.yaml").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
