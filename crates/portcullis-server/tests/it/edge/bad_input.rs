//! Bad input never crashes a request and never changes what is stored: every accounts endpoint
//! that reads a body gets malformed JSON, the wrong JSON types, non-UTF-8 bytes, deep nesting,
//! bodies over `max_body_bytes` and unknown fields, and must answer a 4xx in DRF's shape while the
//! user, its password and its token stay exactly as they were.
#![allow(clippy::unwrap_used)]

use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use serde_json::{Value, json};

/// Every endpoint that parses a body, with the method it takes.
const ENDPOINTS: &[(&str, &str)] = &[
    ("POST", "/api-token-auth/"),
    ("POST", "/auth/token/login/"),
    ("POST", "/auth/users/"),
    ("PUT", "/auth/users/me/"),
    ("PATCH", "/auth/users/me/"),
    ("DELETE", "/auth/users/me/"),
    ("POST", "/auth/users/set_password/"),
];

fn bad_bodies() -> Vec<(&'static str, &'static [u8], Vec<u8>)> {
    let json: &'static [u8] = b"application/json";
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    vec![
        ("malformed", json, b"{\"username\": ".to_vec()),
        ("garbage", json, b"{not json".to_vec()),
        ("NaN", json, b"{\"username\": NaN}".to_vec()),
        ("non-UTF-8", json, b"{\"username\": \"\xff\xfe\"}".to_vec()),
        ("deep nesting", json, deep.into_bytes()),
        ("array", json, b"[\"a\", \"b\"]".to_vec()),
        ("null", json, b"null".to_vec()),
        ("number", json, b"42".to_vec()),
        ("string", json, b"\"kV7#mountain-Lamp\"".to_vec()),
        ("boolean", json, b"true".to_vec()),
        (
            "wrong types",
            json,
            serde_json::to_vec(&json!({
                "username": true, "password": ["kV7#mountain-Lamp"], "email": {"a": 1},
                "current_password": [], "new_password": null,
            }))
            .unwrap(),
        ),
        (
            "unknown fields only",
            json,
            serde_json::to_vec(&json!({ "is_staff": true, "is_superuser": true, "id": 1 }))
                .unwrap(),
        ),
        (
            "form garbage",
            b"application/x-www-form-urlencoded",
            b"%%%=&&=%zz&password=%ff".to_vec(),
        ),
        (
            "multipart without boundary",
            b"multipart/form-data",
            b"--x\r\n".to_vec(),
        ),
        (
            "multipart truncated",
            b"multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice".to_vec(),
        ),
        ("text", b"text/plain", b"username=alice".to_vec()),
        ("no content type", b"", b"{}".to_vec()),
        (
            "latin-1 content type",
            b"application/j\xe9son",
            b"{}".to_vec(),
        ),
    ]
}

/// What must not change: the user row, the user count, and the token still working.
async fn snapshot(app: &TestApp, caller: &Caller<'_>) -> (Value, u64, StatusCode) {
    let user = app.stored_user(caller.id).await.unwrap();
    let row = json!({
        "password": user.password, "email": user.email, "username": user.username,
        "is_staff": user.is_staff, "is_superuser": user.is_superuser,
        "is_active": user.is_active, "last_login": user.last_login,
    });
    let me = caller.get("/auth/users/me/").await.status;
    (row, app.user_count().await, me)
}

#[tokio::test]
async fn every_bad_body_is_a_4xx_and_changes_nothing() {
    let app = TestApp::with_config(many_logins()).await;
    let alice = app.user("alice").await;
    let before = snapshot(&app, &alice).await;
    let auth = format!("Token {}", alice.token);

    for (method, path) in ENDPOINTS {
        for (name, content_type, body) in bad_bodies() {
            let mut headers: Vec<(&str, &[u8])> = vec![("authorization", auth.as_bytes())];
            if !content_type.is_empty() {
                headers.push(("content-type", content_type));
            }
            let res = app.anon().raw(method, path, &headers, body).await;
            let what = format!("{method} {path} with {name}: {} {:?}", res.status, res.json);
            let no_known_field = ["unknown fields only", "form garbage"].contains(&name);
            if no_known_field && *method != "DELETE" && path.ends_with("/me/") {
                // Unknown fields are ignored: the update succeeds with nothing to change.
                assert_eq!(res.status, StatusCode::OK, "{what}");
            } else {
                assert!(res.status.is_client_error(), "{what}");
                assert_ne!(res.status, StatusCode::TOO_MANY_REQUESTS, "{what}");
            }
            assert!(res.json.is_object(), "{what}");
            assert_eq!(
                res.header("content-type").as_deref(),
                Some("application/json"),
                "{what}"
            );
        }
    }
    assert_eq!(snapshot(&app, &alice).await, before);
}

