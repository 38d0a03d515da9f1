//! Writes that belong together happen together or not at all, and no write undoes another:
//! a login's hash upgrade never overwrites a password changed since it read the hash; a
//! password change and the revocation it triggers, a revocation's epoch and token deletion,
//! an admin API deactivation and its revocation, a user and its groups are each one transaction. Where a
//! second statement can be made to fail (a trigger this test creates raises), neither effect
//! is visible afterwards.

use crate::harness::jwt::*;
use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::accounts::{credentials, new_password};
use serde_json::json;

/// `PBKDF2PasswordHasher().encode("correct horse", salt, 1000)`: a hash a login upgrades.
const PBKDF2_SHA256: &str =
    "pbkdf2_sha256$1000$3zsv45woSuUV47OowWf1Gn$HTTjhkrNu8/zT1WTixoaBxPqeA9Dxg1jGohSCgas9WE=";

async fn app_with(change: impl FnOnce(&mut portcullis_server::Config)) -> App {
    App::with(|c| {
        c.throttle.rates.insert("login".into(), "100000/min".into());
        change(c);
    })
    .await
}

/// Make every statement of `kind` (`DELETE`, `UPDATE`, `INSERT`) on `table` fail from now on.
async fn fail_on(app: &App, kind: &str, table: &str) {
    let db = app.sql().await;
    db.create_failing_trigger("injected_failure", kind, table, "TRUE", "injected failure")
        .await;
    db.close().await;
}

async fn stop_failing(app: &App) {
    let db = app.sql().await;
    db.drop_failing_trigger("injected_failure").await;
    db.close().await;
}

async fn epoch(app: &App, id: i64) -> i64 {
    app.store()
        .tokens()
        .jwt_epoch(id)
        .await
        .expect("read the epoch")
}

async fn has_token(app: &App, id: i64) -> bool {
    app.store()
        .admin()
        .token_created(id)
        .await
        .expect("read the token")
        .is_some()
}

async fn hash(app: &App, id: i64) -> String {
    app.stored_user(id).await.expect("the user").password
}

#[tokio::test]
async fn a_hash_upgrade_never_undoes_a_password_change_made_meanwhile() {
    let app = app_with(|_| {}).await;
    let id = app.register("ann", PASSWORD).await;
    app.store()
        .accounts()
        .set_password(id, PBKDF2_SHA256)
        .await
        .unwrap();
    // A login reads the user with its old hash...
    let read_by_login = app.stored_user(id).await.expect("ann");
    // ...the password changes before the login has verified and upgraded it...
    new_password::set_password(&app.state, id, NEW_PASSWORD.into())
        .await
        .unwrap();
    let changed = hash(&app, id).await;
    // ...and the login's upgrade finds the hash it read gone: the change stays.
    assert!(
        credentials::check_password(&app.state, &read_by_login, "correct horse")
            .await
            .unwrap()
    );
    assert_eq!(hash(&app, id).await, changed);
    assert_eq!(
        app.login("/api-token-auth/", "ann", NEW_PASSWORD)
            .await
            .status,
        200
    );
    assert_eq!(
        app.login("/api-token-auth/", "ann", "correct horse")
            .await
            .status,
        400
    );

    // Without a change in between, the upgrade is written.
    app.store()
        .accounts()
        .set_password(id, PBKDF2_SHA256)
        .await
        .unwrap();
    assert_eq!(
        app.login("/api-token-auth/", "ann", "correct horse")
            .await
            .status,
        200
    );
    assert!(hash(&app, id).await.starts_with("argon2$argon2id$"));
    // The store's compare-and-set itself.
    let current = hash(&app, id).await;
    assert!(
        !app.store()
            .accounts()
            .upgrade_password(id, PBKDF2_SHA256, "x")
            .await
            .unwrap()
    );
    assert_eq!(hash(&app, id).await, current);
    assert!(
        app.store()
            .accounts()
            .upgrade_password(id, &current, "y")
            .await
            .unwrap()
    );
    assert_eq!(hash(&app, id).await, "y");
}

fn change_body() -> serde_json::Value {
    json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD})
}

