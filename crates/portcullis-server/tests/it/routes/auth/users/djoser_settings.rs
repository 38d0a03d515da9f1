//! djoser's settings that change what its views take or do, one by one, as a project configured
//! with them answers: the `*_RETYPE` settings (`re_new_*` required, then compared after the
//! other checks with djoser's "The two ... fields didn't match."), the `*_SHOW_EMAIL_NOT_FOUND`
//! settings, `LOGOUT_ON_PASSWORD_CHANGE`, `TOKEN_MODEL = None`, and the re-activation that
//! `SEND_ACTIVATION_EMAIL` asks for when a user changes its email.

use super::password_reset::mailing;
use crate::harness::smtp_server::{SmtpServer, link_parts};
use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::{LoginField, TokenModel, UrlPattern};
use serde_json::json;

const SET_PASSWORD: &str = "/auth/users/set_password/";
const RESET_CONFIRM: &str = "/auth/users/reset_password_confirm/";
const USERNAME_CONFIRM: &str = "/auth/users/reset_username_confirm/";
const INVALID_UID: &str = "Invalid user id or user doesn't exist.";

async fn app_with(change: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::default();
    change(&mut config);
    TestApp::migrated(config).await
}

#[tokio::test]
async fn set_password_retype_takes_the_new_password_twice() {
    let app = app_with(|c| c.djoser.set_password_retype = true).await;
    let alice = app.user("alice").await;
    // `SetPasswordRetypeSerializer`'s field order: new, retyped, current.
    let res = alice.post(SET_PASSWORD, json!({})).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.text,
        r#"{"new_password":["This field is required."],"re_new_password":["This field is required."],"current_password":["This field is required."]}"#
    );
    // Django's validators run before the two are compared.
    let res = alice
        .post(
            SET_PASSWORD,
            json!({"new_password": "short", "re_new_password": "other", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"new_password": ["This password is too short. It must contain at least 8 characters."]})
    );
    let res = alice
        .post(
            SET_PASSWORD,
            json!({"new_password": NEW_PASSWORD, "re_new_password": "Other-pass-9876", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({"non_field_errors": ["The two password fields didn't match."]})
    );
    // Nothing changed; then the same password twice changes it.
    app.token("alice", PASSWORD).await;
    let res = alice
        .post(
            SET_PASSWORD,
            json!({"new_password": NEW_PASSWORD, "re_new_password": NEW_PASSWORD, "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    app.token("alice", NEW_PASSWORD).await;
}

#[tokio::test]
async fn the_reset_confirm_retypes_are_compared_before_the_link_is_read() {
    let app = app_with(|c| {
        c.djoser.password_reset_confirm_retype = true;
        c.djoser.username_reset_confirm_retype = true;
    })
    .await;
    let anon = app.anon();
    let res = anon.post(RESET_CONFIRM, json!({})).await;
    assert_eq!(
        res.text,
        r#"{"uid":["This field is required."],"token":["This field is required."],"new_password":["This field is required."],"re_new_password":["This field is required."]}"#
    );
    let res = anon
        .post(
            RESET_CONFIRM,
            json!({"uid": "OTk5", "token": "x-y", "new_password": NEW_PASSWORD, "re_new_password": "Other-pass-9876"}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"non_field_errors": ["The two password fields didn't match."]})
    );
    let res = anon
        .post(
            RESET_CONFIRM,
            json!({"uid": "OTk5", "token": "x-y", "new_password": NEW_PASSWORD, "re_new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(res.json, json!({"uid": [INVALID_UID]}));

    let res = anon.post(USERNAME_CONFIRM, json!({})).await;
    assert_eq!(
        res.text,
        r#"{"new_username":["This field is required."],"re_new_username":["This field is required."]}"#
    );
    let res = anon
        .post(
            USERNAME_CONFIRM,
            json!({"new_username": "alicia", "re_new_username": "alice2"}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"non_field_errors": ["The two username fields didn't match."]})
    );
    let res = anon
        .post(
            USERNAME_CONFIRM,
            json!({"new_username": "alicia", "re_new_username": "alicia"}),
        )
        .await;
    assert_eq!(res.json, json!({"uid": [INVALID_UID]}));
}

#[tokio::test]
async fn a_mailed_username_link_renames_with_the_name_retyped() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut config = mailing(&smtp);
    config.djoser.username_reset_confirm_retype = true;
    let app = TestApp::with_config(config).await;
    app.register("alice", PASSWORD).await;
    app.anon()
        .post(
            "/auth/users/reset_username/",
            json!({"email": "alice@example.com"}),
        )
        .await;
    let (uid, token) = link_parts(&smtp.wait_for(1).await[0]);
    let body = |retyped: &str| json!({"uid": uid, "token": token, "new_username": "alicia", "re_new_username": retyped});
    let res = app.anon().post(USERNAME_CONFIRM, body("alicia2")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = app.anon().post(USERNAME_CONFIRM, body("alicia")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    app.token("alicia", PASSWORD).await;
}

#[tokio::test]
async fn the_username_show_email_setting_tells_unknown_addresses_too() {
    let app = app_with(|c| c.djoser.username_reset_show_email_not_found = true).await;
    app.register("alice", PASSWORD).await;
    // djoser's `get_user` reads either setting, for both views.
    for path in ["/auth/users/reset_username/", "/auth/users/reset_password/"] {
        let res = app
            .anon()
            .post(path, json!({"email": "nobody@example.com"}))
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            res.json,
            json!(["User with given email does not exist."]),
            "{path}"
        );
        let known = app
            .anon()
            .post(path, json!({"email": "alice@example.com"}))
            .await;
        assert_eq!(known.status, StatusCode::NO_CONTENT, "{path}");
    }
}

#[tokio::test]
async fn logout_on_password_change_deletes_the_token() {
    let app = app_with(|c| c.djoser.logout_on_password_change = true).await;
    let alice = app.user("alice").await;
    let res = alice
        .post(
            SET_PASSWORD,
            json!({"new_password": NEW_PASSWORD, "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let res = alice.get(ME).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, json!({"detail": "Invalid token."}));
    let new = app.token("alice", NEW_PASSWORD).await;
    assert_ne!(new, alice.token);
}

/// The reference layout without djoser's token URLs (which `TOKEN_MODEL = None` cannot serve).
fn jwt_only_urls() -> Vec<UrlPattern> {
    let view = |path: &str, view: &str| UrlPattern {
        path: path.into(),
        view: Some(view.into()),
        ..UrlPattern::default()
    };
    vec![
        view("api-token-auth/", "obtain_auth_token"),
        UrlPattern {
            path: "auth/".into(),
            include: Some("djoser.urls".into()),
            ..UrlPattern::default()
        },
    ]
}

#[tokio::test]
async fn without_a_token_model_a_password_change_deletes_no_token() {
    let app = app_with(|c| {
        c.djoser.logout_on_password_change = true;
        c.djoser.token_model = TokenModel::None;
        c.urls = jwt_only_urls();
    })
    .await;
    let alice = app.user("alice").await;
    let res = alice
        .post(
            SET_PASSWORD,
            json!({"new_password": NEW_PASSWORD, "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(alice.get(ME).await.status, StatusCode::OK);
}

#[test]
fn without_a_token_model_djosers_token_urls_are_refused() {
    let mut config: Config = toml::from_str("[djoser]\ntoken_model = \"none\"\n").expect("toml");
    let problems = config.problems();
    let refused: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
    assert!(
        refused.iter().any(|k| k.contains("auth/")),
        "the built-in layout mounts djoser.urls.authtoken: {refused:?}"
    );
    config.urls = jwt_only_urls();
    assert!(config.problems().is_empty(), "{:?}", config.problems());
    let default: Config =
        toml::from_str("[djoser]\ntoken_model = \"rest_framework.authtoken.models.Token\"\n")
            .expect("toml");
    assert!(default.problems().is_empty());
}

#[tokio::test]
async fn a_new_email_deactivates_the_user_until_it_is_confirmed() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut config = mailing(&smtp);
    config.djoser.send_activation_email = true;
    let app = TestApp::with_config(config).await;
    let id = app.register("alice", PASSWORD).await;
    app.set_active(id, true).await;
    let alice = app.with_key(&app.token("alice", PASSWORD).await);
    smtp.wait_for(1).await;

    // The same address changes nothing.
    let res = alice.patch(ME, json!({"email": "alice@example.com"})).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(app.stored_user(id).await.unwrap().is_active);

    let res = alice.patch(ME, json!({"email": "alice@new.example"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        res.json,
        json!({"email": "alice@new.example", "id": id, "username": "alice"})
    );
    assert!(!app.stored_user(id).await.unwrap().is_active);
    assert_eq!(alice.get(ME).await.status, StatusCode::UNAUTHORIZED);
    let mails = smtp.wait_for(2).await;
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[1]["to"], json!(["alice@new.example"]));
    assert_eq!(mails[1]["subject"], "Account activation on localhost");
    let (uid, token) = link_parts(&mails[1]);
    let res = app
        .anon()
        .post(
            "/auth/users/activation/",
            json!({"uid": uid, "token": token}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    assert_eq!(alice.get(ME).await.status, StatusCode::OK);

    // PUT alike.
    let res = alice.put(ME, json!({"email": "alice@third.example"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert!(!app.stored_user(id).await.unwrap().is_active);
    let mails = smtp.wait_for(3).await;
    assert_eq!(mails[2]["to"], json!(["alice@third.example"]));
}

/// A model that logs in with its email: the retyped field is `re_new_email`, and the message
/// names the email (djoser formats `USERNAME_MISMATCH_ERROR` with `LOGIN_FIELD`).
#[tokio::test]
async fn the_email_reset_confirm_retype_names_the_email() {
    let app = app_with(|c| {
        c.user_model.username_field = LoginField::Email;
        c.user_model.required_fields = Vec::new();
        c.djoser.username_reset_confirm_retype = true;
    })
    .await;
    let path = "/auth/users/reset_email_confirm/";
    let res = app.anon().post(path, json!({})).await;
    assert_eq!(
        res.text,
        r#"{"new_email":["This field is required."],"re_new_email":["This field is required."]}"#
    );
    let res = app
        .anon()
        .post(
            path,
            json!({"new_email": "a@example.com", "re_new_email": "b@example.com"}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"non_field_errors": ["The two email fields didn't match."]})
    );
}
