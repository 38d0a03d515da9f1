//! Who may use `/api/admin/…`: DRF's `IsAdminUser` on every endpoint (anonymous 401 with the
//! token challenge, authenticated non-staff 403 — before a 404 or a 405 could tell anything),
//! JSON bodies only, and DRF's `Allow` headers.

use crate::harness::admin::{AdminApp, DENIED, NOT_PROVIDED};
use axum::body::Body;
use axum::http::{Request, StatusCode};

/// Every admin endpoint, with a method it serves.
const ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/api/admin/users/"),
    ("POST", "/api/admin/users/"),
    ("GET", "/api/admin/users/1/"),
    ("PATCH", "/api/admin/users/1/"),
    ("DELETE", "/api/admin/users/1/"),
    ("POST", "/api/admin/users/1/set_password/"),
    ("GET", "/api/admin/users/1/sessions/"),
    ("POST", "/api/admin/users/1/revoke/"),
    ("GET", "/api/admin/groups/"),
    ("POST", "/api/admin/groups/"),
    ("GET", "/api/admin/groups/1/"),
    ("PATCH", "/api/admin/groups/1/"),
    ("DELETE", "/api/admin/groups/1/"),
    ("GET", "/api/admin/permissions/"),
    ("GET", "/api/admin/resources/"),
    ("GET", "/api/admin/audit/"),
];

#[tokio::test]
async fn anonymous_requests_get_401_with_the_token_challenge() {
    let app = AdminApp::new().await;
    app.superuser("admin").await;
    for (method, path) in ENDPOINTS {
        let reply = app.anon().call(method, path, None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(reply.detail(), NOT_PROVIDED, "{method} {path}");
        assert_eq!(
            reply.header("www-authenticate").as_deref(),
            Some("Token"),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn a_bad_token_is_refused_before_anything_else() {
    let app = AdminApp::new().await;
    let reply = app
        .authorized("Token 0123456789abcdef0123456789abcdef01234567")
        .get("/api/admin/users/")
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.detail(), "Invalid token.");
}

#[tokio::test]
async fn authenticated_non_staff_users_get_403_everywhere() {
    let app = AdminApp::new().await;
    let ann = app.user("ann").await;
    let id = ann.id;
    for (method, path) in ENDPOINTS {
        let path = path.replace("/1/", &format!("/{id}/"));
        let reply = ann.call(method, &path, None).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(reply.detail(), DENIED, "{method} {path}");
    }
    // A missing id is still a 403, not a 404 that would say which ids exist.
    let reply = ann.get("/api/admin/users/999/").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // And so is a method the view lacks: permissions come before the 405.
    let reply = ann.call("PUT", "/api/admin/users/1/", None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn staff_get_in_and_views_answer_as_drf_views() {
    let app = AdminApp::new().await;
    let clerk = app.staff("clerk").await;
    let reply = clerk.get("/api/admin/users/").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.header("allow").as_deref(),
        Some("GET, HEAD, OPTIONS, POST")
    );
    let reply = clerk.call("PUT", "/api/admin/users/1/", None).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.detail(), "Method \"PUT\" not allowed.");
    assert_eq!(
        reply.header("allow").as_deref(),
        Some("DELETE, GET, HEAD, OPTIONS, PATCH")
    );
    let reply = clerk.call("OPTIONS", "/api/admin/groups/", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json["name"], "Admin Group List");
    assert_eq!(
        reply.json["parses"],
        serde_json::json!(["application/json"])
    );
    // Without the slash: Django's APPEND_SLASH redirect.
    let reply = clerk.get("/api/admin/users").await;
    assert_eq!(reply.status, StatusCode::MOVED_PERMANENTLY);
}

#[tokio::test]
async fn bodies_are_json_only() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let request = Request::builder()
        .method("POST")
        .uri("/api/admin/groups/")
        .header("host", "localhost")
        .header("authorization", format!("Token {}", admin.token))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("name=editors"))
        .expect("a request");
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        reply.detail(),
        "Unsupported media type \"application/x-www-form-urlencoded\" in request."
    );
    let reply = admin
        .post("/api/admin/groups/", serde_json::json!(["x"]))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json["non_field_errors"][0],
        "Invalid data. Expected a dictionary, but got list."
    );
}

#[tokio::test]
async fn a_deactivated_staff_token_stops_working_on_the_next_request() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let clerk = app.staff("clerk").await;
    let clerk_id = clerk.id;
    assert_eq!(clerk.get("/api/admin/users/").await.status, StatusCode::OK);
    let reply = admin
        .patch(
            &format!("/api/admin/users/{clerk_id}/"),
            serde_json::json!({"is_active": false}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = clerk.get("/api/admin/users/").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}
