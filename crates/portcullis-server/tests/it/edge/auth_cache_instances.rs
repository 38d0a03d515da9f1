//! The authentication cache across instances on one real PostgreSQL database
//! (`PORTCULLIS_TEST_DATABASE_URL`; skipped without it, failing under CI): two instances (two
//! `AppState`s, each with its own store, cache and listening connection); a change made through
//! A (a logout, a deactivation, a password change, `logout_all`, a deletion) is refused by B
//! within one second although B keeps entries for a minute, since the database announces it;
//! with B's listening connection killed, B still refuses within the lifetime; and a change that
//! bypasses the triggers is served from B's cache (it is hit) until the lifetime ends.

use std::time::{Duration, Instant};

use portcullis_server::Config;
use serde_json::json;
use sqlx::{Connection, PgConnection};

use super::auth_cache::refused_within;
use crate::harness::db::on_postgres;
use crate::harness::{Client, ME, NEW_PASSWORD, PASSWORD, TestApp};

/// The listening connections' `application_name`.
const LISTENER: &str = "portcullis-auth-listener";

/// Two instances on a fresh PostgreSQL database, keeping entries for `lifetime_ms`, both
/// listening; `None` when the tests are skipped (no PostgreSQL outside CI).
pub(crate) async fn two_instances(
    lifetime_ms: u64,
    tweak: impl Fn(&mut Config),
) -> Option<(TestApp, TestApp)> {
    if !on_postgres() {
        let message = "these tests need a real PostgreSQL: set PORTCULLIS_TEST_DATABASE_URL to \
                       an admin URL on which they may create databases";
        if std::env::var_os("CI").is_some() {
            panic!("{message}");
        }
        eprintln!("skipped: {message}");
        return None;
    }
    let mut config = Config::default();
    config.limits.auth_cache_ms = lifetime_ms;
    tweak(&mut config);
    let a = TestApp::with_config(config).await;
    let b = a.instance().await;
    wait_for_listeners(&a, 2).await;
    Some((a, b))
}

/// A connection of the test's own to the database.
pub(crate) async fn connect(app: &TestApp) -> PgConnection {
    PgConnection::connect(app.db_url())
        .await
        .expect("connect to the test database")
}

