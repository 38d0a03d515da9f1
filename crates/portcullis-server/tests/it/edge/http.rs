//! The edge every request crosses before a view: allowed hosts, Django's security headers,
//! APPEND_SLASH redirects, the JSON 404, and DRF's steps in DRF's order — negotiation (406),
//! authentication (every `Authorization` form with DRF's message), permissions (401), then the
//! method (405) — with HEAD and OPTIONS answered as DRF answers them.

use crate::harness::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

const ME: &str = "/auth/users/me/";

fn assert_security_headers(res: &Response) {
    assert_eq!(
        res.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(
        res.header("referrer-policy").as_deref(),
        Some("same-origin")
    );
    assert_eq!(
        res.header("cross-origin-opener-policy").as_deref(),
        Some("same-origin")
    );
}

#[tokio::test]
async fn allowed_hosts_as_django_checks_them() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let auth = format!("Token {}", alice.token);
    for host in [
        "localhost",
        "localhost:9999",
        "LOCALHOST.",
        "127.0.0.1:8000",
        "[::1]:80",
    ] {
        let res = app
            .anon()
            .send("GET", ME, &[("host", host), ("authorization", &auth)], None)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{host}");
    }
    let bad_hosts: [&[u8]; 5] = [
        b"evil.example",
        b"localhost:abc",
        b"local host",
        b"",
        b"l\xf6calhost",
    ];
    for host in bad_hosts {
        let headers: &[(&str, &[u8])] = &[("host", host), ("authorization", auth.as_bytes())];
        let res = app.anon().raw("GET", ME, headers, "").await;
        let shown = String::from_utf8_lossy(host);
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{shown}");
        assert_eq!(res.json, json!({ "detail": "Invalid host header." }));
        assert_eq!(res.header("allow"), None);
        assert_eq!(res.header("x-frame-options"), None);
        assert_security_headers(&res);
    }
    // Refused before anything else: no login happens for a bad host.
    let body = json!({ "username": "alice", "password": PASSWORD });
    let res = app
        .anon()
        .send(
            "POST",
            "/api-token-auth/",
            &[("host", "evil.example")],
            Some(body),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!({ "detail": "Invalid host header." }));

    // An HTTP/1.0 client may send no Host at all.
    let request = Request::get(ME)
        .header("authorization", &auth)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::OK);
}

#[tokio::test]
async fn every_response_carries_djangos_security_headers() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    for res in [
        alice.get(ME).await,
        app.anon().get(ME).await,
        app.anon().get("/nope/").await,
        app.anon()
            .send("DELETE", "/api-token-auth/", &[], None)
            .await,
    ] {
        assert_security_headers(&res);
        assert_eq!(res.header("x-frame-options").as_deref(), Some("DENY"));
    }
}

#[tokio::test]
async fn unknown_urls_get_a_json_404() {
    let app = TestApp::new().await;
    for path in [
        "/nope/",
        "/auth/nothing",
        "/auth/users/1/extra/",
        "//auth/users/",
    ] {
        let res = app.anon().get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(res.json, json!({ "detail": "Not found." }), "{path}");
        assert_eq!(
            res.header("content-type").as_deref(),
            Some("application/json")
        );
        assert_eq!(res.header("allow"), None);
    }
}

#[tokio::test]
async fn append_slash_redirects_before_authentication() {
    let app = TestApp::new().await;
    for (method, path, location) in [
        ("GET", "/auth/users/me", "/auth/users/me/"),
        ("POST", "/api-token-auth", "/api-token-auth/"),
        ("POST", "/auth/users", "/auth/users/"),
        (
            "GET",
            "/auth/users?page=2&x=%20y",
            "/auth/users/?page=2&x=%20y",
        ),
        ("DELETE", "/auth/users/42", "/auth/users/42/"),
        (
            "POST",
            "/auth/users/set_password",
            "/auth/users/set_password/",
        ),
    ] {
        let res = app
            .anon()
            .send(method, path, &[("authorization", "Token bad")], None)
            .await;
        assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY, "{method} {path}");
        assert_eq!(res.header("location").as_deref(), Some(location));
        assert_eq!(
            res.header("content-type").as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert!(res.body.is_empty());
        // The redirect is CommonMiddleware's: XFrameOptionsMiddleware sits inside it.
        assert_eq!(res.header("x-frame-options"), None);
    }
}

