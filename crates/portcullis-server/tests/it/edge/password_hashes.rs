//! Users imported from Django keep their passwords: a stored Django hash (`pbkdf2_sha256`,
//! `bcrypt_sha256`, legacy `argon2i`) verifies over HTTP and is upgraded to Portcullis' argon2id
//! on that successful login; a wrong password leaves it exactly as it was. The hashes are real
//! Django 5.2 outputs (see `portcullis-passwords/tests/it/hashers.rs`).

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

/// `PBKDF2PasswordHasher().encode("correct horse", salt, 1000)`.
const PBKDF2_SHA256: &str =
    "pbkdf2_sha256$1000$3zsv45woSuUV47OowWf1Gn$HTTjhkrNu8/zT1WTixoaBxPqeA9Dxg1jGohSCgas9WE=";
/// `make_password("lètmein", bcrypt.gensalt(5), "bcrypt_sha256")`.
const BCRYPT_SHA256: &str =
    "bcrypt_sha256$$2b$05$ElwTUQhoFSiy93FKoabcEulU7KwOegU90aaXrxaM5D0APZYeTEcVe";
/// Django 1.10-era `argon2i` parameters, of "secret".
const ARGON2I: &str =
    "argon2$argon2i$v=19$m=512,t=2,p=2$aHFuUlFiNHNxS202SVI4M2ExanQybg$5K5gTp9A08DEykmFLchLJg";

/// A registered user whose stored hash is replaced by `hash`, as an import from Django would
/// leave it.
async fn imported_user(app: &TestApp, username: &str, hash: &str) -> i64 {
    let id = app.register(username, PASSWORD).await;
    app.store()
        .accounts()
        .set_password(id, hash)
        .await
        .expect("stored");
    id
}

async fn stored_hash(app: &TestApp, id: i64) -> String {
    app.stored_user(id).await.expect("the user").password
}

#[tokio::test]
async fn a_django_pbkdf2_hash_logs_in_and_is_upgraded_to_argon2id() {
    let app = TestApp::new().await;
    let id = imported_user(&app, "imported", PBKDF2_SHA256).await;

    for wrong in ["correct horse ", "Correct horse", PASSWORD] {
        let res = app.login("/api-token-auth/", "imported", wrong).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{wrong}");
        assert_eq!(res.json, json!({ "non_field_errors": [UNABLE] }));
        assert_eq!(stored_hash(&app, id).await, PBKDF2_SHA256);
    }

    let key = app.token("imported", "correct horse").await;
    assert!(is_token_key(&key));
    let upgraded = stored_hash(&app, id).await;
    assert!(
        upgraded.starts_with("argon2$argon2id$v=19$m=19456,t=2,p=1$"),
        "{upgraded}"
    );

    // The upgraded hash verifies the same password and is not rewritten again.
    assert_eq!(app.token("imported", "correct horse").await, key);
    assert_eq!(stored_hash(&app, id).await, upgraded);
    let res = app
        .login("/api-token-auth/", "imported", "wrong-pass-1")
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bcrypt_sha256_and_legacy_argon2i_upgrade_through_djoser_login() {
    let app = TestApp::new().await;
    let bcrypt = imported_user(&app, "from_bcrypt", BCRYPT_SHA256).await;
    let argon2i = imported_user(&app, "from_argon2i", ARGON2I).await;

    let res = app
        .login("/auth/token/login/", "from_bcrypt", "letmein")
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(stored_hash(&app, bcrypt).await, BCRYPT_SHA256);
    let res = app
        .login("/auth/token/login/", "from_bcrypt", "lètmein")
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.json);
    assert!(
        stored_hash(&app, bcrypt)
            .await
            .starts_with("argon2$argon2id$")
    );

    let res = app
        .login("/auth/token/login/", "from_argon2i", "Secret")
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(stored_hash(&app, argon2i).await, ARGON2I);
    let res = app
        .login("/auth/token/login/", "from_argon2i", "secret")
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.json);
    assert!(
        stored_hash(&app, argon2i)
            .await
            .starts_with("argon2$argon2id$")
    );
}

#[tokio::test]
async fn a_form_login_with_a_non_ascii_password_upgrades_too() {
    let app = TestApp::new().await;
    let id = imported_user(&app, "formed", BCRYPT_SHA256).await;
    let res = app
        .anon()
        .form(
            "POST",
            "/api-token-auth/",
            "username=formed&password=l%C3%A8tmein",
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.json);
    assert!(stored_hash(&app, id).await.starts_with("argon2$argon2id$"));
}

#[tokio::test]
async fn checking_the_current_password_elsewhere_upgrades_as_well() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    app.store()
        .accounts()
        .set_password(alice.id, PBKDF2_SHA256)
        .await
        .unwrap();

    let body = json!({ "current_password": "correct horse", "new_password": "" });
    let res = alice.post("/auth/users/set_password/", body).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({ "new_password": ["This field may not be blank."] })
    );
    // Django's check_password upgrades on any successful check, whatever follows.
    assert!(
        stored_hash(&app, alice.id)
            .await
            .starts_with("argon2$argon2id$")
    );
    app.token("alice", "correct horse").await;
}

#[tokio::test]
async fn unusable_and_garbage_hashes_never_log_in() {
    let app = TestApp::with_config(many_logins()).await;
    let unusable = portcullis_passwords::make_unusable_password();
    for (n, hash) in [unusable.as_str(), "", "garbage", "md5$$x"]
        .iter()
        .enumerate()
    {
        let username = format!("broken{n}");
        let id = imported_user(&app, &username, hash).await;
        for password in ["garbage", "md5$$x", PASSWORD, &unusable[1..]] {
            let res = app.login("/api-token-auth/", &username, password).await;
            assert_eq!(res.status, StatusCode::BAD_REQUEST, "{hash:?} {password:?}");
            let login = app.login("/auth/token/login/", &username, password).await;
            assert_eq!(login.json, json!({ "non_field_errors": [UNABLE] }));
        }
        assert_eq!(stored_hash(&app, id).await, *hash);
    }
}
