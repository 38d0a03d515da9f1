//! djoser's password and username reset over a real SMTP server: `reset_password` answers 204
//! for known and unknown addresses and mails only the known one; the link in the mail resets
//! the password once; it dies when the password changes and when it expires; a link made by
//! the replaced Django project (its `SECRET_KEY` as a setting) is accepted; a mail server that
//! is down fails no request.

use crate::harness::smtp_server::{SmtpServer, link_parts};
use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::EmailBackend;
use serde_json::{Value, json};

const RESET: &str = "/auth/users/reset_password/";
const CONFIRM: &str = "/auth/users/reset_password_confirm/";
const INVALID_TOKEN: &str = "Invalid token for given user.";
const INVALID_UID: &str = "Invalid user id or user doesn't exist.";

pub(crate) fn mailing(smtp: &SmtpServer) -> Config {
    let mut config = Config::default();
    config.email.backend = EmailBackend::Smtp;
    config.email.smtp_url = smtp.url();
    config.email.retry_delay_seconds = 0;
    config
}

fn confirm(uid: &str, token: &str, password: &str) -> Value {
    json!({ "uid": uid, "token": token, "new_password": password })
}

fn assert_empty_204(res: &Response) {
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    assert!(res.body.is_empty());
    assert_eq!(res.header("content-type"), None);
}

#[tokio::test]
async fn the_mailed_link_resets_the_password_once() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let app = TestApp::with_config(mailing(&smtp)).await;
    let id = app.register("alice", PASSWORD).await;

    // Unknown addresses get the same answer and no mail.
    let unknown = app
        .anon()
        .post(RESET, json!({"email": "nobody@example.com"}))
        .await;
    assert_empty_204(&unknown);
    let res = app
        .anon()
        .post(RESET, json!({"email": "alice@example.com"}))
        .await;
    assert_empty_204(&res);
    let mails = smtp.wait_for(1).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail["to"], json!(["alice@example.com"]));
    assert_eq!(mail["from"], "webmaster@localhost");
    assert_eq!(mail["subject"], "Password reset on localhost");
    let text = mail["text"].as_str().unwrap();
    assert!(text.starts_with("You're receiving this email because you requested a password reset for your user account at localhost.\n\nPlease go to the following page and choose a new password:\nhttp://localhost/#/password/reset/confirm/"), "{text}");
    assert!(text.ends_with("Your username, in case you've forgotten: alice\n\nThanks for using our site!\n\nThe localhost team"), "{text}");
    assert!(mail["html"].as_str().unwrap().contains("<b>alice</b>"));

    let (uid, token) = link_parts(mail);
    let done = app
        .anon()
        .post(CONFIRM, confirm(&uid, &token, NEW_PASSWORD))
        .await;
    assert_empty_204(&done);
    assert!(app.stored_user(id).await.unwrap().last_login.is_some());
    app.token("alice", NEW_PASSWORD).await;
    let old = app.login("/api-token-auth/", "alice", PASSWORD).await;
    assert_eq!(old.status, StatusCode::BAD_REQUEST);

    // Once only: the hash the token covers has changed.
    let again = app
        .anon()
        .post(CONFIRM, confirm(&uid, &token, "Another-pass-77"))
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.json, json!({ "token": [INVALID_TOKEN] }));
    app.token("alice", NEW_PASSWORD).await;
}

#[tokio::test]
async fn confirm_errors_come_in_djosers_order() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let app = TestApp::with_config(mailing(&smtp)).await;
    app.register("alice", PASSWORD).await;
    app.anon()
        .post(RESET, json!({"email": "alice@example.com"}))
        .await;
    let (uid, token) = link_parts(&smtp.wait_for(1).await[0]);
    let required = "This field is required.";
    let cases = [
        (
            json!({}),
            json!({"uid": [required], "token": [required], "new_password": [required]}),
        ),
        (
            json!({"uid": "", "token": token, "new_password": NEW_PASSWORD}),
            json!({"uid": ["This field may not be blank."]}),
        ),
        // Django's validators run before the uid is looked at.
        (
            confirm("bm9wZQ", "x-y", "short"),
            json!({"new_password": [
                "This password is too short. It must contain at least 8 characters."
            ]}),
        ),
        (
            confirm("OTk5", &token, NEW_PASSWORD),
            json!({ "uid": [INVALID_UID] }),
        ),
        (
            confirm("!!!", &token, NEW_PASSWORD),
            json!({ "uid": [INVALID_UID] }),
        ),
        (
            confirm(&uid, "abc-0123", NEW_PASSWORD),
            json!({ "token": [INVALID_TOKEN] }),
        ),
    ];
    for (body, expected) in cases {
        let res = app.anon().post(CONFIRM, body.clone()).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(res.json, expected, "{body}");
    }
    // None of them used the link up.
    let done = app
        .anon()
        .post(CONFIRM, confirm(&uid, &token, NEW_PASSWORD))
        .await;
    assert_empty_204(&done);
}

#[tokio::test]
async fn a_bad_email_is_refused_and_the_not_found_setting_tells_unknown_ones() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut config = mailing(&smtp);
    config.djoser.password_reset_show_email_not_found = true;
    let app = TestApp::with_config(config).await;
    let res = app
        .anon()
        .post(RESET, json!({"email": "not an email"}))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!({"email": ["Enter a valid email address."]}));
    let res = app.anon().post(RESET, json!({})).await;
    assert_eq!(res.json, json!({"email": ["This field is required."]}));
    let res = app
        .anon()
        .post(RESET, json!({"email": "nobody@example.com"}))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!(["User with given email does not exist."]));
}