#[tokio::test]
async fn every_malformed_authorization_header_gets_drfs_message() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let token = &alice.token;
    let ok = [
        format!("Token {token}"),
        format!("token {token}"),
        format!("TOKEN {token}"),
        format!("Token  {token}"),
        format!("Token\t{token}"),
        format!("Token {token} "),
    ];
    for header in &ok {
        let res = app
            .anon()
            .send("GET", ME, &[("authorization", header)], None)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{header:?}");
    }

    let no_credentials = "Authentication credentials were not provided.";
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            b"Token".to_vec(),
            "Invalid token header. No credentials provided.",
        ),
        (
            b"Token   ".to_vec(),
            "Invalid token header. No credentials provided.",
        ),
        (
            b"Token a b".to_vec(),
            "Invalid token header. Token string should not contain spaces.",
        ),
        (
            format!("Token {token} extra").into_bytes(),
            "Invalid token header. Token string should not contain spaces.",
        ),
        (
            b"Token \xe9t\xe9".to_vec(),
            "Invalid token header. Token string should not contain invalid characters.",
        ),
        (b"Token bad".to_vec(), "Invalid token."),
        (
            b"Token 0000000000000000000000000000000000000000".to_vec(),
            "Invalid token.",
        ),
        (format!("Token {token}0").into_bytes(), "Invalid token."),
        (
            format!("Token {}", alice.token.to_uppercase()).into_bytes(),
            "Invalid token.",
        ),
        (b"Token \xc3\xa9".to_vec(), "Invalid token."),
        // Not the Token scheme: anonymous, so the view's permission check answers.
        (b"".to_vec(), no_credentials),
        (b"Basic dXNlcjpwYXNz".to_vec(), no_credentials),
        (format!("Token{token}").into_bytes(), no_credentials),
        (b"Foo bar".to_vec(), no_credentials),
        (b"T\xf6ken abc".to_vec(), no_credentials),
    ];
    for (header, detail) in cases {
        let res = app
            .anon()
            .raw("GET", ME, &[("authorization", &header)], "")
            .await;
        let shown = String::from_utf8_lossy(&header);
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{shown:?}");
        assert_eq!(res.json, json!({ "detail": detail }), "{shown:?}");
        assert_eq!(res.header("www-authenticate").as_deref(), Some("Token"));
        assert_eq!(res.header("allow").as_deref(), Some(ALLOW_DETAIL));
        assert_eq!(res.vary().as_deref(), Some("accept, origin"));
    }

    // A token in the query string is never read.
    let res = app.anon().get(&format!("{ME}?token={token}")).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, json!({ "detail": no_credentials }));
}

#[tokio::test]
async fn drf_steps_run_in_drfs_order() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let bad = [
        ("authorization", "Token bad"),
        ("accept", "application/xml"),
    ];

    // 406 before 401: negotiation comes first.
    let res = app.anon().send("GET", ME, &bad, None).await;
    assert_eq!(res.status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(
        res.json,
        json!({ "detail": "Could not satisfy the request Accept header." })
    );
    assert_eq!(res.header("www-authenticate"), None);
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_DETAIL));

    // 401 before 405: a method the view lacks is only reported to a permitted user.
    let res = app.anon().send("DELETE", "/auth/users/", &[], None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let res = alice.delete("/auth/users/").await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        res.json,
        json!({ "detail": "Method \"DELETE\" not allowed." })
    );
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_LIST));
    let res = alice.call("FOO", ME, None).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.json, json!({ "detail": "Method \"FOO\" not allowed." }));
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_DETAIL));
}

