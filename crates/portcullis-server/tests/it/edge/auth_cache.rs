//! The authentication cache (`[limits] auth_cache_ms`) on SQLite: what this instance writes is
//! seen on the very next request (the whole suite runs with the cache on), and what another
//! process writes to the same file (the command line, a second `Store`) is seen within the
//! lifetime; with 0 nothing is kept. A token deleted behind the cache's back still being
//! accepted for a moment is also how the tests see that the cache is hit.

use std::time::{Duration, Instant};

use portcullis_server::Config;
use portcullis_server::store::Store;

use crate::harness::db::skip_on_postgres;
use crate::harness::{Client, ME, PASSWORD, TestApp};

/// How often a test asks again while it waits for a refusal.
pub(super) const POLL: Duration = Duration::from_millis(50);

/// Ask `GET /auth/users/me/` with `client` every 50 ms until it is refused with 401; how long
/// that took, or `None` if it was still accepted after `limit`.
pub(super) async fn refused_within(client: &Client<'_>, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    loop {
        let reply = client.get(ME).await;
        if reply.status == 401 {
            return Some(start.elapsed());
        }
        assert_eq!(reply.status, 200, "{}", reply.text);
        if start.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(POLL).await;
    }
}

fn with_lifetime(ms: u64) -> Config {
    let mut config = Config::default();
    config.limits.auth_cache_ms = ms;
    config
}

/// On PostgreSQL another process's writes are announced (`auth_cache_instances.rs`).
const ANNOUNCED: &str = "PostgreSQL announces another process's writes; see auth_cache_instances";

/// Another process's view of the same database file: writes through it are not this
/// instance's.
async fn other_process(app: &TestApp) -> Store {
    Store::connect(app.db_url())
        .await
        .expect("a second connection to the database")
}

#[tokio::test]
async fn a_token_deleted_by_another_process_is_served_from_the_cache_then_refused_within_the_lifetime()
 {
    if skip_on_postgres(ANNOUNCED) {
        return;
    }
    let app = TestApp::with_config(with_lifetime(600)).await;
    let ann = app.user("ann").await;
    let token = app.token("ann", PASSWORD).await;
    let client = app.with_key(&token);
    assert_eq!(client.get(ME).await.status, 200);

    let other = other_process(&app).await;
    assert!(other.tokens().token_delete(ann.id).await.expect("delete"));
    // The cache answered for the token the other process deleted: nothing was read.
    let reply = client.get(ME).await;
    assert_eq!(reply.status, 200, "served from the cache: {}", reply.text);

    let took = refused_within(&client, Duration::from_secs(2))
        .await
        .expect("refused once the entry expired");
    assert!(took < Duration::from_millis(900), "refused after {took:?}");
    let reply = client.get(ME).await;
    assert_eq!(reply.text, r#"{"detail":"Invalid token."}"#);
}

#[tokio::test]
async fn a_user_deactivated_by_another_process_loses_its_jwt_within_the_lifetime() {
    if skip_on_postgres(ANNOUNCED) {
        return;
    }
    let app = TestApp::with_config(with_lifetime(600)).await;
    let ann = app.jwt_user("ann").await;
    assert_eq!(ann.get(ME).await.status, 200);

    let other = other_process(&app).await;
    let update = portcullis_server::store::UserUpdate {
        is_active: Some(false),
        ..Default::default()
    };
    other
        .accounts()
        .update_user(ann.id, &update)
        .await
        .expect("deactivate");
    let took = refused_within(&ann, Duration::from_secs(2))
        .await
        .expect("refused once the entry expired");
    assert!(took < Duration::from_millis(900), "refused after {took:?}");
}

#[tokio::test]
async fn with_auth_cache_ms_0_another_process_s_logout_is_refused_at_once() {
    let app = TestApp::with_config(with_lifetime(0)).await;
    let ann = app.user("ann").await;
    let token = app.token("ann", PASSWORD).await;
    let client = app.with_key(&token);
    assert_eq!(client.get(ME).await.status, 200);

    let other = other_process(&app).await;
    assert!(other.tokens().token_delete(ann.id).await.expect("delete"));
    assert_eq!(client.get(ME).await.status, 401);
}

#[tokio::test]
async fn this_instance_s_writes_are_seen_on_the_very_next_request() {
    let app = TestApp::with_config(with_lifetime(60_000)).await;
    app.user("ann").await;
    let token = app.token("ann", PASSWORD).await;
    let client = app.with_key(&token);
    let me = client.get(ME).await;
    assert_eq!(me.json["username"], "ann", "{}", me.text);

    // A rename shows in the next answer about the requester.
    let rename = serde_json::json!({"current_password": PASSWORD, "new_username": "anna"});
    let reply = client.post("/auth/users/set_username/", rename).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    assert_eq!(client.get(ME).await.json["username"], "anna");

    // A logout is refused on the very next request.
    let reply = client
        .post("/auth/token/logout/", serde_json::json!({}))
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    assert_eq!(client.get(ME).await.status, 401);
}

#[tokio::test]
async fn a_knox_token_is_served_from_the_cache_and_its_logout_refused_at_once() {
    if skip_on_postgres(ANNOUNCED) {
        return;
    }
    let mut config = with_lifetime(60_000);
    config.urls = vec![
        portcullis_server::config::UrlPattern {
            path: "auth/".into(),
            include: Some("djoser.urls".into()),
            ..Default::default()
        },
        portcullis_server::config::UrlPattern {
            path: "api/auth/".into(),
            include: Some("knox.urls".into()),
            ..Default::default()
        },
    ];
    config.authentication_classes = vec![portcullis_server::config::AuthenticationClass::Knox];
    let app = TestApp::with_config(config).await;
    let ann = app.register("ann", PASSWORD).await;
    let body = serde_json::json!({"username": "ann", "password": PASSWORD});
    let login = app.anon().post("/api/auth/login/", body.clone()).await;
    let token = login.json["token"].as_str().unwrap_or_default().to_string();
    let client = app.authorized(&format!("Token {token}"));
    assert_eq!(client.get(ME).await.status, 200);

    // Deleted behind the instance's back: the cache still answers (nothing was read).
    let other = other_process(&app).await;
    let deleted = other.knox().knox_delete_all(ann).await.expect("delete");
    assert_eq!(deleted, 1);
    assert_eq!(client.get(ME).await.status, 200, "served from the cache");

    // A logout through the instance is refused on the very next request.
    let login = app.anon().post("/api/auth/login/", body).await;
    let token = login.json["token"].as_str().unwrap_or_default().to_string();
    let client = app.authorized(&format!("Token {token}"));
    assert_eq!(client.get(ME).await.status, 200);
    let out = client
        .post("/api/auth/logout/", serde_json::json!({}))
        .await;
    assert_eq!(out.status, 204, "{}", out.text);
    assert_eq!(client.get(ME).await.status, 401);
}
