//! `POST /api-token-auth/` (DRF's `obtain_auth_token`): the user's one token for a username and
//! password sent as JSON, a form or multipart; DRF's messages for every failure, and its headers
//! (`Allow: OPTIONS, POST`, no `Vary: Accept` since the view renders JSON only).

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

const PATH: &str = "/api-token-auth/";

fn assert_view_headers(res: &Response) {
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_POST));
    assert_eq!(res.vary().as_deref(), Some("origin"));
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(res.header("www-authenticate"), None);
}

fn assert_unable(res: &Response) {
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!({ "non_field_errors": [UNABLE] }));
    assert_view_headers(res);
}

#[tokio::test]
async fn json_login_returns_the_same_key_every_time() {
    let app = TestApp::new().await;
    let id = app.register("alice", PASSWORD).await;

    let res = app.login(PATH, "alice", PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_view_headers(&res);
    let key = res.json["token"].as_str().unwrap().to_string();
    assert!(is_token_key(&key), "{key}");
    assert_eq!(res.json, json!({ "token": key }));

    assert_eq!(app.token("alice", PASSWORD).await, key);
    let djoser = app.login("/auth/token/login/", "alice", PASSWORD).await;
    assert_eq!(djoser.json, json!({ "auth_token": key }));

    let me = app.with_key(&key).get("/auth/users/me/").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json["id"], json!(id));
}

#[tokio::test]
async fn form_and_multipart_bodies_log_in_too() {
    let app = TestApp::new().await;
    app.register("bob", PASSWORD).await;
    let key = app.token("bob", PASSWORD).await;

    let res = app
        .anon()
        .form("POST", PATH, "username=bob&password=kV7%23mountain-Lamp")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json, json!({ "token": key }));

    let bad = app
        .anon()
        .form("POST", PATH, "username=bob&password=nope")
        .await;
    assert_unable(&bad);
    let missing = app.anon().form("POST", PATH, "username=bob").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        missing.json,
        json!({ "password": ["This field is required."] })
    );

    let body = "--XyZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nbob\r\n\
                --XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nkV7#mountain-Lamp\r\n\
                --XyZ--\r\n";
    let headers: &[(&str, &[u8])] = &[("content-type", b"multipart/form-data; boundary=XyZ")];
    let res = app.anon().raw("POST", PATH, headers, body).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.json);
    assert_eq!(res.json, json!({ "token": key }));
}

#[tokio::test]
async fn wrong_password_unknown_user_other_case_and_inactive_look_the_same() {
    let app = TestApp::new().await;
    let id = app.register("carol", PASSWORD).await;

    assert_unable(&app.login(PATH, "carol", "wrong-pass-1").await);
    assert_unable(&app.login(PATH, "ghost", PASSWORD).await);
    assert_unable(&app.login(PATH, "CAROL", PASSWORD).await);
    // Passwords are compared exactly as sent: no trimming.
    assert_unable(&app.login(PATH, "carol", &format!(" {PASSWORD} ")).await);

    app.deactivate(id).await;
    assert_unable(&app.login(PATH, "carol", PASSWORD).await);
    assert_unable(&app.login(PATH, "carol", "wrong-pass-1").await);
}

#[tokio::test]
async fn missing_blank_null_and_mistyped_fields() {
    let app = TestApp::new().await;
    let required = "This field is required.";
    let cases = [
        (
            json!({}),
            json!({ "password": [required], "username": [required] }),
        ),
        (
            json!({ "username": "x" }),
            json!({ "password": [required] }),
        ),
        (
            json!({ "password": "x" }),
            json!({ "username": [required] }),
        ),
        (
            json!({ "username": "", "password": "" }),
            json!({
                "password": ["This field may not be blank."],
                "username": ["This field may not be blank."],
            }),
        ),
        (
            json!({ "username": null, "password": null }),
            json!({
                "password": ["This field may not be null."],
                "username": ["This field may not be null."],
            }),
        ),
        (
            json!({ "username": true, "password": ["a"] }),
            json!({
                "password": ["Not a valid string."],
                "username": ["Not a valid string."],
            }),
        ),
        (
            json!({ "username": {"a": 1}, "password": "x" }),
            json!({ "username": ["Not a valid string."] }),
        ),
        // DRF's CharField turns numbers into strings; then the login simply fails.
        (
            json!({ "username": 123, "password": 456 }),
            json!({ "non_field_errors": [UNABLE] }),
        ),
        (
            json!(["a", "b"]),
            json!({ "non_field_errors": ["Invalid data. Expected a dictionary, but got list."] }),
        ),
        (
            json!(7),
            json!({ "non_field_errors": ["Invalid data. Expected a dictionary, but got int."] }),
        ),
        (
            json!(null),
            json!({ "non_field_errors": ["No data provided"] }),
        ),
    ];
    for (body, expected) in cases {
        let res = app.anon().send("POST", PATH, &[], Some(body.clone())).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(res.json, expected, "{body}");
        assert_view_headers(&res);
    }

    let empty = app.anon().send("POST", PATH, &[], None).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        empty.json,
        json!({ "password": [required], "username": [required] })
    );
}