#[tokio::test]
async fn content_negotiation() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let auth = format!("Token {}", alice.token);
    for accept in [
        "application/json",
        "*/*",
        "text/html",
        "text/*, application/*;q=0.5",
    ] {
        let res = app
            .anon()
            .send(
                "GET",
                ME,
                &[("authorization", &auth), ("accept", accept)],
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{accept}");
        assert_eq!(
            res.header("content-type").as_deref(),
            Some("application/json")
        );
    }
    for accept in ["application/xml", "", "image/png"] {
        let res = app
            .anon()
            .send(
                "GET",
                ME,
                &[("authorization", &auth), ("accept", accept)],
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_ACCEPTABLE, "{accept:?}");
    }
    let headers: &[(&str, &[u8])] = &[("authorization", auth.as_bytes()), ("accept", b"text/\xe9")];
    let res = app.anon().raw("GET", ME, headers, "").await;
    assert_eq!(res.status, StatusCode::NOT_ACCEPTABLE);

    assert_eq!(
        alice.get("/auth/users/me/?format=json").await.status,
        StatusCode::OK
    );
    let res = alice.get("/auth/users/me/?format=xml").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.json, json!({ "detail": "Not found." }));
    // The token endpoint has no browsable API, so `?format=api` is unknown there.
    let res = app
        .anon()
        .send("POST", "/api-token-auth/?format=api", &[], Some(json!({})))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn head_follows_get_without_a_body() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let get = alice.get("/auth/users/").await;
    let head = alice.call("HEAD", "/auth/users/", None).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(head.header("allow"), get.header("allow"));
    assert_eq!(head.header("content-type"), get.header("content-type"));

    let anonymous = app.anon().send("HEAD", ME, &[], None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.body.is_empty());
    assert_eq!(
        anonymous.header("www-authenticate").as_deref(),
        Some("Token")
    );

    // A view without GET has no HEAD either.
    let res = app.anon().send("HEAD", "/api-token-auth/", &[], None).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(res.body.is_empty());
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_POST));
}

#[tokio::test]
async fn options_needs_the_views_permission() {
    let app = TestApp::new().await;
    let res = app
        .anon()
        .send("OPTIONS", "/auth/users/set_password/", &[], None)
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_POST));

    let alice = app.user("alice").await;
    let res = alice
        .call("OPTIONS", "/auth/users/set_password/", None)
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json["name"], json!("Set password"));
    assert_eq!(
        res.json["renders"],
        json!(["application/json", "text/html"])
    );
    let res = app
        .anon()
        .send("OPTIONS", "/auth/token/logout/", &[], None)
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

/// Every answer carries the id of its request's log span; a proxy's plain id is kept, anything
/// else is replaced (it would be written into the logs).
#[tokio::test]
async fn every_answer_names_its_request_id() {
    let app = TestApp::new().await;
    let first = app.anon().get("/auth/users/me/").await;
    let second = app.anon().get("/no/such/url/").await;
    let ids: Vec<String> = [&first, &second]
        .iter()
        .map(|r| r.header("x-request-id").expect("an X-Request-Id"))
        .collect();
    for id in &ids {
        assert!(
            id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{id}"
        );
    }
    assert_ne!(ids[0], ids[1]);
    let kept = app
        .anon()
        .send(
            "GET",
            "/auth/users/me/",
            &[("x-request-id", "lb-7f3a.1")],
            None,
        )
        .await;
    assert_eq!(kept.header("x-request-id").as_deref(), Some("lb-7f3a.1"));
    let replaced = app
        .anon()
        .send(
            "GET",
            "/auth/users/me/",
            &[("x-request-id", "a b\tc")],
            None,
        )
        .await;
    let id = replaced.header("x-request-id").expect("an X-Request-Id");
    assert_eq!(id.len(), 32, "{id}");
}
