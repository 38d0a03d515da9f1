//! Every path that changes an account writes its audit event, as `GET /api/admin/audit/`
//! shows it: djoser's staff and own deletions, the admin API's creations, deletions and
//! deactivations (which revoke every credential), the revocations of `logout_all` and of
//! ending a session, a username changed through djoser's user detail or (a login email) through
//! the admin API, and the changes made by following a mailed link (activation, password
//! and username reset). Never a secret in an event. The command line's and the import's
//! events are in the binary's tests (`crates/portcullis/tests/cli_audit.rs`).

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::harness::admin::AdminApp;
use crate::harness::smtp_server::{SmtpServer, link_parts};
use crate::harness::{Caller, NEW_PASSWORD, PASSWORD};
use portcullis_server::Config;
use portcullis_server::config::{EmailBackend, LoginField, UserSerializerConfig};

const AUDIT: &str = "/api/admin/audit/";

/// The events of `user`, newest first: `(event, detail)`.
async fn events_of(admin: &Caller<'_>, user: i64) -> Vec<(String, Value)> {
    let page = admin.get(&format!("{AUDIT}?user={user}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.json["results"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r["event"].as_str().unwrap_or("").into(),
                        r["detail"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The detail of the newest `event` among `events`, which must hold one.
fn detail(events: &[(String, Value)], event: &str) -> Value {
    events
        .iter()
        .find(|(e, _)| e == event)
        .map(|(_, d)| d.clone())
        .unwrap_or_else(|| panic!("no {event} among {events:?}"))
}

#[tokio::test]
async fn djosers_deletions_by_staff_and_by_the_user_are_logged_with_their_actor() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    let body = json!({"current_password": PASSWORD});
    let path = format!("/auth/users/{}/", ann.id);
    let reply = admin.call("DELETE", &path, Some(body.clone())).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    let reply = bob.call("DELETE", "/auth/users/me/", Some(body)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);

    let events = events_of(&admin, ann.id).await;
    assert_eq!(events[0].0, "user_deleted", "{events:?}");
    assert_eq!(events[0].1, json!({"actor": admin.id}));
    let events = events_of(&admin, bob.id).await;
    assert_eq!(detail(&events, "user_deleted"), json!({"actor": bob.id}));
}

#[tokio::test]
async fn a_username_changed_through_djosers_user_detail_is_logged_once() {
    let mut config = Config::default();
    config.djoser.serializers.user = Some(UserSerializerConfig {
        fields: vec!["id".into(), "username".into()],
        read_only_fields: vec![],
    });
    let app = AdminApp::with_config(config).await;
    let admin = app.superuser("admin").await;
    let ann = app.user("ann").await;
    let path = format!("/auth/users/{}/", ann.id);
    let reply = admin.patch(&path, json!({"username": "annie"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    // The same name again changes nothing: no event.
    let reply = admin.put(&path, json!({"username": "annie"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);

    let events = events_of(&admin, ann.id).await;
    let changes: Vec<&Value> = events
        .iter()
        .filter(|(e, _)| e == "username_changed")
        .map(|(_, d)| d)
        .collect();
    assert_eq!(
        changes,
        [&json!({"field": "username", "new": "annie", "actor": admin.id})]
    );
}

#[tokio::test]
async fn the_admin_apis_change_of_a_login_email_is_a_username_change() {
    let mut config = Config::default();
    config.user_model.username_field = LoginField::Email;
    config.user_model.required_fields = vec![];
    let app = AdminApp::with_config(config).await;
    let made = app
        .anon()
        .post(
            "/auth/users/",
            json!({"email": "gus@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let gus = made.json["id"].as_i64().unwrap_or_default();
    let root = portcullis_server::accounts::manage::create_superuser_by_email(
        &app.state,
        "root@example.com",
        &portcullis_server::accounts::manage::Names::default(),
        Some(PASSWORD),
    )
    .await
    .expect("the superuser is created");
    let login = json!({"email": "root@example.com", "password": PASSWORD});
    let key = app.anon().post("/auth/token/login/", login).await.json["auth_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let admin = Caller::new(&app, root.id, "root@example.com", key);
    let path = format!("/api/admin/users/{gus}/");
    let reply = admin
        .patch(&path, json!({"email": "gus2@example.com"}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let events = events_of(&admin, gus).await;
    assert_eq!(
        detail(&events, "username_changed"),
        json!({"field": "email", "new": "gus2@example.com", "actor": admin.id})
    );
}

#[tokio::test]
async fn the_admin_apis_creations_deletions_and_deactivations_are_logged() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let made = admin
        .post(
            "/api/admin/users/",
            json!({"username": "sam", "password": PASSWORD, "is_staff": true}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let sam = made.json["id"].as_i64().unwrap_or_default();
    let ann = app.user("ann").await;
    let path = format!("/api/admin/users/{}/", ann.id);
    let reply = admin.patch(&path, json!({"is_active": false})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = admin.delete(&format!("/api/admin/users/{sam}/")).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);

    let events = events_of(&admin, sam).await;
    let names: Vec<&str> = events.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(names, ["user_deleted", "user_created"]);
    assert_eq!(
        events[1].1,
        json!({"is_active": true, "is_staff": true, "is_superuser": false, "groups": [],
               "actor": admin.id})
    );
    assert_eq!(events[0].1, json!({"actor": admin.id}));
    let events = events_of(&admin, ann.id).await;
    assert_eq!(
        detail(&events, "token_revoked"),
        json!({"kind": "all", "via": "deactivation", "actor": admin.id})
    );
    let page = admin.get(AUDIT).await;
    assert!(!page.text.contains(PASSWORD), "the log shows a secret");
}

#[tokio::test]
async fn logout_all_and_ending_a_session_are_logged_as_revocations() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let ann = app.user("ann").await;
    let jwt = ann.jwt().await;
    let sessions = ann.get("/auth/sessions/").await;
    assert_eq!(sessions.status, StatusCode::OK, "{}", sessions.text);
    let refresh = sessions.json.as_array().and_then(|s| {
        s.iter()
            .find(|s| s["kind"] == "jwt")
            .and_then(|s| s["id"].as_str())
    });
    let path = format!("/auth/sessions/{}/", refresh.unwrap_or_default());
    let ended = ann.delete(&path).await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT, "{}", ended.text);
    let events = events_of(&admin, ann.id).await;
    assert_eq!(events[0].0, "token_revoked", "{events:?}");
    assert_eq!(events[0].1, json!({"kind": "jwt", "via": "session_delete"}));
    assert_eq!(events[1].0, "session_ended", "{events:?}");

    let reply = ann.post("/auth/logout_all/", json!({})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    let events = events_of(&admin, ann.id).await;
    assert_eq!(events[0].0, "token_revoked", "{events:?}");
    assert_eq!(events[0].1, json!({"kind": "all", "via": "logout_all"}));
    assert_eq!(events[1].0, "logout_all", "{events:?}");
    let page = admin.get(AUDIT).await;
    for secret in [
        jwt.refresh.as_str(),
        jwt.access.as_str(),
        ann.token.as_str(),
    ] {
        assert!(!page.text.contains(secret), "the log shows a secret");
    }
}

/// The first link of the `n`th mail (counting from 1) once it has arrived.
async fn nth_link(smtp: &SmtpServer, n: usize) -> (String, String) {
    link_parts(&smtp.wait_for(n).await[n - 1])
}

#[tokio::test]
async fn changes_made_by_following_a_mailed_link_are_logged() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut config = Config::default();
    config.email.backend = EmailBackend::Smtp;
    config.email.smtp_url = smtp.url();
    config.email.retry_delay_seconds = 0;
    config.djoser.send_activation_email = true;
    let app = AdminApp::with_config(config).await;
    let admin = app.superuser("admin").await;
    let ann = app.register("ann", PASSWORD).await;
    let (uid, token) = nth_link(&smtp, 1).await;
    let link = json!({"uid": uid, "token": token});
    let reply = app.anon().post("/auth/users/activation/", link).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);

    let email = json!({"email": "ann@example.com"});
    let reply = app.anon().post("/auth/users/reset_password/", email).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    let (uid, token) = nth_link(&smtp, 2).await;
    let body = json!({"uid": uid, "token": token, "new_password": NEW_PASSWORD});
    let path = "/auth/users/reset_password_confirm/";
    let reply = app.anon().post(path, body).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);

    let email = json!({"email": "ann@example.com"});
    let reply = app.anon().post("/auth/users/reset_username/", email).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    let (uid, token) = nth_link(&smtp, 3).await;
    let body = json!({"uid": uid, "token": token, "new_username": "anna"});
    let path = "/auth/users/reset_username_confirm/";
    let reply = app.anon().post(path, body).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);

    let events = events_of(&admin, ann).await;
    let names: Vec<&str> = events.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(
        names[..3],
        ["username_changed", "password_changed", "user_activated"]
    );
    assert_eq!(events[2].1, json!({"via": "activation"}));
    assert_eq!(events[1].1, json!({"via": "reset_password_confirm"}));
    assert_eq!(
        events[0].1,
        json!({"field": "username", "new": "anna", "via": "reset_username_confirm"})
    );
    let page = admin.get(AUDIT).await;
    assert!(!page.text.contains(NEW_PASSWORD), "the log shows a secret");
    assert!(!page.text.contains(&token), "the log shows a link's token");
}