#[tokio::test]
async fn a_link_dies_when_the_password_changes() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let app = TestApp::with_config(mailing(&smtp)).await;
    let alice = app.user("alice").await;
    app.anon()
        .post(RESET, json!({"email": "alice@example.com"}))
        .await;
    let (uid, token) = link_parts(&smtp.wait_for(1).await[0]);
    let changed = alice
        .post(
            "/auth/users/set_password/",
            json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT);
    let res = app
        .anon()
        .post(CONFIRM, confirm(&uid, &token, "Another-pass-77"))
        .await;
    assert_eq!(res.json, json!({ "token": [INVALID_TOKEN] }));
    app.token("alice", NEW_PASSWORD).await;
}

#[tokio::test]
async fn a_link_expires_after_the_timeout() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut config = mailing(&smtp);
    config.djoser.password_reset_timeout = Some(1);
    let app = TestApp::with_config(config).await;
    app.register("alice", PASSWORD).await;
    app.anon()
        .post(RESET, json!({"email": "alice@example.com"}))
        .await;
    let (uid, token) = link_parts(&smtp.wait_for(1).await[0]);
    // Two whole seconds later the token's age is over the one-second timeout, whatever the
    // fraction of the second it was made in.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let res = app
        .anon()
        .post(CONFIRM, confirm(&uid, &token, NEW_PASSWORD))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!({ "token": [INVALID_TOKEN] }));
    app.token("alice", PASSWORD).await;
}

/// A link the replaced Django project mailed: user 1 with this hash and email, made by
/// Django 5.2's `PasswordResetTokenGenerator` with that project's `SECRET_KEY` (computed with
/// the reference project's Python).
#[tokio::test]
async fn a_link_mailed_by_the_replaced_django_still_works() {
    let mut config = Config::default();
    config.djoser.django_secret_key = Some("the replaced Django project's SECRET_KEY".into());
    // The fixture's timestamp is fixed; only the HMAC is under test here.
    config.djoser.password_reset_timeout = Some(10_000_000_000);
    let app = TestApp::with_config(config).await;
    let id = app.register("carol", PASSWORD).await;
    assert_eq!(id, 1);
    app.store()
        .accounts()
        .set_password(id, "pbkdf2_sha256$1000000$oldsalt$c2FtZQ==")
        .await
        .unwrap();
    let token = "d8ary8-101dd9b0750a7820809ce936787b1475";
    let res = app
        .anon()
        .post(CONFIRM, confirm("MQ", token, NEW_PASSWORD))
        .await;
    assert_empty_204(&res);
    app.token("carol", NEW_PASSWORD).await;
}

#[tokio::test]
async fn a_mail_server_that_is_down_fails_no_request() {
    let mut config = Config::default();
    config.email.backend = EmailBackend::Smtp;
    // Nothing listens there: every attempt is refused.
    let port = crate::harness::smtp_server::free_port();
    config.email.smtp_url = format!("smtp://127.0.0.1:{port}?tls=none");
    let app = TestApp::with_config(config).await;
    app.register("alice", PASSWORD).await;
    for _ in 0..3 {
        let res = app
            .anon()
            .post(RESET, json!({"email": "alice@example.com"}))
            .await;
        assert_empty_204(&res);
    }
}

#[tokio::test]
async fn the_username_reset_link_renames_the_user() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let app = TestApp::with_config(mailing(&smtp)).await;
    app.register("alice", PASSWORD).await;
    app.register("bob", PASSWORD).await;
    let res = app
        .anon()
        .post(
            "/auth/users/reset_username/",
            json!({"email": "alice@example.com"}),
        )
        .await;
    assert_empty_204(&res);
    let mail = &smtp.wait_for(1).await[0];
    assert_eq!(mail["subject"], "Username reset on localhost");
    assert!(
        mail["text"]
            .as_str()
            .unwrap()
            .contains("/#/username/reset/confirm/")
    );
    let (uid, token) = link_parts(mail);
    let path = "/auth/users/reset_username_confirm/";
    let taken = app
        .anon()
        .post(
            path,
            json!({"uid": uid, "token": token, "new_username": "bob"}),
        )
        .await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        taken.json,
        json!({"new_username": ["A user with that username already exists."]})
    );
    let res = app
        .anon()
        .post(
            path,
            json!({"uid": uid, "token": token, "new_username": "alicia"}),
        )
        .await;
    assert_empty_204(&res);
    app.token("alicia", PASSWORD).await;
    let again = app
        .anon()
        .post(
            path,
            json!({"uid": uid, "token": token, "new_username": "alice2"}),
        )
        .await;
    assert_eq!(again.json, json!({ "token": [INVALID_TOKEN] }));
}

/// djoser's viewset checks its default permission (a user) before the 405 of a method the
/// action lacks; the username view's serializer has no `uid` and `token` fields.
#[tokio::test]
async fn other_methods_need_a_user_and_the_username_view_has_one_field() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    for path in [RESET, CONFIRM, "/auth/users/activation/"] {
        let anonymous = app.anon().get(path).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{path}");
        let signed_in = alice.get(path).await;
        assert_eq!(signed_in.status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
    }
    let path = "/auth/users/reset_username_confirm/";
    let res = app.anon().post(path, json!({})).await;
    assert_eq!(
        res.json,
        json!({"new_username": ["This field is required."]})
    );
    let res = app
        .anon()
        .post(path, json!({"new_username": "alicia"}))
        .await;
    assert_eq!(res.json, json!({"uid": [INVALID_UID]}));
}
