//! djoser's activation over a real SMTP server: with `send_activation_email` a new user is
//! inactive (no login) until the link mailed at registration is posted to `activation`; the
//! link works once (then 403 "Stale token"); `resend_activation` mails a new one to inactive
//! users only, and answers 400 without the setting. The confirmation mails follow their
//! settings.

use super::password_reset::mailing;
use crate::harness::smtp_server::{SmtpServer, link_parts};
use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

const ACTIVATION: &str = "/auth/users/activation/";
const RESEND: &str = "/auth/users/resend_activation/";

#[tokio::test]
async fn a_new_user_logs_in_once_the_mailed_link_is_followed() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut config = mailing(&smtp);
    config.djoser.send_activation_email = true;
    config.djoser.send_confirmation_email = true;
    let app = TestApp::with_config(config).await;
    let id = app.register("alice", PASSWORD).await;
    assert!(!app.stored_user(id).await.unwrap().is_active);
    let refused = app.login("/auth/token/login/", "alice", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);

    let mails = smtp.wait_for(1).await;
    let mail = &mails[0];
    assert_eq!(mail["subject"], "Account activation on localhost");
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("\nhttp://localhost/#/activate/"), "{text}");
    let (uid, token) = link_parts(mail);

    let res = app
        .anon()
        .post(ACTIVATION, json!({"uid": uid, "token": token}))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    assert!(res.body.is_empty());
    assert!(app.stored_user(id).await.unwrap().is_active);
    app.token("alice", PASSWORD).await;

    // The confirmation mail follows the activation.
    let mails = smtp.wait_for(2).await;
    assert_eq!(
        mails[1]["subject"],
        "localhost - Your account has been successfully created and activated!"
    );

    let again = app
        .anon()
        .post(ACTIVATION, json!({"uid": uid, "token": token}))
        .await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert_eq!(again.json, json!({"detail": "Stale token for given user."}));
}

#[tokio::test]
async fn activation_errors_use_djosers_messages() {
    let app = TestApp::new().await;
    let id = app.register("alice", PASSWORD).await;
    app.deactivate(id).await;
    let cases = [
        (
            json!({}),
            json!({"uid": ["This field is required."], "token": ["This field is required."]}),
        ),
        (
            json!({"uid": "OTk5", "token": "x-y"}),
            json!({"uid": ["Invalid user id or user doesn't exist."]}),
        ),
        (
            json!({"uid": "MQ", "token": "dk7g1s-94c254758054c0205c230bc86339f57b"}),
            json!({"token": ["Invalid token for given user."]}),
        ),
    ];
    for (body, expected) in cases {
        let res = app.anon().post(ACTIVATION, body.clone()).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(res.json, expected, "{body}");
    }
    assert!(!app.stored_user(id).await.unwrap().is_active);
}

#[tokio::test]
async fn resend_activation_mails_inactive_users_only() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut config = mailing(&smtp);
    config.djoser.send_activation_email = true;
    let app = TestApp::with_config(config).await;
    app.register("alice", PASSWORD).await;
    smtp.wait_for(1).await;
    for email in ["alice@example.com", "nobody@example.com"] {
        let res = app.anon().post(RESEND, json!({ "email": email })).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{email}");
    }
    let mails = smtp.wait_for(2).await;
    let (uid, token) = link_parts(&mails[1]);
    let res = app
        .anon()
        .post(ACTIVATION, json!({"uid": uid, "token": token}))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    // Now active: no more activation mails, the same answer.
    let res = app
        .anon()
        .post(RESEND, json!({"email": "alice@example.com"}))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    // A mail to someone else proves the queue moved on without one for alice.
    app.anon()
        .post(
            "/auth/users/reset_password/",
            json!({"email": "alice@example.com"}),
        )
        .await;
    let mails = smtp.wait_for(3).await;
    assert_eq!(mails.len(), 3);
    assert_eq!(mails[2]["subject"], "Password reset on localhost");
}

#[tokio::test]
async fn resend_activation_without_the_setting_is_an_empty_400() {
    let app = TestApp::new().await;
    let res = app
        .anon()
        .post(RESEND, json!({"email": "alice@example.com"}))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.is_empty());
    assert_eq!(res.header("content-type"), None);
    let bad = app.anon().post(RESEND, json!({"email": "x"})).await;
    assert_eq!(bad.json, json!({"email": ["Enter a valid email address."]}));
}

#[tokio::test]
async fn a_password_change_is_confirmed_by_mail() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut config = mailing(&smtp);
    config.djoser.password_changed_email_confirmation = true;
    let app = TestApp::with_config(config).await;
    let alice = app.user("alice").await;
    let res = alice
        .post(
            "/auth/users/set_password/",
            json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let mail = &smtp.wait_for(1).await[0];
    assert_eq!(
        mail["subject"],
        "localhost - Your password has been successfully changed!"
    );
    assert_eq!(
        mail["text"],
        "Your password has been changed!\n\nThanks for using our site!\n\nThe localhost team"
    );
}
