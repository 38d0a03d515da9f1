//! Revocation: rotation with the blacklist (reuse refused, races included, expired records
//! purged), and the per-user epoch — logout-all, deactivation, password change — revoking every
//! token issued before it, on every instance, while the user's state is checked on every use.

use crate::harness::jwt::*;
use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

/// `POST /auth/logout_all/` from this client.
async fn logout_all(client: &Client<'_>) -> Response {
    client.call("POST", "/auth/logout_all/", None).await
}

#[tokio::test]
async fn rotation_blacklists_the_used_refresh_token_by_jti() {
    let app = App::new().await;
    let ann = app.jwt_user("ann").await;
    let res = app.refresh(&ann.refresh).await;
    let (refresh2, access2) = (res.str("refresh"), res.str("access"));
    let res = app.refresh(&ann.refresh).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, token_refusal("Token is blacklisted"));
    assert_eq!(app.refresh(&refresh2).await.status, StatusCode::OK);
    // Access tokens are not revoked by rotation (simplejwt's behaviour).
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
    assert_eq!(app.bearer(&access2).get(ME).await.status, StatusCode::OK);
    let rows = app.refresh_rows().await;
    let jti = |t: &str| claims(t)["jti"].as_str().unwrap().to_string();
    assert!(rows.contains(&(jti(&ann.refresh), true)));
    assert!(rows.contains(&(jti(&refresh2), true)));
    assert_eq!(
        rows.len(),
        3,
        "recorded by jti, one row per refresh token: {rows:?}"
    );
}

#[tokio::test]
async fn a_refresh_token_rotates_once_even_when_raced() {
    let app = App::new().await;
    let ann = app.jwt_user("ann").await;
    let (a, b, c) = tokio::join!(
        app.refresh(&ann.refresh),
        app.refresh(&ann.refresh),
        app.refresh(&ann.refresh)
    );
    let ok = [&a, &b, &c]
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(ok, 1, "{:?} {:?} {:?}", a.json, b.json, c.json);
}

/// Two instances, each with its own connections, race with the same refresh token: the
/// database decides, so exactly one request rotates it and the others are told it is
/// blacklisted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_token_rotates_once_when_raced_on_two_instances() {
    let one = App::new().await;
    let two = one.instance().await;
    let ann = one.jwt_user("ann").await;
    let (a, b, c, d) = tokio::join!(
        one.refresh(&ann.refresh),
        two.refresh(&ann.refresh),
        one.refresh(&ann.refresh),
        two.refresh(&ann.refresh)
    );
    let answers = [&a, &b, &c, &d];
    let ok = answers
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(ok, 1, "{:?}", answers.map(|r| &r.json));
    for refused in answers.iter().filter(|r| r.status != StatusCode::OK) {
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert_eq!(refused.json, token_refusal("Token is blacklisted"));
    }
}

#[tokio::test]
async fn expired_records_are_purged_in_bounded_batches() {
    let app = App::new().await;
    app.register("ann", PASSWORD).await;
    let store = app.state.store();
    for i in 0..150 {
        store
            .tokens()
            .jwt_outstand(&format!("old-{i:03}"), None, now() - 10)
            .await
            .unwrap();
    }
    store
        .tokens()
        .jwt_blacklist("old-blacklisted", None, now() - 10)
        .await
        .unwrap();
    let live_blacklisted = now() + 3600;
    store
        .tokens()
        .jwt_blacklist("live", None, live_blacklisted)
        .await
        .unwrap();
    assert_eq!(app.refresh_rows().await.len(), 152);
    let (refresh, _) = app.jwt_pair("ann", PASSWORD).await;
    assert_eq!(app.refresh_rows().await.len(), 53, "100 purged, 1 recorded");
    app.refresh(&refresh).await;
    let rows = app.refresh_rows().await;
    assert_eq!(
        rows.len(),
        3,
        "the live blacklisted one, the used one, the new one"
    );
    assert!(rows.contains(&("live".to_string(), true)));
}