#[tokio::test]
async fn other_methods_are_405_with_allow() {
    let app = TestApp::new().await;
    for method in ["GET", "PUT", "PATCH", "DELETE", "FOO"] {
        let res = app.anon().send(method, PATH, &[], None).await;
        assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(
            res.json,
            json!({ "detail": format!("Method \"{method}\" not allowed.") })
        );
        assert_view_headers(&res);
    }
}

#[tokio::test]
async fn options_describes_the_view_without_credentials() {
    let app = TestApp::new().await;
    let res = app.anon().send("OPTIONS", PATH, &[], None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_view_headers(&res);
    let field = |label: &str, required: bool, read_only: bool| json!({ "type": "string", "required": required, "read_only": read_only, "label": label });
    assert_eq!(
        res.json,
        json!({
            "name": "Obtain Auth Token",
            "description": "",
            "renders": ["application/json"],
            "parses": [
                "application/x-www-form-urlencoded",
                "multipart/form-data",
                "application/json",
            ],
            "actions": { "POST": {
                "username": field("Username", true, false),
                "password": field("Password", true, false),
                "token": field("Token", false, true),
            }},
        })
    );
}

#[tokio::test]
async fn media_type_accept_and_parse_errors() {
    let app = TestApp::new().await;

    let plain: &[(&str, &[u8])] = &[("content-type", b"text/plain")];
    let res = app
        .anon()
        .raw("POST", PATH, plain, "username=a&password=b")
        .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        res.detail(),
        "Unsupported media type \"text/plain\" in request."
    );
    assert_view_headers(&res);

    let json_type: &[(&str, &[u8])] = &[("content-type", b"application/json")];
    let res = app
        .anon()
        .raw("POST", PATH, json_type, "{\"username\": ")
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.detail().starts_with("JSON parse error - "),
        "{:?}",
        res.json
    );
    assert_view_headers(&res);

    // Only JSON is rendered here (no browsable API), so text/html is not acceptable either.
    for accept in ["application/xml", "text/html"] {
        let body = Some(json!({ "username": "a", "password": "b" }));
        let res = app
            .anon()
            .send("POST", PATH, &[("accept", accept)], body)
            .await;
        assert_eq!(res.status, StatusCode::NOT_ACCEPTABLE, "{accept}");
        assert_eq!(res.detail(), "Could not satisfy the request Accept header.");
        assert_view_headers(&res);
    }
}

#[tokio::test]
async fn a_bad_token_header_fails_even_on_this_open_view() {
    let app = TestApp::new().await;
    app.register("dave", PASSWORD).await;
    let body = json!({ "username": "dave", "password": PASSWORD });
    let res = app
        .anon()
        .send("POST", PATH, &[("authorization", "Token nope")], Some(body))
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, json!({ "detail": "Invalid token." }));
    assert_eq!(res.header("www-authenticate").as_deref(), Some("Token"));
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_POST));
}

/// A username holding a NUL (which PostgreSQL's text cannot) logs nobody in: DRF's 400, never a
/// server error.
#[tokio::test]
async fn a_username_holding_a_nul_logs_nobody_in() {
    let app = TestApp::new().await;
    app.register("alice", PASSWORD).await;
    let reply = app.login(PATH, "alice\0", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!({"username": ["Null characters are not allowed."]})
    );
}
