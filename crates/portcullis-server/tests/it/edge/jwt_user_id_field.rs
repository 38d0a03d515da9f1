//! `[jwt] user_id_field` (simplejwt's `USER_ID_FIELD`): which field of the user a token names
//! it by. With `username`, tokens carry `str(user.username)` in the user id claim and every use
//! finds the user by it; revocation, blacklisting and the active check work as with ids.
// Helpers outside the #[test] functions unwrap too: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

use crate::harness::jwt::*;
use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use serde_json::json;

async fn by_username() -> App {
    App::with(|c| c.jwt.user_id_field = "username".into()).await
}

#[tokio::test]
async fn tokens_name_the_user_by_username() {
    let app = by_username().await;
    let ann = app.jwt_user("ann").await;
    assert_eq!(claims(&ann.refresh)["user_id"], json!("ann"));
    assert_eq!(claims(&ann.access)["user_id"], json!("ann"));
    assert_eq!(ann.get(ME).await.str("username"), "ann");
    let res = app.refresh(&ann.refresh).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(claims(&res.str("access"))["user_id"], json!("ann"));
    assert_eq!(app.verify(&ann.access).await.status, StatusCode::OK);
    // A token naming a user by id names nobody now: `User.objects.get(username="1")`.
    let by_id = access_for(ann.id, json!({}));
    let res = app.bearer(&by_id).get(ME).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json["code"], json!("user_not_found"), "{}", res.text);
    // An integer claim is compared as its digits, as Django compares a CharField.
    app.jwt_user("42").await;
    let numeric = access_for(0, json!({"user_id": 42}));
    assert_eq!(app.bearer(&numeric).get(ME).await.str("username"), "42");
    let unreadable = access_for(0, json!({"user_id": ["ann"]}));
    let res = app.bearer(&unreadable).get(ME).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_renamed_user_s_tokens_name_nobody() {
    let app = by_username().await;
    let ann = app.jwt_user("ann").await;
    let res = ann
        .post(
            "/auth/users/set_username/",
            json!({"current_password": PASSWORD, "new_username": "anna"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    let res = ann.get(ME).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json["detail"], json!("User not found"));
    assert_eq!(
        app.refresh(&ann.refresh).await.status,
        StatusCode::UNAUTHORIZED
    );
    // New tokens name the new username.
    let (_, access) = app.jwt_pair("anna", PASSWORD).await;
    assert_eq!(claims(&access)["user_id"], json!("anna"));
}

#[tokio::test]
async fn revocation_and_blacklisting_still_work() {
    let app = by_username().await;
    let ann = app.jwt_user("ann").await;
    let other = ann.jwt().await;
    let res = app
        .anon()
        .post("/api/token/blacklist/", json!({"refresh": other.refresh}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_verify_says_blacklisted(&app, &other.refresh).await;
    assert_eq!(
        ann.post("/auth/logout_all/", json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    assert_pair_revoked(&app, &ann).await;
    let id = ann.id;
    app.deactivate(id).await;
    let fresh = access_for(0, json!({"user_id": "ann"}));
    assert_eq!(
        app.bearer(&fresh).get(ME).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn pk_is_the_id() {
    let app = App::with(|c| c.jwt.user_id_field = "pk".into()).await;
    let ann = app.jwt_user("ann").await;
    assert_eq!(claims(&ann.access)["user_id"], json!(ann.id.to_string()));
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
}

#[test]
fn fields_that_cannot_name_a_user_are_refused() {
    for (field, why) in [
        ("email", "is not unique on Django's User"),
        ("uuid", "cannot name a user of Portcullis's user model"),
    ] {
        let mut config = Config::default();
        config.jwt.user_id_field = field.into();
        let problems = config.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].key, "jwt.user_id_field");
        assert!(problems[0].reason.contains(why), "{}", problems[0].reason);
    }
}