#[tokio::test]
async fn a_password_change_and_its_revocation_are_one_transaction() {
    let app = app_with(|c| c.jwt.revoke_on_password_change = true).await;
    let ann = app.jwt_user("ann").await;
    let token = app.token("ann", PASSWORD).await;
    let (before, epoch_before) = (hash(&app, ann.id).await, epoch(&app, ann.id).await);

    fail_on(&app, "DELETE", "authtoken_token").await;
    let res = ann.post("/auth/users/set_password/", change_body()).await;
    assert_eq!(
        res.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        res.text
    );
    assert_eq!(
        hash(&app, ann.id).await,
        before,
        "the password did not change"
    );
    assert_eq!(
        epoch(&app, ann.id).await,
        epoch_before,
        "no session was revoked"
    );
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
    assert_eq!(app.with_key(&token).get(ME).await.status, StatusCode::OK);

    stop_failing(&app).await;
    let res = ann.post("/auth/users/set_password/", change_body()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    assert_ne!(hash(&app, ann.id).await, before);
    assert_eq!(epoch(&app, ann.id).await, epoch_before + 1);
    assert!(!has_token(&app, ann.id).await);
}

#[tokio::test]
async fn logout_all_bumps_the_epoch_and_deletes_the_token_together() {
    let app = app_with(|_| {}).await;
    let ann = app.jwt_user("ann").await;
    let token = app.token("ann", PASSWORD).await;

    fail_on(&app, "DELETE", "authtoken_token").await;
    let res = ann.call("POST", "/auth/logout_all/", None).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(epoch(&app, ann.id).await, 0);
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
    assert!(has_token(&app, ann.id).await);

    assert_eq!(app.with_key(&token).get(ME).await.status, StatusCode::OK);

    stop_failing(&app).await;
    let res = ann.call("POST", "/auth/logout_all/", None).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(epoch(&app, ann.id).await, 1);
    assert!(!has_token(&app, ann.id).await);
    assert_eq!(
        app.with_key(&token).get(ME).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_deactivation_and_its_revocation_are_one_transaction() {
    let app = app_with(|_| {}).await;
    let root = app.superuser("root").await;
    let ann = app.jwt_user("ann").await;
    let token = app.token("ann", PASSWORD).await;
    let path = format!("/api/admin/users/{}/", ann.id);

    fail_on(&app, "DELETE", "authtoken_token").await;
    let res = root.patch(&path, json!({"is_active": false})).await;
    assert_eq!(
        res.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        res.text
    );
    assert!(
        app.stored_user(ann.id).await.unwrap().is_active,
        "still active"
    );
    assert_eq!(epoch(&app, ann.id).await, 0);
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
    assert_eq!(app.with_key(&token).get(ME).await.status, StatusCode::OK);

    stop_failing(&app).await;
    let res = root.patch(&path, json!({"is_active": false})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(epoch(&app, ann.id).await, 1);
    assert!(!has_token(&app, ann.id).await);
    assert!(
        app.refresh_rows()
            .await
            .iter()
            .all(|(_, blacklisted)| *blacklisted)
    );
    // Reactivated, nothing old signs in again.
    app.set_active(ann.id, true).await;
    assert_pair_revoked(&app, &ann).await;
    assert_eq!(
        app.with_key(&token).get(ME).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_admin_revocation_is_one_transaction() {
    let app = app_with(|_| {}).await;
    let root = app.superuser("root").await;
    let ann = app.jwt_user("ann").await;
    let token = app.token("ann", PASSWORD).await;
    let path = format!("/api/admin/users/{}/revoke/", ann.id);

    fail_on(&app, "UPDATE", "jwt_refresh_token").await;
    let res = root.call("POST", &path, None).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(epoch(&app, ann.id).await, 0);
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
    assert_eq!(app.with_key(&token).get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_user_and_its_groups_are_written_together() {
    let app = app_with(|_| {}).await;
    let root = app.superuser("root").await;
    let group = root.post("/api/admin/groups/", json!({"name": "g"})).await;
    let group_id = group.json["id"].as_i64().expect("a group id");
    let id = app.register("ann", PASSWORD).await;

    fail_on(&app, "INSERT", "auth_user_groups").await;
    let res = root
        .post(
            "/api/admin/users/",
            json!({"username": "dora", "password": PASSWORD, "groups": [group_id]}),
        )
        .await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        app.store()
            .accounts()
            .user_by_username("dora")
            .await
            .unwrap()
            .is_none()
    );
    let res = root
        .patch(
            &format!("/api/admin/users/{id}/"),
            json!({"email": "new@example.com", "groups": [group_id]}),
        )
        .await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.stored_user(id).await.unwrap().email, "ann@example.com");
}