#[tokio::test]
async fn the_body_errors_are_drfs() {
    let app = TestApp::new().await;
    let path = "/api-token-auth/";
    let json_type: &[(&str, &[u8])] = &[("content-type", b"application/json")];

    for body in [&b"{\"username\": "[..], b"{\"t\": NaN}", b"\xff\xfe"] {
        let res = app.anon().raw("POST", path, json_type, body).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert!(
            res.detail().starts_with("JSON parse error - "),
            "{:?}",
            res.json
        );
    }
    // Python would hit its recursion limit here and Django answer 500.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let res = app.anon().raw("POST", path, json_type, deep).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.detail().starts_with("JSON parse error - "));

    let no_type = app.anon().raw("POST", path, &[], "{}").await;
    assert_eq!(no_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(no_type.detail(), "Unsupported media type \"\" in request.");
    for media in ["application/xml", "application/vnd.api+json"] {
        let headers: &[(&str, &[u8])] = &[("content-type", media.as_bytes())];
        let res = app.anon().raw("POST", path, headers, "{}").await;
        assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(
            res.detail(),
            format!("Unsupported media type \"{media}\" in request.")
        );
    }
    // Header bytes are read as Latin-1, as WSGI does.
    let latin: &[(&str, &[u8])] = &[("content-type", b"text/pl\xe4in")];
    let res = app.anon().raw("POST", path, latin, "x").await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        res.detail(),
        "Unsupported media type \"text/pl\u{e4}in\" in request."
    );

    let multipart: &[(&str, &[u8])] = &[("content-type", b"multipart/form-data")];
    let res = app.anon().raw("POST", path, multipart, "--x\r\n").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.detail(),
        "Multipart form parse error - Invalid boundary in multipart: None"
    );

    // An empty body is an empty dict whatever its declared type.
    let headers: &[(&str, &[u8])] = &[("content-type", b"text/plain")];
    let res = app.anon().raw("POST", path, headers, "").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({ "password": ["This field is required."], "username": ["This field is required."] })
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_only_where_it_is_read() {
    let config = Config {
        max_body_bytes: 1024,
        ..Config::default()
    };
    let app = TestApp::with_config(config).await;
    let alice = app.user("alice").await;
    let before = snapshot(&app, &alice).await;

    let padding = "x".repeat(2000);
    let huge = json!({ "username": "huge", "password": PASSWORD, "email": "", "pad": padding });
    for (method, path) in ENDPOINTS {
        let res = alice.call(method, path, Some(huge.clone())).await;
        assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{method} {path}");
        assert_eq!(res.json, json!({ "detail": "Request body is too large." }));
        assert!(res.header("allow").is_some(), "{method} {path}");
    }
    assert_eq!(snapshot(&app, &alice).await, before);

    // Just under the limit is fine.
    let small = json!({ "email": "small@example.com", "pad": "x".repeat(900) });
    let res = alice.patch("/auth/users/me/", small).await;
    assert_eq!(res.status, StatusCode::OK);

    // As in Django, a view that never reads the body does not mind its size.
    let res = alice.call("GET", "/auth/users/me/", Some(huge)).await;
    assert_eq!(res.status, StatusCode::OK);
}

#[tokio::test]
async fn the_default_limit_is_djangos() {
    let app = TestApp::new().await;
    let over = json!({ "username": "a", "password": "b", "pad": "x".repeat(2_621_440) });
    let res = app
        .anon()
        .send("POST", "/api-token-auth/", &[], Some(over))
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    let under = json!({ "username": "a", "password": "b", "pad": "x".repeat(2_600_000) });
    let res = app
        .anon()
        .send("POST", "/api-token-auth/", &[], Some(under))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!({ "non_field_errors": [UNABLE] }));
}

