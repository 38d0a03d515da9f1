//! A user model that logs in with its email (`[user_model] username_field = "email"`, Django's
//! `USERNAME_FIELD = "email"` with `username = None`): djoser's serializers carry the email and
//! no username, registration checks the email as the model's unique field, every login reads the
//! email (DRF's `obtain_auth_token` under `username`), and `set_username` is `set_email`.

use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::{LoginField, UserField};
use serde_json::json;

/// The `email_login` project's user model: names required, the email as the username.
fn email_config() -> Config {
    let mut config = Config::default();
    config.user_model.username_field = LoginField::Email;
    config.user_model.required_fields = vec![UserField::FirstName, UserField::LastName];
    config
}

async fn register(app: &TestApp, email: &str) -> Response {
    app.anon()
        .post(
            "/auth/users/",
            json!({"email": email, "password": PASSWORD}),
        )
        .await
}

/// A key from djoser's token login with the email.
async fn token_login(app: &TestApp, email: &str) -> String {
    let res = app
        .anon()
        .post(
            "/auth/token/login/",
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    res.str("auth_token")
}

#[tokio::test]
async fn registration_takes_the_email_and_answers_no_username() {
    let app = TestApp::migrated(email_config()).await;
    let res = app
        .anon()
        .post(
            "/auth/users/",
            json!({"email": "  ann@EXAMPLE.com ", "first_name": "Ann", "username": "ann", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.json["id"].clone();
    assert_eq!(
        res.json,
        json!({"email": "ann@example.com", "first_name": "Ann", "id": id, "last_name": ""})
    );
    let stored = app.stored_user(id.as_i64().unwrap_or_default()).await;
    assert_eq!(stored.map(|u| u.username), Some("ann@example.com".into()));

    let res = app
        .anon()
        .post(
            "/auth/users/",
            json!({"username": "bob", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.json, json!({"email": ["This field is required."]}));
    let res = register(&app, "ann@example.com").await;
    assert_eq!(
        res.json,
        json!({"email": ["user with this email address already exists."]})
    );
    // Distinct as sent, the same once the manager lowercases the domain: djoser's IntegrityError.
    let res = register(&app, "ann@Example.COM").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!(["Unable to create account."]));
    let res = register(&app, "not-an-email").await;
    assert_eq!(res.json, json!({"email": ["Enter a valid email address."]}));
    let res = app
        .anon()
        .post(
            "/auth/users/",
            json!({"email": ["x@example.com"], "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.json, json!({"email": ["Enter a valid email address."]}));
    // The similarity validator compares with the email (the model has no username).
    let res = app
        .anon()
        .post(
            "/auth/users/",
            json!({"email": "marguerite.fox@example.com", "password": "marguerite.fox"}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"password": ["The password is too similar to the email address."]})
    );
}

#[tokio::test]
async fn every_login_reads_the_email() {
    let app = TestApp::migrated(email_config()).await;
    assert_eq!(
        register(&app, "cat@example.com").await.status,
        StatusCode::CREATED
    );
    let anon = app.anon();
    let res = anon
        .post(
            "/auth/jwt/create/",
            json!({"username": "cat@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.json, json!({"email": ["This field is required."]}));
    let res = anon
        .post(
            "/auth/jwt/create/",
            json!({"email": "cat@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let res = anon
        .post(
            "/auth/jwt/create/",
            json!({"email": "CAT@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);

    let res = anon
        .post(
            "/auth/token/login/",
            json!({"username": "cat@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"non_field_errors": ["Unable to log in with provided credentials."]})
    );
    let key = token_login(&app, "cat@example.com").await;
    // DRF's AuthTokenSerializer keeps its `username` field: it holds the email.
    assert_eq!(app.token("cat@example.com", PASSWORD).await, key);
    let res = anon
        .post(
            "/api-token-auth/",
            json!({"email": "cat@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.json, json!({"username": ["This field is required."]}));

    let res = anon.send("OPTIONS", "/auth/jwt/create/", &[], None).await;
    assert_eq!(
        res.json["actions"]["POST"]["email"],
        json!({"type": "string", "required": true, "read_only": false, "label": "Email"})
    );
    let res = anon.send("OPTIONS", "/auth/token/login/", &[], None).await;
    assert!(
        res.json["actions"]["POST"].get("username").is_none(),
        "{}",
        res.text
    );
}

#[tokio::test]
async fn the_user_list_and_detail_render_the_email_read_only() {
    let app = TestApp::migrated(email_config()).await;
    let id = register(&app, "dan@example.com").await.json["id"].clone();
    let dan = app.with_key(&token_login(&app, "dan@example.com").await);
    let shown = json!({"email": "dan@example.com", "first_name": "", "id": id, "last_name": ""});
    assert_eq!(dan.get("/auth/users/").await.results(), vec![shown.clone()]);
    assert_eq!(dan.get(&format!("/auth/users/{id}/")).await.json, shown);
    let res = dan
        .patch(
            "/auth/users/me/",
            json!({"email": "other@example.com", "first_name": "Dan"}),
        )
        .await;
    assert_eq!(
        (res.str("email"), res.str("first_name")),
        ("dan@example.com".into(), "Dan".into())
    );
    let res = dan.send("OPTIONS", "/auth/users/me/", &[], None).await;
    assert_eq!(
        res.json["actions"]["PUT"]["email"],
        json!({"type": "email", "required": false, "read_only": true, "label": "Email address"})
    );
    assert!(res.json["actions"]["PUT"].get("username").is_none());
}

#[tokio::test]
async fn set_email_replaces_the_login() {
    let app = TestApp::migrated(email_config()).await;
    register(&app, "eve@example.com").await;
    register(&app, "taken@example.com").await;
    let eve = app.with_key(&token_login(&app, "eve@example.com").await);
    let res = eve
        .post(
            "/auth/users/set_username/",
            json!({"new_username": "eve", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED, "{}", res.text);
    let res = eve
        .post(
            "/auth/users/set_email/",
            json!({"new_email": "taken@example.com", "current_password": "nope"}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"current_password": ["Invalid password."], "new_email": ["user with this email address already exists."]})
    );
    let res = eve
        .post(
            "/auth/users/set_email/",
            json!({"new_email": "eve2@example.com", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    assert_eq!(
        eve.get("/auth/users/me/").await.str("email"),
        "eve2@example.com"
    );
    let res = app
        .anon()
        .post(
            "/auth/jwt/create/",
            json!({"email": "eve@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    token_login(&app, "eve2@example.com").await;
    // The old address is free again.
    assert_eq!(
        register(&app, "eve@example.com").await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn set_username_retype_asks_for_the_email_twice() {
    let mut config = email_config();
    config.djoser.set_username_retype = true;
    let app = TestApp::migrated(config).await;
    register(&app, "fay@example.com").await;
    let fay = app.with_key(&token_login(&app, "fay@example.com").await);
    let res = fay
        .post(
            "/auth/users/set_email/",
            json!({"new_email": "fay2@example.com", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"re_new_email": ["This field is required."]})
    );
    let res = fay
        .post(
            "/auth/users/set_email/",
            json!({"new_email": "fay2@example.com", "re_new_email": "fay3@example.com", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"non_field_errors": ["The two email fields didn't match."]})
    );
    let res = fay
        .post(
            "/auth/users/set_email/",
            json!({"new_email": "fay2@example.com", "re_new_email": "fay2@example.com", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
}

#[tokio::test]
async fn the_admin_api_keeps_the_email_as_the_name() {
    let app = TestApp::migrated(email_config()).await;
    let id = register(&app, "gus@example.com").await.json["id"].clone();
    let id = id.as_i64().unwrap_or_default();
    let admin = portcullis_server::accounts::manage::create_superuser_by_email(
        &app.state,
        "root@example.com",
        &portcullis_server::accounts::manage::Names::default(),
        Some(PASSWORD),
    )
    .await
    .expect("the superuser is created");
    assert_eq!(admin.username, "root@example.com");
    let root = app.with_key(&token_login(&app, "root@example.com").await);
    let res = root
        .patch(
            &format!("/api/admin/users/{id}/"),
            json!({"email": "gus2@example.com"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let stored = app.stored_user(id).await.expect("the user");
    assert_eq!(
        (stored.username.as_str(), stored.email.as_str()),
        ("gus2@example.com", "gus2@example.com")
    );
    token_login(&app, "gus2@example.com").await;
    let res = root
        .post(
            "/api/admin/users/",
            json!({"username": "ignored", "email": "hal@EXAMPLE.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(
        (res.str("username"), res.str("email")),
        ("hal@example.com".into(), "hal@example.com".into())
    );
    token_login(&app, "hal@example.com").await;
    let res = root
        .patch(
            &format!("/api/admin/users/{id}/"),
            json!({"email": "root@example.com"}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"email": ["user with this email address already exists."]})
    );
}

#[test]
fn the_configuration_refuses_what_django_refuses() {
    let mut config = email_config();
    config.user_model.required_fields = vec![UserField::Email];
    config.djoser.login_field = Some(LoginField::Username);
    let problems: Vec<String> = config.problems().iter().map(|p| p.to_string()).collect();
    for expected in [
        "user_model.required_fields: must not contain \"email\" when username_field is \"email\" (Django's auth.E002)",
        "djoser.login_field: \"username\" names no field: the user model's username_field is \"email\" (it has no username)",
    ] {
        assert!(problems.iter().any(|p| p == expected), "{problems:?}");
    }
}

#[tokio::test]
async fn a_new_password_is_compared_with_the_email_not_a_username() {
    let app = TestApp::migrated(email_config()).await;
    register(&app, "ivan.petrov@example.com").await;
    let ivan = app.with_key(&token_login(&app, "ivan.petrov@example.com").await);
    let res = ivan
        .post(
            "/auth/users/set_password/",
            json!({"new_password": "ivan.petrov", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(
        res.json,
        json!({"new_password": ["The password is too similar to the email address."]})
    );
}
