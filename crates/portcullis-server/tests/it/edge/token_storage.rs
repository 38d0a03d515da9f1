//! Tokens at rest: a DRF token is created together with its user, handed out again unchanged on
//! every login, and stored only as a keyed digest and a sealed copy, so the database file never
//! holds a usable key, and a copy of it under another server secret authenticates nobody.
#![allow(clippy::unwrap_used)]

use crate::harness::db::skip_on_postgres;
use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

/// Read the database's token rows directly, as someone holding the database would.
async fn token_rows(app: &TestApp) -> Vec<(i64, String, Vec<u8>)> {
    let db = app.sql().await;
    let rows = db
        .rows(
            "SELECT user_id, key_digest, key_sealed FROM authtoken_token ORDER BY user_id",
            &[],
        )
        .await;
    db.close().await;
    rows
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn the_token_is_created_with_the_user() {
    let app = TestApp::new().await;
    let id = app.register("alice", PASSWORD).await;
    let rows = token_rows(&app).await;
    assert_eq!(rows.len(), 1);
    let (user_id, digest, sealed) = &rows[0];
    assert_eq!(*user_id, id);
    assert_eq!(digest.len(), 64);
    assert!(!sealed.is_empty());

    // Logging in hands out that token: no new row, no change to the stored forms.
    let key = app.token("alice", PASSWORD).await;
    assert_eq!(app.token("alice", PASSWORD).await, key);
    assert_eq!(token_rows(&app).await, rows);
    assert_ne!(digest, &key);
}

#[tokio::test]
async fn the_database_file_never_holds_a_key_in_plaintext() {
    if skip_on_postgres("scans SQLite's database and WAL files") {
        return;
    }
    let app = TestApp::new().await;
    let mut keys = Vec::new();
    for name in ["alice", "bob", "carol"] {
        keys.push(app.user(name).await.token);
    }
    let mut alice = keys[0].clone();
    for _ in 0..2 {
        let res = app
            .with_key(&alice)
            .call("POST", "/auth/token/logout/", None)
            .await;
        assert_eq!(res.status, StatusCode::NO_CONTENT);
        let res = app.login("/auth/token/login/", "alice", PASSWORD).await;
        alice = res.json["auth_token"].as_str().unwrap().to_string();
        keys.push(alice.clone());
    }
    keys.push(app.token("bob", PASSWORD).await);
    assert_eq!(
        app.with_key(keys.last().unwrap())
            .get("/auth/users/me/")
            .await
            .status,
        StatusCode::OK
    );

    let mut files = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", app.db_path().display());
        if let Ok(bytes) = std::fs::read(&path) {
            files.push((path, bytes));
        }
    }
    assert!(files.len() >= 2, "expected the database and its WAL");
    assert!(
        files.iter().any(|(_, b)| contains(b, b"alice")),
        "the scan sees row data"
    );
    for key in &keys {
        assert!(is_token_key(key));
        let raw = hex::decode(key).unwrap();
        for (path, bytes) in &files {
            for needle in [key.as_bytes(), key.to_uppercase().as_bytes(), &raw] {
                assert!(!contains(bytes, needle), "{path} holds token {key}");
            }
        }
    }
}

#[tokio::test]
async fn concurrent_logins_after_a_logout_all_get_the_same_new_key() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    alice.call("POST", "/auth/token/logout/", None).await;

    let (a, b, c, d) = tokio::join!(
        app.login("/auth/token/login/", "alice", PASSWORD),
        app.login("/api-token-auth/", "alice", PASSWORD),
        app.login("/auth/token/login/", "alice", PASSWORD),
        app.login("/api-token-auth/", "alice", PASSWORD),
    );
    let key = a.json["auth_token"].as_str().unwrap().to_string();
    assert_ne!(key, alice.token);
    assert_eq!(b.json, json!({ "token": key }));
    assert_eq!(c.json, json!({ "auth_token": key }));
    assert_eq!(d.json, json!({ "token": key }));
    assert_eq!(token_rows(&app).await.len(), 1);
}

/// DRF's `Token.objects.get_or_create` raced on two instances with their own connections: one
/// token is created and every login hands out that one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_logins_on_two_instances_all_get_the_same_new_key() {
    let one = TestApp::with_config(many_logins()).await;
    let two = one.instance().await;
    let alice = one.user("alice").await;
    alice.call("POST", "/auth/token/logout/", None).await;

    let (a, b, c, d) = tokio::join!(
        one.login("/auth/token/login/", "alice", PASSWORD),
        two.login("/auth/token/login/", "alice", PASSWORD),
        two.login("/api-token-auth/", "alice", PASSWORD),
        one.login("/api-token-auth/", "alice", PASSWORD),
    );
    let key = a.json["auth_token"].as_str().unwrap().to_string();
    assert_ne!(key, alice.token);
    assert_eq!(b.json, json!({ "auth_token": key }));
    assert_eq!(c.json, json!({ "token": key }));
    assert_eq!(d.json, json!({ "token": key }));
    assert_eq!(token_rows(&one).await.len(), 1);
    let me = two.with_key(&key).get("/auth/users/me/").await;
    assert_eq!(me.status, StatusCode::OK);
}

#[tokio::test]
async fn the_database_under_another_secret_authenticates_nobody() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let stolen = app.sibling(b"somebody else's server secret, 32+ bytes");

    let res = stolen.with_key(&alice.token).get("/auth/users/me/").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, json!({ "detail": "Invalid token." }));
    assert_eq!(alice.get("/auth/users/me/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn after_the_secret_changes_a_login_replaces_the_unreadable_token() {
    // The secret file is regenerated when it goes missing; every old token is then unusable
    // (its digest was keyed by the old secret), and logging in must still work.
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let renewed = app.sibling(b"the regenerated server secret, 32+ bytes");

    let res = renewed.login("/api-token-auth/", "alice", PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.json);
    let key = res.json["token"].as_str().unwrap().to_string();
    assert!(is_token_key(&key));
    assert_ne!(key, alice.token);
    assert_eq!(renewed.token("alice", PASSWORD).await, key);
    let djoser = renewed.login("/auth/token/login/", "alice", PASSWORD).await;
    assert_eq!(djoser.json, json!({ "auth_token": key }));
    assert_eq!(
        renewed.with_key(&key).get("/auth/users/me/").await.status,
        StatusCode::OK
    );
    assert_eq!(token_rows(&app).await.len(), 1);
}

/// The database holds password hashes and sealed tokens: like the server secret's file, it and
/// its WAL and shared-memory files are readable by their owner only, and a file left readable
/// by an older version is narrowed when the store opens it.
#[cfg(unix)]
#[tokio::test]
async fn the_database_files_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    if skip_on_postgres("reads the modes of SQLite's database files") {
        return;
    }
    let mode = |path: &str| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let app = TestApp::new().await;
    app.register("alice", PASSWORD).await;
    let db = app.db_path().display().to_string();
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{db}{suffix}");
        assert_eq!(mode(&path), 0o600, "{path}");
    }

    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.sqlite3");
    std::fs::write(&old, b"").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    let url = format!("sqlite://{}", old.display());
    portcullis_server::store::Store::open(&url).await.unwrap();
    assert_eq!(mode(&old.display().to_string()), 0o600);
}
