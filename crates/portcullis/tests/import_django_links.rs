//! Links mailed by the Django deployment being replaced keep working after the move: the
//! reference Django (its own `serve.sh`, djoser's mails to a real SMTP server) registers users
//! over HTTP and mails an activation link and a password reset link; after `portcullis
//! import-django` of its database, with its `SECRET_KEY` as `[djoser] django_secret_key`,
//! Portcullis accepts both links once, over HTTP. Skipped saying so without the reference's
//! virtualenv or aiosmtpd (failed under `CI`); on PostgreSQL with
//! `PORTCULLIS_TEST_DATABASE_URL`.
#![allow(clippy::unwrap_used)]

use std::path::Path;

mod support;
#[allow(dead_code)]
mod workdir;

use serde_json::Value;
use support::http::{portcullis, request, serve_with};
use support::oracle::{Django, Smtp, link_parts, oracle};
use workdir::{Workdir, stderr, stdout};

/// The reference project's `SECRET_KEY` (its settings' default).
const ORACLE_SECRET_KEY: &str =
    "oracle-insecure-secret-key-for-differential-testing-only-0123456789";

fn target_url(dir: &Path) -> String {
    workdir::database_url(dir)
        .unwrap_or_else(|| format!("sqlite://{}", dir.join("portcullis.sqlite3").display()))
}

/// The one mail to `to` whose link holds `path` (`/activate/`, `/password/reset/confirm/`).
fn mail_to<'a>(mails: &'a [Value], to: &str, path: &str) -> &'a Value {
    let found: Vec<&Value> = mails
        .iter()
        .filter(|m| m["to"][0] == to && m["text"].as_str().unwrap().contains(path))
        .collect();
    assert_eq!(found.len(), 1, "one mail to {to} with {path}: {mails:?}");
    found[0]
}

fn link_body(uid: &str, token: &str, extra: &str) -> String {
    format!(r#"{{"uid": "{uid}", "token": "{token}"{extra}}}"#)
}

/// On the running reference Django: dave registered, activated by his link and logged in (so
/// his last login is part of the reset token), then mailed a reset link; carol registered and
/// mailed an activation link she has not used. The mails, once all have arrived.
fn django_mails_links(django: &Django, smtp: &Smtp) -> Vec<Value> {
    let port = django.port;
    let dave =
        r#"{"username": "dave", "password": "dave-old-pass-1", "email": "dave@example.com"}"#;
    let made = request(port, "POST", "/auth/users/", None, dave);
    assert_eq!(made.status, 201, "{}", made.body);
    let mails = smtp.wait_for(1);
    let (uid, token) = link_parts(mail_to(&mails, "dave@example.com", "/activate/"));
    let body = link_body(&uid, &token, "");
    let activated = request(port, "POST", "/auth/users/activation/", None, &body);
    assert_eq!(activated.status, 204, "{}", activated.body);
    let login = r#"{"username": "dave", "password": "dave-old-pass-1"}"#;
    let answer = request(port, "POST", "/auth/token/login/", None, login);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let carol =
        r#"{"username": "carol", "password": "carol-old-pass-1", "email": "carol@example.com"}"#;
    let made = request(port, "POST", "/auth/users/", None, carol);
    assert_eq!(made.status, 201, "{}", made.body);
    let reset = r#"{"email": "dave@example.com"}"#;
    let asked = request(port, "POST", "/auth/users/reset_password/", None, reset);
    assert_eq!(asked.status, 204, "{}", asked.body);
    // Dave's activation and its confirmation, carol's activation, dave's reset.
    smtp.wait_for(4)
}

#[test]
fn links_mailed_by_django_work_once_in_portcullis_after_the_import() {
    let Some(_) = oracle() else { return };
    let Some(smtp) = Smtp::start() else { return };
    let django_dir = tempfile::tempdir().unwrap();
    let db = django_dir.path().join("django.sqlite3");
    let mut django = Django::serve(&db, smtp.port, &[("ORACLE_EMAIL_FLOWS", "1")]);
    let mails = django_mails_links(&django, &smtp);
    django.stop();

    let dir = Workdir::new();
    let source = db.to_string_lossy();
    let imported = portcullis(dir.path(), &target_url(dir.path()))
        .args(["import-django", "--database", &source])
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", stderr(&imported));
    let report = stdout(&imported);
    assert!(
        report.contains("users: 3 imported, 0 already here, 0 skipped\n"),
        "{report}"
    );
    let secret = [("PORTCULLIS_DJOSER__DJANGO_SECRET_KEY", ORACLE_SECRET_KEY)];
    let (_server, port) = serve_with(dir.path(), &target_url(dir.path()), &secret, "serve.log");

    // Dave's reset link: accepted once, and the new password is the one that works.
    let (uid, token) = link_parts(mail_to(&mails, "dave@example.com", "/password/reset/"));
    let confirm = link_body(&uid, &token, r#", "new_password": "dave-new-pass-2""#);
    let path = "/auth/users/reset_password_confirm/";
    let answer = request(port, "POST", path, None, &confirm);
    assert_eq!(answer.status, 204, "{}", answer.body);
    let new_login = r#"{"username": "dave", "password": "dave-new-pass-2"}"#;
    let answer = request(port, "POST", "/auth/token/login/", None, new_login);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let old_login = r#"{"username": "dave", "password": "dave-old-pass-1"}"#;
    assert_eq!(
        request(port, "POST", "/auth/token/login/", None, old_login).status,
        400
    );
    let again = request(port, "POST", path, None, &confirm);
    assert_eq!(again.status, 400, "{}", again.body);
    assert_eq!(again.body, r#"{"token":["Invalid token for given user."]}"#);

    // Carol, inactive in Django, is activated by the link Django mailed her, once. (No login
    // attempt first: verifying her Django hash re-hashes it with Portcullis's hasher, as Django
    // does with a new preferred hasher, and the link is signed over the hash.)
    let login = r#"{"username": "carol", "password": "carol-old-pass-1"}"#;
    let (uid, token) = link_parts(mail_to(&mails, "carol@example.com", "/activate/"));
    let body = link_body(&uid, &token, "");
    let answer = request(port, "POST", "/auth/users/activation/", None, &body);
    assert_eq!(answer.status, 204, "{}", answer.body);
    let again = request(port, "POST", "/auth/users/activation/", None, &body);
    assert_eq!(again.status, 403, "{}", again.body);
    assert_eq!(again.body, r#"{"detail":"Stale token for given user."}"#);
    let answer = request(port, "POST", "/auth/token/login/", None, login);
    assert_eq!(answer.status, 200, "{}", answer.body);
}
