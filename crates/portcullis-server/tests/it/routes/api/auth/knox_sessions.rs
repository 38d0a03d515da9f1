//! Knox tokens among a user's sessions (`/auth/sessions/`), ended there or by Portcullis's
//! `logout_all`, and knox's logins and logouts in the audit log.
#![allow(clippy::unwrap_used)]

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::*;
use crate::harness::admin::AdminApp;
use crate::harness::{ME, TestApp};

const LAPTOP: (&str, &str) = ("203.0.113.5", "Firefox/140 on a laptop");

/// A knox login from the laptop, behind one trusted proxy; the token.
async fn login_from_laptop(app: &TestApp, username: &str) -> String {
    let headers = [("x-forwarded-for", LAPTOP.0), ("user-agent", LAPTOP.1)];
    let body = Some(credentials(username, PASSWORD));
    let reply = app.anon().send("POST", LOGIN, &headers, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    text(&reply.json["token"])
}

fn knox_sessions(list: &Value) -> Vec<&Value> {
    list.as_array()
        .map(|a| a.iter().filter(|s| s["kind"] == "knox").collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn knox_tokens_are_sessions_and_ending_one_ends_the_token() {
    let app = TestApp::with_config(knox_config(|c| c.throttle.num_proxies = Some(1))).await;
    app.register("ann", PASSWORD).await;
    let laptop = login_from_laptop(&app, "ann").await;
    let phone = knox_token(&app, "ann").await;
    let list = knox(&app, &phone).get("/auth/sessions/").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let sessions = knox_sessions(&list.json);
    assert_eq!(sessions.len(), 2, "{}", list.text);
    assert!(!list.text.contains(&laptop) && !list.text.contains(&phone[..15]));
    let from_laptop = sessions
        .iter()
        .find(|s| s["client_addr"] == LAPTOP.0)
        .unwrap();
    assert_eq!(from_laptop["user_agent"], LAPTOP.1);
    assert!(
        from_laptop["expires"]
            .as_str()
            .is_some_and(|e| e.ends_with('Z'))
    );
    let id = text(&from_laptop["id"]);
    let ended = knox(&app, &phone)
        .delete(&format!("/auth/sessions/{id}/"))
        .await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT, "{}", ended.text);
    assert_invalid(&knox(&app, &laptop).get(ME).await, "Token");
    assert_eq!(knox(&app, &phone).get(ME).await.status, StatusCode::OK);
    let list = knox(&app, &phone).get("/auth/sessions/").await;
    assert_eq!(knox_sessions(&list.json).len(), 1);
}

#[tokio::test]
async fn portcullis_logout_all_ends_knox_tokens_too() {
    let app = TestApp::with_config(knox_config(|_| {})).await;
    app.register("ann", PASSWORD).await;
    let first = knox_token(&app, "ann").await;
    let second = knox_token(&app, "ann").await;
    let out = knox(&app, &first)
        .post("/auth/logout_all/", json!({}))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.text);
    assert_invalid(&knox(&app, &second).get(ME).await, "Token");
}

#[tokio::test]
async fn knox_logins_and_logouts_are_audited() {
    // DRF's class first for the staff console, knox's under a keyword of its own.
    let app = AdminApp::with_config(knox_config(|c| {
        c.knox.auth_header_prefix = "Knox".into();
        c.authentication_classes = vec![AuthenticationClass::Token, AuthenticationClass::Knox];
    }))
    .await;
    let admin = app.superuser("admin").await;
    app.register("ann", PASSWORD).await;
    let wrong = app
        .anon()
        .post(LOGIN, credentials("ann", "wrong-pass-77"))
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let token = knox_token(&app, "ann").await;
    let ann = app.authorized(&format!("Knox {token}"));
    assert_eq!(
        ann.post(LOGOUT, json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    let again = knox_token(&app, "ann").await;
    let ann = app.authorized(&format!("Knox {again}"));
    assert_eq!(
        ann.post(LOGOUT_ALL, json!({})).await.status,
        StatusCode::NO_CONTENT
    );

    let page = admin.get("/api/admin/audit/").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let events: Vec<(String, Value)> = page.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["username"] == "ann")
        .map(|e| (text(&e["event"]), e["detail"].clone()))
        .collect();
    let has = |event: &str, detail: Value| events.iter().any(|(e, d)| e == event && *d == detail);
    assert!(
        has("login_failed", json!({"via": "knox_login"})),
        "{events:?}"
    );
    assert!(has("login", json!({"via": "knox_login"})), "{events:?}");
    assert!(has("token_created", json!({"kind": "knox"})), "{events:?}");
    assert!(has("logout", json!({"kind": "knox"})), "{events:?}");
    assert!(
        has("logout_all", json!({"kind": "knox", "tokens": 1})),
        "{events:?}"
    );
    assert!(!page.text.contains(&token) && !page.text.contains(&again));
}
