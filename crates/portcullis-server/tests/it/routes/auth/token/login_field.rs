//! djoser's `LOGIN_FIELD = "email"` on Django's own `User` (`[djoser] login_field`), with the
//! `LoginFieldBackend` djoser's documentation prescribes for it: every login looks the user up
//! by email (djoser's token login reads `email`; simplejwt and DRF's `obtain_auth_token` read
//! `username`, which then holds the email), an email two users share logs nobody in, and the
//! user serializers carry the email, read-only, instead of the username.

use super::LOGIN;
use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::LoginField;
use serde_json::json;

fn login_field_config() -> Config {
    let mut config = Config::default();
    config.djoser.login_field = Some(LoginField::Email);
    config
}

const INVALID: &str = "Unable to log in with provided credentials.";

#[tokio::test]
async fn every_login_looks_the_user_up_by_email() {
    // Users registered before the setting (registration cannot create them afterwards).
    let mut app = TestApp::migrated(Config::default()).await;
    app.register("ann", PASSWORD).await;
    app.restart(login_field_config());
    let anon = app.anon();
    let res = anon
        .post(LOGIN, json!({"username": "ann", "password": PASSWORD}))
        .await;
    assert_eq!(res.json, json!({"non_field_errors": [INVALID]}));
    let res = anon
        .post(
            LOGIN,
            json!({"email": "ann@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let key = res.str("auth_token");
    assert_eq!(app.token("ann@example.com", PASSWORD).await, key);
    let res = app.login("/api-token-auth/", "ann", PASSWORD).await;
    assert_eq!(res.json, json!({"non_field_errors": [INVALID]}));
    let res = anon
        .post(
            "/auth/jwt/create/",
            json!({"email": "ann@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.json, json!({"username": ["This field is required."]}));
    app.jwt_pair("ann@example.com", PASSWORD).await;
    let res = anon.send("OPTIONS", LOGIN, &[], None).await;
    assert_eq!(
        res.json["actions"]["POST"]["email"],
        json!({"type": "string", "required": false, "read_only": false, "label": "Email"})
    );
}

#[tokio::test]
async fn an_email_two_users_share_logs_nobody_in() {
    let mut app = TestApp::migrated(Config::default()).await;
    for name in ["bob", "cat"] {
        let body = json!({"username": name, "email": "shared@example.com", "password": PASSWORD});
        let res = app.anon().post("/auth/users/", body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    app.register("dan", PASSWORD).await;
    app.restart(login_field_config());
    // Django answers 500 (`MultipleObjectsReturned`); here neither password opens either account.
    for path in [LOGIN, "/api-token-auth/"] {
        let key = if path == LOGIN { "email" } else { "username" };
        let res = app
            .anon()
            .post(
                path,
                json!({key: "shared@example.com", "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.json, json!({"non_field_errors": [INVALID]}), "{path}");
    }
    let res = app
        .anon()
        .post(
            "/auth/jwt/create/",
            json!({"username": "shared@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    app.token("dan@example.com", PASSWORD).await;
}

#[tokio::test]
async fn the_user_serializers_carry_the_email_and_no_username() {
    let mut app = TestApp::migrated(Config::default()).await;
    let id = app.register("eve", PASSWORD).await;
    app.restart(login_field_config());
    let eve = app.with_key(&app.token("eve@example.com", PASSWORD).await);
    let shown = json!({"email": "eve@example.com", "id": id});
    assert_eq!(eve.get("/auth/users/me/").await.json, shown);
    let res = eve
        .patch(
            "/auth/users/me/",
            json!({"email": "new@example.com", "username": "new"}),
        )
        .await;
    assert_eq!(res.json, shown);
    assert_eq!(eve.get("/auth/users/").await.results(), vec![shown]);
    let res = eve.send("OPTIONS", "/auth/users/", &[], None).await;
    assert_eq!(
        res.json["actions"]["POST"],
        json!({
            "email": {"type": "email", "required": false, "read_only": true, "label": "Email address"},
            "id": {"type": "integer", "required": false, "read_only": true, "label": "ID"},
        })
    );
    // Django answers 500 to both: djoser's serializers give create_user() no username.
    let res = app
        .anon()
        .post(
            "/auth/users/",
            json!({"email": "fay@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!(["Unable to create account."]));
    let res = eve
        .post(
            "/auth/users/set_username/",
            json!({"new_email": "eve2@example.com", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"non_field_errors": ["Unable to change the login field."]})
    );
}

#[tokio::test]
async fn a_login_by_email_is_found_through_an_index() {
    if crate::harness::db::skip_on_postgres("reads SQLite's query plan") {
        return;
    }
    let app = crate::harness::resources::ResourceApp::start(login_field_config()).await;
    let plan = app
        .query_plan("SELECT id FROM auth_user WHERE email = 'ann@example.com' ORDER BY id LIMIT 2")
        .await;
    assert!(
        plan.iter()
            .any(|step| step.contains("INDEX auth_user_email")),
        "{plan:?}"
    );
}