/// A multipart body of `parts` (name, value) with `boundary`.
fn multipart(boundary: &str, parts: &[(&str, &str)]) -> Vec<u8> {
    let mut body = String::new();
    for (name, value) in parts {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    body.into_bytes()
}

#[tokio::test]
async fn a_multipart_boundary_longer_than_rfc_2046_allows_is_refused() {
    let app = TestApp::new().await;
    app.register("alice", PASSWORD).await;
    let path = "/api-token-auth/";
    let credentials = [("username", "alice"), ("password", PASSWORD)];
    let refused = |boundary: &str| {
        format!("Multipart form parse error - Invalid boundary in multipart: {boundary}")
    };

    // A well-formed body: the boundary's length alone is refused, and not echoed back.
    for length in [71, 300_000] {
        let boundary = "b".repeat(length);
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let headers: &[(&str, &[u8])] = &[("content-type", content_type.as_bytes())];
        let res = app
            .anon()
            .raw("POST", path, headers, multipart(&boundary, &credentials))
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{length}");
        assert_eq!(res.json, json!({ "detail": refused("None") }), "{length}");
    }
    // Characters outside Django's `boundary_re` are refused, named as Django names them.
    for boundary in ["a\tb", "ends-with-space "] {
        let content_type = format!("multipart/form-data; boundary=\"{boundary}\"");
        let headers: &[(&str, &[u8])] = &[("content-type", content_type.as_bytes())];
        let res = app
            .anon()
            .raw("POST", path, headers, multipart(boundary, &credentials))
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{boundary:?}");
        assert_eq!(
            res.json,
            json!({ "detail": refused(boundary) }),
            "{boundary:?}"
        );
    }
    // The longest boundary RFC 2046 allows, with every character it allows, still works.
    let boundary = format!("'()+_,-./:=? {}", "Z".repeat(57));
    assert_eq!(boundary.len(), 70);
    let content_type = format!("multipart/form-data; boundary=\"{boundary}\"");
    let headers: &[(&str, &[u8])] = &[("content-type", content_type.as_bytes())];
    let res = app
        .anon()
        .raw("POST", path, headers, multipart(&boundary, &credentials))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.json);
    assert!(res.json["token"].is_string());
}

#[tokio::test]
async fn many_parts_and_bodies_near_the_limit_still_parse() {
    let app = TestApp::new().await;
    app.register("alice", PASSWORD).await;
    let path = "/api-token-auth/";
    let content_type: &[(&str, &[u8])] = &[(
        "content-type",
        b"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
    )];
    let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    // Django's 1000 fields (DATA_UPLOAD_MAX_NUMBER_FIELDS), the credentials last.
    let names: Vec<String> = (0..998).map(|i| format!("f{i}")).collect();
    let mut parts: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "x")).collect();
    parts.extend([("username", "alice"), ("password", PASSWORD)]);
    let res = app
        .anon()
        .raw("POST", path, content_type, multipart(boundary, &parts))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.json);
    assert!(res.json["token"].is_string());

    // One part just under Django's 2.5 MiB, full of near-delimiters.
    let near = "\r\n--".repeat(620_000);
    let parts = [
        ("pad", near.as_str()),
        ("username", "alice"),
        ("password", PASSWORD),
    ];
    let body = multipart(boundary, &parts);
    assert!(
        body.len() < 2_621_440 && body.len() > 2_400_000,
        "{}",
        body.len()
    );
    let res = app.anon().raw("POST", path, content_type, body).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.json);
    assert!(res.json["token"].is_string());
}

/// Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1000): a query string or a form with more fields is
/// refused before it is decoded (a decoded field costs many times its bytes), and
/// DATA_UPLOAD_MAX_NUMBER_FILES (100) for file parts.
#[tokio::test]
async fn more_fields_than_django_allows_are_refused() {
    const TOO_MANY: &str =
        "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS.";
    let app = TestApp::new().await;
    let fields = |n: usize| {
        (0..n)
            .map(|i| format!("f{i}=x"))
            .collect::<Vec<_>>()
            .join("&")
    };
    let res = app
        .anon()
        .get(&format!("/auth/users/me/?{}", fields(1001)))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!({"detail": TOO_MANY}));
    // At the limit: the view answers (401: no credentials).
    let res = app
        .anon()
        .get(&format!("/auth/users/me/?{}", fields(1000)))
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);

    let res = app.anon().form("POST", "/auth/users/", &fields(1001)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!({"detail": TOO_MANY}));

    let part = |name: &str, file: bool| {
        let filename = if file { "; filename=\"a.txt\"" } else { "" };
        format!("--XB\r\nContent-Disposition: form-data; name=\"{name}\"{filename}\r\n\r\nx\r\n")
    };
    let multipart = |fields: usize, files: usize| {
        let mut body = String::new();
        for i in 0..fields {
            body.push_str(&part(&format!("f{i}"), false));
        }
        for i in 0..files {
            body.push_str(&part(&format!("file{i}"), true));
        }
        body.push_str("--XB--\r\n");
        body
    };
    let headers: &[(&str, &[u8])] = &[("content-type", b"multipart/form-data; boundary=XB")];
    let res = app
        .anon()
        .raw("POST", "/auth/users/", headers, multipart(1001, 0))
        .await;
    assert_eq!(res.json, json!({"detail": TOO_MANY}));
    let res = app
        .anon()
        .raw("POST", "/auth/users/", headers, multipart(3, 101))
        .await;
    assert_eq!(
        res.json,
        json!({"detail": "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES."})
    );
    // Within both limits the form reaches the serializer.
    let res = app
        .anon()
        .raw("POST", "/auth/users/", headers, multipart(1000, 100))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.json.get("username").is_some(), "{}", res.text);
}