/// Wait until `n` instances listen on the database (their caches serve only then).
pub(crate) async fn wait_for_listeners(app: &TestApp, n: i64) {
    let mut conn = connect(app).await;
    let start = Instant::now();
    loop {
        let listening: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE application_name = $1 AND datname = current_database()",
        )
        .bind(LISTENER)
        .fetch_one(&mut conn)
        .await
        .expect("read pg_stat_activity");
        if listening >= n {
            // LISTEN runs right after the connection opens.
            tokio::time::sleep(Duration::from_millis(100)).await;
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "nobody listens");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `client` is authenticated now, and refused within a second after `change`.
async fn refused_within_a_second(client: &Client<'_>) {
    let took = refused_within(client, Duration::from_secs(3))
        .await
        .expect("refused on the other instance");
    eprintln!("refused on the other instance after {took:?}");
    assert!(took < Duration::from_secs(1), "refused after {took:?}");
}

/// Authenticated on B now (so that B keeps the entry).
async fn accepted(client: &Client<'_>) {
    for _ in 0..2 {
        let reply = client.get(ME).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
}

#[tokio::test]
async fn a_token_logged_out_on_a_is_refused_on_b_within_a_second() {
    let Some((a, b)) = two_instances(60_000, |_| {}).await else {
        return;
    };
    let ann = a.user("ann").await;
    let on_b = b.with_key(&ann.token);
    accepted(&on_b).await;

    let reply = ann.post("/auth/token/logout/", json!({})).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    refused_within_a_second(&on_b).await;
    assert_eq!(on_b.get(ME).await.text, r#"{"detail":"Invalid token."}"#);
}

#[tokio::test]
async fn a_user_deactivated_on_a_is_refused_on_b_within_a_second() {
    let Some((a, b)) = two_instances(60_000, |_| {}).await else {
        return;
    };
    let root = a.superuser("root").await;
    let ann = a.user("ann").await;
    let jwt = ann.jwt().await;
    let (token_on_b, jwt_on_b) = (b.with_key(&ann.token), b.bearer(&jwt.access));
    accepted(&token_on_b).await;
    accepted(&jwt_on_b).await;

    let path = format!("/api/admin/users/{}/", ann.id);
    let reply = root.patch(&path, json!({"is_active": false})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    refused_within_a_second(&token_on_b).await;
    refused_within_a_second(&jwt_on_b).await;
    // The console's deactivation deletes the DRF token too, as Django's admin action does.
    assert_eq!(
        token_on_b.get(ME).await.text,
        r#"{"detail":"Invalid token."}"#
    );
}

#[tokio::test]
async fn a_password_changed_on_a_revokes_the_token_and_jwts_on_b_within_a_second() {
    let Some((a, b)) = two_instances(60_000, |c| c.jwt.revoke_on_password_change = true).await
    else {
        return;
    };
    let ann = a.user("ann").await;
    let jwt = ann.jwt().await;
    let (token_on_b, jwt_on_b) = (b.with_key(&ann.token), b.bearer(&jwt.access));
    accepted(&token_on_b).await;
    accepted(&jwt_on_b).await;

    let change = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
    let reply = ann.post("/auth/users/set_password/", change).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    refused_within_a_second(&token_on_b).await;
    refused_within_a_second(&jwt_on_b).await;
}

#[tokio::test]
async fn a_jwt_logout_all_on_a_is_refused_on_b_within_a_second() {
    let Some((a, b)) = two_instances(60_000, |_| {}).await else {
        return;
    };
    let ann = a.jwt_user("ann").await;
    let on_b = b.bearer(&ann.access);
    accepted(&on_b).await;

    let reply = ann.call("POST", "/auth/logout_all/", None).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    refused_within_a_second(&on_b).await;
}

#[tokio::test]
async fn a_user_deleted_on_a_is_refused_on_b_within_a_second() {
    let Some((a, b)) = two_instances(60_000, |_| {}).await else {
        return;
    };
    let ann = a.user("ann").await;
    let jwt = ann.jwt().await;
    let (token_on_b, jwt_on_b) = (b.with_key(&ann.token), b.bearer(&jwt.access));
    accepted(&token_on_b).await;
    accepted(&jwt_on_b).await;

    let body = json!({"current_password": PASSWORD});
    let reply = ann.call("DELETE", ME, Some(body)).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    refused_within_a_second(&token_on_b).await;
    refused_within_a_second(&jwt_on_b).await;
}

#[tokio::test]
async fn with_the_listening_connection_killed_a_logout_is_still_refused_within_the_lifetime() {
    let Some((a, b)) = two_instances(1_000, |_| {}).await else {
        return;
    };
    let ann = a.user("ann").await;
    let on_b = b.with_key(&ann.token);
    accepted(&on_b).await;

    // Both instances lose their listening connection; the logout's announcement may be lost.
    let mut conn = connect(&a).await;
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1 AND datname = current_database()",
    )
    .bind(LISTENER)
    .execute(&mut conn)
    .await
    .expect("terminate the listeners");
    let reply = ann.post("/auth/token/logout/", json!({})).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    refused_within_a_second(&on_b).await;

    // The instances listen again by themselves, and announcements work again.
    wait_for_listeners(&a, 2).await;
    let bob = a.user("bob").await;
    let bob_on_b = b.with_key(&bob.token);
    accepted(&bob_on_b).await;
    let reply = bob.post("/auth/token/logout/", json!({})).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    refused_within_a_second(&bob_on_b).await;
}

#[tokio::test]
async fn a_change_nobody_announced_is_served_from_the_cache_until_the_lifetime_ends() {
    let Some((a, b)) = two_instances(1_000, |_| {}).await else {
        return;
    };
    let ann = a.user("ann").await;
    let on_b = b.with_key(&ann.token);
    accepted(&on_b).await;

    // A delete that fires no trigger (as a restore or a replica-mode script would).
    let mut conn = connect(&a).await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "SET session_replication_role = replica; \
         DELETE FROM authtoken_token WHERE user_id = {}",
        ann.id
    )))
    .execute(&mut conn)
    .await
    .expect("delete the token behind the cache's back");
    let deleted = Instant::now();
    // The token is gone from the database: only B's cache can still answer for it.
    let reply = on_b.get(ME).await;
    assert_eq!(reply.status, 200, "served from the cache: {}", reply.text);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM authtoken_token WHERE user_id = $1")
        .bind(ann.id)
        .fetch_one(&mut conn)
        .await
        .expect("count the tokens");
    assert_eq!(left, 0);

    refused_within(&on_b, Duration::from_secs(3))
        .await
        .expect("refused once the entry expired");
    let took = deleted.elapsed();
    assert!(
        took < Duration::from_millis(1_200),
        "refused after {took:?}"
    );
}

#[tokio::test]
async fn a_knox_token_logged_out_on_a_is_refused_on_b_within_a_second() {
    let knox_layout = |config: &mut Config| {
        let entry = |path: &str, include: &str| portcullis_server::config::UrlPattern {
            path: path.into(),
            include: Some(include.into()),
            ..Default::default()
        };
        config.urls = vec![
            entry("auth/", "djoser.urls"),
            entry("api/auth/", "knox.urls"),
        ];
        config.authentication_classes = vec![portcullis_server::config::AuthenticationClass::Knox];
    };
    let Some((a, b)) = two_instances(60_000, knox_layout).await else {
        return;
    };
    a.register("ann", PASSWORD).await;
    let body = json!({"username": "ann", "password": PASSWORD});
    let login = a.anon().post("/api/auth/login/", body).await;
    assert_eq!(login.status, 200, "{}", login.text);
    let header = format!("Token {}", login.json["token"].as_str().unwrap_or_default());
    let on_b = b.authorized(&header);
    accepted(&on_b).await;

    let reply = a
        .authorized(&header)
        .post("/api/auth/logout/", json!({}))
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    refused_within_a_second(&on_b).await;
    assert_eq!(on_b.get(ME).await.text, r#"{"detail":"Invalid token."}"#);
}
