//! `GET /api/admin/audit/`: the audit log of authentication events as staff read it — logins
//! (and failures, with the name tried and never the password), token creation, logouts,
//! changes made through the admin API — with the client's address and user agent, its
//! filters, its pages and its retention.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::harness::admin::{AdminApp, DENIED, NOT_PROVIDED};
use crate::harness::db::Arg;
use crate::harness::{NEW_PASSWORD, PASSWORD};
use portcullis_server::Config;

const AUDIT: &str = "/api/admin/audit/";
const CLIENT: (&str, &str) = ("203.0.113.9", "AuditTest/1.0");

async fn proxied(change: impl FnOnce(&mut Config)) -> AdminApp {
    let mut config = Config::default();
    config.throttle.num_proxies = Some(1);
    change(&mut config);
    AdminApp::with_config(config).await
}

/// A POST from [`CLIENT`], whatever the answer.
async fn post_from(app: &AdminApp, path: &str, body: Value) -> StatusCode {
    let headers = [("x-forwarded-for", CLIENT.0), ("user-agent", CLIENT.1)];
    app.anon()
        .send("POST", path, &headers, Some(body))
        .await
        .status
}

fn events(page: &Value) -> Vec<&str> {
    page["results"]
        .as_array()
        .map(|r| r.iter().filter_map(|e| e["event"].as_str()).collect())
        .unwrap_or_default()
}

fn find<'a>(page: &'a Value, event: &str) -> &'a Value {
    page["results"]
        .as_array()
        .and_then(|r| r.iter().find(|e| e["event"] == event))
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn logins_failures_and_logouts_are_logged_without_secrets() {
    let app = proxied(|_| {}).await;
    let admin = app.superuser("admin").await;
    let ann = app.register("ann", PASSWORD).await;
    let wrong = json!({"username": "ann", "password": "not-her-password-9"});
    assert_eq!(
        post_from(&app, "/auth/token/login/", wrong).await,
        StatusCode::BAD_REQUEST
    );
    let creds = json!({"username": "ann", "password": PASSWORD});
    assert_eq!(
        post_from(&app, "/auth/jwt/create/", creds.clone()).await,
        StatusCode::OK
    );
    let headers = [("x-forwarded-for", CLIENT.0), ("user-agent", CLIENT.1)];
    let login = app
        .anon()
        .send("POST", "/auth/token/login/", &headers, Some(creds))
        .await;
    let key = login.json["auth_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let reply = app
        .with_key(&key)
        .post("/auth/token/logout/", json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);

    let page = admin.get(AUDIT).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let seen = events(&page.json);
    for expected in ["login_failed", "login", "token_created", "logout"] {
        assert!(seen.contains(&expected), "{expected} missing from {seen:?}");
    }
    let failed = find(&page.json, "login_failed");
    assert_eq!(failed["username"], "ann");
    assert_eq!(failed["user"], Value::Null);
    assert_eq!(failed["client_addr"], CLIENT.0);
    assert_eq!(failed["user_agent"], CLIENT.1);
    assert_eq!(failed["detail"], json!({"via": "token_login"}));
    assert!(failed["at"].as_str().is_some_and(|at| at.ends_with('Z')));
    assert_eq!(find(&page.json, "logout")["user"], ann);
    // Newest first.
    assert_eq!(seen.first(), Some(&"logout"), "{seen:?}");
    for secret in [
        PASSWORD,
        "not-her-password-9",
        key.as_str(),
        admin.token.as_str(),
    ] {
        assert!(!page.text.contains(secret), "the log shows a secret");
    }
}

#[tokio::test]
async fn filters_by_user_event_and_time_and_refuses_bad_ones() {
    let app = proxied(|c| c.page_size = 2).await;
    let admin = app.superuser("admin").await;
    let ann = app.user("ann").await;
    let wrong = json!({"username": "ann", "password": "nope-nope-123"});
    for _ in 0..3 {
        post_from(&app, "/api-token-auth/", wrong.clone()).await;
    }
    let page = admin.get(&format!("{AUDIT}?event=login_failed")).await.json;
    assert_eq!(page["count"], 3, "{page}");
    assert_eq!(page["results"].as_array().map(Vec::len), Some(2));
    assert!(
        page["next"].as_str().is_some_and(|n| n.contains("page=2")),
        "{page}"
    );
    let page = admin
        .get(&format!("{AUDIT}?event=login&user={}", ann.id))
        .await
        .json;
    assert_eq!(page["count"], 1, "{page}");
    assert_eq!(page["results"][0]["user"], ann.id);
    let page = admin.get(&format!("{AUDIT}?since=2999-01-01")).await.json;
    assert_eq!(page["count"], 0, "{page}");
    let page = admin
        .get(&format!("{AUDIT}?until=2000-01-01T00:00:00Z&event=login"))
        .await
        .json;
    assert_eq!(page["count"], 0, "{page}");
    let all = admin.get(&format!("{AUDIT}?since=2000-01-01")).await.json;
    assert!(all["count"].as_u64().is_some_and(|n| n >= 5), "{all}");

    let reply = admin
        .get(&format!("{AUDIT}?event=nope&user=x&since=soon"))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({
            "user": ["Enter a number."],
            "event": ["Select a valid choice. nope is not one of the available choices."],
            "since": ["Enter a valid date/time."],
        })
    );
}

