//! knox's three views and its authentication class: the login answer and what is stored of
//! the token, the token on other views, logout ending only its own token, logoutall ending
//! every one, and the malformed headers.
#![allow(clippy::unwrap_used)]

use axum::http::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha512};

use super::*;
use crate::harness::{ME, TestApp};

#[tokio::test]
async fn login_answers_expiry_and_token_and_stores_only_knoxs_digest() {
    let app = TestApp::with_config(knox_config(|_| {})).await;
    let id = app.register("ann", PASSWORD).await;
    let reply = knox_login(&app, "ann").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let keys: Vec<&String> = reply.json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["expiry", "token"]);
    let token = text(&reply.json["token"]);
    assert_eq!(token.len(), 64);
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );

    let db = app.sql().await;
    let rows: Vec<(String, String, i64, String, Option<String>)> = db
        .rows(
            "SELECT digest, token_key, user_id, created, expiry FROM knox_authtoken",
            &[],
        )
        .await;
    db.close().await;
    assert_eq!(rows.len(), 1);
    let (digest, key, user, created, expiry) = &rows[0];
    // As knox stores it: SHA-512 of the token, its first 15 characters; never the token.
    assert_eq!(*digest, hex::encode(Sha512::digest(token.as_bytes())));
    assert_eq!(*key, token[..15]);
    assert_eq!(*user, id);
    // knox's default TOKEN_TTL: ten hours after creation, rendered as DRF renders it.
    let hours = |t: &str| t[11..13].parse::<i64>().unwrap();
    assert_eq!(
        (hours(expiry.as_ref().unwrap()) - hours(created)).rem_euclid(24),
        10
    );
    let rendered = text(&reply.json["expiry"]);
    assert_eq!(
        rendered.replace('T', " ").trim_end_matches('Z'),
        expiry.as_deref().unwrap()
    );
}

#[tokio::test]
async fn a_login_records_last_login_and_bad_credentials_get_drfs_errors() {
    let app = TestApp::with_config(knox_config(|_| {})).await;
    let id = app.register("ann", PASSWORD).await;
    let missing = app.anon().post(LOGIN, json!({})).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        missing.json,
        json!({"username": ["This field is required."], "password": ["This field is required."]})
    );
    let wrong = app
        .anon()
        .post(LOGIN, credentials("ann", "wrong-pass-77"))
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        wrong.json,
        json!({"non_field_errors": ["Unable to log in with provided credentials."]})
    );
    assert!(app.stored_user(id).await.unwrap().last_login.is_none());
    knox_token(&app, "ann").await;
    assert!(app.stored_user(id).await.unwrap().last_login.is_some());
}

#[tokio::test]
async fn each_login_is_a_device_and_logout_ends_only_its_own_token() {
    let app = TestApp::with_config(knox_config(|_| {})).await;
    app.register("ann", PASSWORD).await;
    let laptop = knox_token(&app, "ann").await;
    let phone = knox_token(&app, "ann").await;
    assert_ne!(laptop, phone);
    for token in [&laptop, &phone] {
        let me = knox(&app, token).get(ME).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.text);
        assert_eq!(me.json["username"], "ann");
    }
    let out = knox(&app, &laptop).post(LOGOUT, json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.body.is_empty());
    // Refused at once (the authentication cache forgets the user), the other device kept.
    assert_invalid(&knox(&app, &laptop).get(ME).await, "Token");
    assert_invalid(&knox(&app, &laptop).post(LOGOUT, json!({})).await, "Token");
    assert_eq!(knox(&app, &phone).get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn logoutall_ends_every_knox_token_of_the_user_only() {
    let app = TestApp::with_config(knox_config(|_| {})).await;
    app.register("ann", PASSWORD).await;
    app.register("bob", PASSWORD).await;
    let first = knox_token(&app, "ann").await;
    let second = knox_token(&app, "ann").await;
    let bobs = knox_token(&app, "bob").await;
    let out = knox(&app, &second).post(LOGOUT_ALL, json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_invalid(&knox(&app, &first).get(ME).await, "Token");
    assert_invalid(&knox(&app, &second).get(ME).await, "Token");
    assert_eq!(knox(&app, &bobs).get(ME).await.status, StatusCode::OK);
    // A new login works after it.
    let again = knox_token(&app, "ann").await;
    assert_eq!(knox(&app, &again).get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn malformed_and_foreign_headers_get_knoxs_answers() {
    let app = TestApp::with_config(knox_config(|_| {})).await;
    let anonymous = app.anon().post(LOGOUT, json!({})).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.json["detail"],
        "Authentication credentials were not provided."
    );
    assert_eq!(
        anonymous.header("www-authenticate").as_deref(),
        Some("Token")
    );
    let cases = [
        ("Token", "Invalid token header. No credentials provided."),
        (
            "Token a b",
            "Invalid token header. Token string should not contain spaces.",
        ),
        ("Token abc", "Invalid token."),
        ("Token \u{e9}t\u{e9}", "Invalid token."),
    ];
    for (header, detail) in cases {
        let reply = app.authorized(header).get(ME).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{header}");
        assert_eq!(reply.json["detail"], detail, "{header}");
    }
    // Not UTF-8: knox fails with a 500; no token of knox's has such a byte, so it is none.
    let latin1: &[(&str, &[u8])] = &[("authorization", b"Token \xe9t\xe9")];
    let reply = app.anon().raw("GET", ME, latin1, Vec::new()).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json["detail"], "Invalid token.");
    // knox's logout views take knox's class alone: a JWT is no credential there.
    let bearer = app
        .authorized("Bearer abc")
        .post(LOGOUT_ALL, json!({}))
        .await;
    assert_eq!(bearer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        bearer.json["detail"],
        "Authentication credentials were not provided."
    );
    let get = knox(&app, "x").get(LOGIN).await;
    assert_eq!(
        get.status,
        StatusCode::UNAUTHORIZED,
        "the header is read first"
    );
    let get = app.anon().get(LOGIN).await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn the_openapi_document_describes_knoxs_views_and_scheme() {
    // DRF's class by default: knox's scheme is there for knox's own logout views.
    let app = TestApp::with_config(knox_config(|c| {
        c.authentication_classes = vec![AuthenticationClass::Token];
    }))
    .await;
    let doc = app.anon().get("/api/schema/?format=json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = &doc.json;
    let scheme = &doc["components"]["securitySchemes"]["knoxApiToken"];
    assert_eq!(scheme["type"], "apiKey");
    assert_eq!(
        scheme["description"],
        "Token-based authentication with required prefix \"Token\""
    );
    let logout = &doc["paths"]["/api/auth/logout/"]["post"];
    assert_eq!(logout["security"], json!([{"knoxApiToken": []}]));
    assert!(logout["responses"]["204"].is_object(), "{logout}");
    let login = &doc["paths"]["/api/auth/login/"]["post"];
    let answer = &login["responses"]["200"]["content"]["application/json"]["schema"];
    let answer = if let Some(reference) = answer["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        &doc["components"]["schemas"][name]
    } else {
        answer
    };
    assert_eq!(answer["required"], json!(["expiry", "token"]), "{answer}");
}