#[tokio::test]
async fn logout_all_revokes_every_token_issued_before() {
    let app = App::new().await;
    let id = app.register("ann", PASSWORD).await;
    app.register("bob", PASSWORD).await;
    let (refresh1, access1) = app.jwt_pair("ann", PASSWORD).await;
    let (refresh2, access2) = app.jwt_pair("ann", PASSWORD).await;
    let (bob_refresh, bob_access) = app.jwt_pair("bob", PASSWORD).await;
    let drf = app.token("ann", PASSWORD).await;
    let hand_signed = access_for(id, json!({}));
    let res = logout_all(&app.bearer(&access1)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    for access in [&access1, &access2, &hand_signed] {
        let res = app.bearer(access).get(ME).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.json, bearer_refusal("Token is blacklisted"));
    }
    for refresh in [&refresh1, &refresh2] {
        assert_eq!(
            app.refresh(refresh).await.json,
            token_refusal("Token is blacklisted")
        );
        assert_verify_says_blacklisted(&app, refresh).await;
    }
    let res = app.with_key(&drf).get(ME).await;
    assert_eq!(
        res.json,
        json!({"detail": "Invalid token."}),
        "the DRF token is gone too"
    );
    // Other users keep theirs; a new login works and carries the new epoch.
    assert_eq!(app.bearer(&bob_access).get(ME).await.status, StatusCode::OK);
    assert_eq!(app.refresh(&bob_refresh).await.status, StatusCode::OK);
    let (refresh3, access3) = app.jwt_pair("ann", PASSWORD).await;
    assert_eq!(claims(&access3)["token_epoch"], 1);
    assert_eq!(app.bearer(&access3).get(ME).await.status, StatusCode::OK);
    let res = app.refresh(&refresh3).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(claims(&res.str("access"))["token_epoch"], 1);
    // With a DRF token as the credential, and anonymous.
    let drf = app.token("ann", PASSWORD).await;
    let res = logout_all(&app.with_key(&drf)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.bearer(&access3).get(ME).await.status,
        StatusCode::UNAUTHORIZED
    );
    let res = logout_all(&app.anon()).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.header("www-authenticate").as_deref(), Some("Token"));
}

#[tokio::test]
async fn revocation_reaches_every_instance() {
    let app = App::new().await;
    app.register("ann", PASSWORD).await;
    let other = app.sibling(config(), b"another instance's own secret, also 32+ bytes");
    let (refresh, access) = app.jwt_pair("ann", PASSWORD).await;
    assert_eq!(
        other.bearer(&access).get(ME).await.status,
        StatusCode::OK,
        "same signing key"
    );
    let res = logout_all(&other.bearer(&access)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.bearer(&access).get(ME).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.refresh(&refresh).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn deactivation_revokes_and_reactivation_does_not_revive() {
    let app = App::new().await;
    let ann = app.jwt_user("ann").await;
    app.set_active(ann.id, false).await;
    let res = ann.get(ME).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        res.json,
        json!({"detail": "User is inactive", "code": "user_inactive"})
    );
    let no_account = json!({"detail": "No active account found for the given token."});
    assert_eq!(app.refresh(&ann.refresh).await.json, no_account);
    assert_eq!(app.verify(&ann.access).await.json, no_account);
    app.set_active(ann.id, true).await;
    assert_pair_revoked(&app, &ann).await;
    assert_eq!(ann.jwt().await.get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn deleted_users_are_refused_with_a_401_not_a_500() {
    let app = App::new().await;
    let ann = app.jwt_user("ann").await;
    assert!(
        app.state
            .store()
            .accounts()
            .delete_user(ann.id)
            .await
            .unwrap()
    );
    let res = app.refresh(&ann.refresh).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        res.header("www-authenticate").as_deref(),
        Some("Bearer realm=\"api\"")
    );
    assert_eq!(
        res.json,
        json!({"detail": "No active account found for the given token."})
    );
    assert_eq!(
        app.verify(&ann.access).await.status,
        StatusCode::UNAUTHORIZED
    );
    let res = ann.get(ME).await;
    assert_eq!(
        res.json,
        json!({"detail": "User not found", "code": "user_not_found"})
    );
}

async fn change_password(caller: &JwtCaller<'_>) {
    let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
    let res = caller.post("/auth/users/set_password/", body).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{:?}", res.json);
}

#[tokio::test]
async fn password_change_revokes_only_when_configured() {
    let app = App::new().await;
    let ann = app.jwt_user("ann").await;
    change_password(&ann).await;
    assert_eq!(
        ann.get(ME).await.status,
        StatusCode::OK,
        "simplejwt's default"
    );
    assert_eq!(app.refresh(&ann.refresh).await.status, StatusCode::OK);

    let app = App::with(|c| c.jwt.revoke_on_password_change = true).await;
    let ann = app.jwt_user("ann").await;
    let drf = app.token("ann", PASSWORD).await;
    change_password(&ann).await;
    assert_pair_revoked(&app, &ann).await;
    let res = app.with_key(&drf).get(ME).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    // The command line's changepassword too.
    let (_, access) = app.jwt_pair("ann", NEW_PASSWORD).await;
    let user = app
        .state
        .store()
        .accounts()
        .user_by_id(ann.id)
        .await
        .unwrap()
        .unwrap();
    portcullis_server::accounts::manage::set_password(&app.state, &user, PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        app.bearer(&access).get(ME).await.status,
        StatusCode::UNAUTHORIZED
    );
}