#[tokio::test]
async fn staff_read_it_others_do_not() {
    let app = proxied(|_| {}).await;
    let staff = app.staff("sam").await;
    let ann = app.user("ann").await;
    assert_eq!(staff.get(AUDIT).await.status, StatusCode::OK);
    let reply = ann.get(AUDIT).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.detail(), DENIED);
    let reply = app.anon().get(AUDIT).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.detail(), NOT_PROVIDED);
}

#[tokio::test]
async fn admin_changes_and_password_changes_are_logged_with_their_actor() {
    let app = proxied(|_| {}).await;
    let admin = app.superuser("admin").await;
    let ann = app.user("ann").await;
    let group = admin
        .post("/api/admin/groups/", json!({"name": "editors"}))
        .await;
    let group_id = group.json["id"].as_i64().unwrap_or_default();
    let path = format!("/api/admin/users/{}/", ann.id);
    let body = json!({"is_staff": true, "is_active": false, "groups": [group_id]});
    let reply = admin.patch(&path, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = admin
        .post(
            &format!("{path}set_password/"),
            json!({"password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);

    let page = admin.get(&format!("{AUDIT}?user={}", ann.id)).await;
    let seen = events(&page.json);
    for expected in [
        "staff_changed",
        "user_deactivated",
        "groups_changed",
        "password_changed",
    ] {
        assert!(seen.contains(&expected), "{expected} missing from {seen:?}");
    }
    assert_eq!(
        find(&page.json, "staff_changed")["detail"],
        json!({"is_staff": true, "actor": admin.id})
    );
    assert_eq!(
        find(&page.json, "groups_changed")["detail"],
        json!({"groups": [group_id], "actor": admin.id})
    );
    assert!(!page.text.contains(NEW_PASSWORD));
}

#[tokio::test]
async fn events_past_the_retention_are_purged() {
    let app = proxied(|c| c.audit.retention_days = 30).await;
    let db = app.sql().await;
    let insert = "INSERT INTO portcullis_audit \
         (at, event, user_id, username, client_addr, user_agent, detail) \
         VALUES (?, 'login', NULL, ?, '', '', '{}')";
    db.execute(
        insert,
        &[
            Arg::from("2001-01-01 00:00:00.000000"),
            Arg::from("ancient"),
        ],
    )
    .await;
    db.execute(
        insert,
        &[Arg::from("2999-01-01 00:00:00.000000"), Arg::from("recent")],
    )
    .await;
    // The writer purges when it starts, before it writes anything.
    let admin = app.superuser("admin").await;
    let page = admin.get(AUDIT).await;
    assert!(!page.text.contains("ancient"), "{}", page.text);
    assert!(page.text.contains("recent"), "{}", page.text);
}

#[tokio::test]
async fn a_users_own_changes_and_revocations_are_logged() {
    let app = proxied(|_| {}).await;
    let admin = app.superuser("admin").await;
    let ann = app.user("ann").await;
    let jwt = ann.jwt().await;
    let reply = app
        .anon()
        .post("/api/token/blacklist/", json!({"refresh": jwt.refresh}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let body = json!({"new_password": NEW_PASSWORD, "current_password": PASSWORD});
    let reply = ann.post("/auth/users/set_password/", body).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    let body = json!({"new_username": "anna", "current_password": NEW_PASSWORD});
    let reply = ann.post("/auth/users/set_username/", body).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    let reply = ann.post("/auth/logout_all/", json!({})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);

    let page = admin.get(&format!("{AUDIT}?user={}", ann.id)).await;
    let seen = events(&page.json);
    for expected in [
        "token_revoked",
        "password_changed",
        "username_changed",
        "logout_all",
    ] {
        assert!(seen.contains(&expected), "{expected} missing from {seen:?}");
    }
    assert_eq!(
        find(&page.json, "username_changed")["detail"],
        json!({"field": "username", "new": "anna"})
    );
    assert_eq!(find(&page.json, "logout_all")["username"], "anna");
    for secret in [
        PASSWORD,
        NEW_PASSWORD,
        jwt.refresh.as_str(),
        jwt.access.as_str(),
    ] {
        assert!(!page.text.contains(secret), "the log shows a secret");
    }
}
