//! `/auth/users/`: djoser's registration (open to anyone; Django's username, email and password
//! validators with Django's messages) and user list (HIDE_USERS: a non-staff user sees only
//! itself; staff see everyone, paginated as DRF paginates).

use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use serde_json::{Value, json};

const PATH: &str = "/auth/users/";

fn assert_view_headers(res: &Response) {
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_LIST));
    assert_eq!(res.vary().as_deref(), Some("accept, origin"));
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/json")
    );
}

async fn register_raw(app: &TestApp, body: Value) -> Response {
    app.anon().send("POST", PATH, &[], Some(body)).await
}

#[tokio::test]
async fn registration_answers_201_with_the_user_and_creates_its_token() {
    let app = TestApp::new().await;
    let res = register_raw(
        &app,
        json!({ "username": "alice", "password": PASSWORD, "email": "alice@example.com" }),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_view_headers(&res);
    let id = res.json["id"].as_i64().unwrap();
    assert_eq!(
        res.json,
        json!({ "email": "alice@example.com", "id": id, "username": "alice" })
    );
    assert_eq!(res.header("www-authenticate"), None);

    let user = app.stored_user(id).await.unwrap();
    assert!(user.password.starts_with("argon2$argon2id$"));
    assert!(user.is_active && !user.is_staff && !user.is_superuser);
    assert_eq!(user.last_login, None);

    let without_email =
        register_raw(&app, json!({ "username": "bob", "password": PASSWORD })).await;
    assert_eq!(without_email.status, StatusCode::CREATED);
    assert_eq!(without_email.json["email"], json!(""));
    assert_eq!(without_email.json["username"], json!("bob"));
}

#[tokio::test]
async fn duplicate_usernames_are_refused_but_case_differs() {
    let app = TestApp::new().await;
    app.register("alice", PASSWORD).await;
    let again = register_raw(&app, json!({ "username": "alice", "password": PASSWORD })).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        again.json,
        json!({ "username": ["A user with that username already exists."] })
    );
    assert_view_headers(&again);
    assert_eq!(app.user_count().await, 1);

    let upper = register_raw(&app, json!({ "username": "ALICE", "password": PASSWORD })).await;
    assert_eq!(upper.status, StatusCode::CREATED);
    assert_eq!(upper.json["username"], json!("ALICE"));
}

#[tokio::test]
async fn invalid_fields_get_djangos_messages_and_create_nothing() {
    let app = TestApp::new().await;
    let required = "This field is required.";
    let cases = [
        (
            json!({}),
            json!({ "password": [required], "username": [required] }),
        ),
        (
            json!({ "username": "u1" }),
            json!({ "password": [required] }),
        ),
        (
            json!({ "password": PASSWORD }),
            json!({ "username": [required] }),
        ),
        (
            json!({ "username": "bad name!", "password": PASSWORD }),
            json!({ "username": ["Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."] }),
        ),
        (
            json!({ "username": "u".repeat(151), "password": PASSWORD }),
            json!({ "username": ["Ensure this field has no more than 150 characters."] }),
        ),
        (
            json!({ "username": "u1", "password": PASSWORD, "email": "not-an-email" }),
            json!({ "email": ["Enter a valid email address."] }),
        ),
        (
            json!({ "username": ["u1"], "password": 5, "email": true }),
            json!({
                "email": ["Not a valid string."],
                "username": ["Not a valid string."],
            }),
        ),
        (
            json!({ "username": null, "password": null }),
            json!({
                "password": ["This field may not be null."],
                "username": ["This field may not be null."],
            }),
        ),
    ];
    for (body, expected) in cases {
        let res = register_raw(&app, body.clone()).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(res.json, expected, "{body}");
        assert_view_headers(&res);
    }
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn weak_passwords_get_djangos_four_validators() {
    let app = TestApp::new().await;
    let cases = [
        (
            "abc",
            "",
            vec![
                "This password is too short. It must contain at least 8 characters.",
                "This password is too common.",
            ],
        ),
        ("password", "", vec!["This password is too common."]),
        ("86753091", "", vec!["This password is entirely numeric."]),
        (
            "12345678",
            "",
            vec![
                "This password is too common.",
                "This password is entirely numeric.",
            ],
        ),
        (
            "weakling_7x",
            "",
            vec!["The password is too similar to the username."],
        ),
        (
            "zebracrossing77",
            "zebracrossing77@example.com",
            vec!["The password is too similar to the email address."],
        ),
        ("", "", vec!["This field may not be blank."]),
    ];
    for (password, email, expected) in cases {
        let body = json!({ "username": "weakling_7", "password": password, "email": email });
        let res = register_raw(&app, body).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{password}");
        assert_eq!(res.json, json!({ "password": expected }), "{password}");
    }
    assert_eq!(app.user_count().await, 0);
    let login = app.login("/api-token-auth/", "weakling_7", "abc").await;
    assert_eq!(login.json, json!({ "non_field_errors": [UNABLE] }));
}

#[tokio::test]
async fn form_registration_and_privileged_fields_are_ignored() {
    let app = TestApp::new().await;
    let res = app
        .anon()
        .form(
            "POST",
            PATH,
            "username=formed&password=kV7%23mountain-Lamp&is_staff=true&is_superuser=1",
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{:?}", res.json);
    assert_eq!(res.json["email"], json!(""));

    let res = register_raw(
        &app,
        json!({
            "username": "sneaky", "password": PASSWORD, "id": 999,
            "is_staff": true, "is_superuser": true, "is_active": false,
        }),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let id = res.json["id"].as_i64().unwrap();
    assert_ne!(id, 999);
    let user = app.stored_user(id).await.unwrap();
    assert!(user.is_active && !user.is_staff && !user.is_superuser);
    let formed = app
        .store()
        .accounts()
        .user_by_username("formed")
        .await
        .unwrap();
    assert!(!formed.unwrap().is_staff);
}

#[tokio::test]
async fn registration_normalizes_the_email_domain_as_create_user_does() {
    // Django's UserManager.create_user lowercases the domain (not the local part); a later
    // PATCH is saved as sent.
    let app = TestApp::new().await;
    let res = register_raw(
        &app,
        json!({ "username": "ann", "password": PASSWORD, "email": "  Ann.Lee@EXAMPLE.Com " }),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(res.json["email"], json!("Ann.Lee@example.com"));
    let id = res.json["id"].as_i64().unwrap();
    assert_eq!(
        app.stored_user(id).await.unwrap().email,
        "Ann.Lee@example.com"
    );

    let token = app.token("ann", PASSWORD).await;
    let patch = json!({ "email": "Ann@EXAMPLE.com" });
    let res = app.with_key(&token).patch("/auth/users/me/", patch).await;
    assert_eq!(res.json["email"], json!("Ann@EXAMPLE.com"));
}

#[tokio::test]
async fn usernames_are_trimmed_passwords_are_not() {
    let app = TestApp::new().await;
    let res = register_raw(&app, json!({ "username": " trim ", "password": PASSWORD })).await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(res.json["username"], json!("trim"));
    let key = app.token(" trim\t", PASSWORD).await;
    assert_eq!(app.token("trim", PASSWORD).await, key);
}

#[tokio::test]
async fn registration_keeps_the_password_exactly_as_sent() {
    let app = TestApp::new().await;
    let spaced = format!("  {PASSWORD}  ");
    app.register("spacey", &spaced).await;
    let trimmed = app.login("/api-token-auth/", "spacey", PASSWORD).await;
    assert_eq!(trimmed.status, StatusCode::BAD_REQUEST);
    assert_eq!(trimmed.json, json!({ "non_field_errors": [UNABLE] }));
    app.token("spacey", &spaced).await;
}

#[tokio::test]
async fn the_list_needs_a_user_and_hides_other_users() {
    let app = TestApp::new().await;
    let anonymous = app.anon().get(PATH).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.json,
        json!({ "detail": "Authentication credentials were not provided." })
    );
    assert_eq!(
        anonymous.header("www-authenticate").as_deref(),
        Some("Token")
    );
    assert_view_headers(&anonymous);

    let alice = app.user("alice").await;
    app.register("bob", PASSWORD).await;
    let res = alice.get(PATH).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_view_headers(&res);
    assert_eq!(
        res.json,
        json!({
            "count": 1, "next": null, "previous": null,
            "results": [{ "email": "alice@example.com", "id": alice.id, "username": "alice" }],
        })
    );

    let options = app.anon().send("OPTIONS", PATH, &[], None).await;
    assert_eq!(options.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn staff_see_everyone_page_by_page() {
    let config = Config {
        page_size: 2,
        ..Config::default()
    };
    let app = TestApp::with_config(config).await;
    let admin = app.superuser("admin").await;
    let alice = app.register("alice", PASSWORD).await;
    let bob = app.register("bob", PASSWORD).await;

    let first = admin.get(PATH).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.json["count"], json!(3));
    assert_eq!(first.json["previous"], Value::Null);
    assert_eq!(
        first.json["next"],
        json!("http://localhost/auth/users/?page=2")
    );
    let ids: Vec<&Value> = first.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| &u["id"])
        .collect();
    assert_eq!(ids, [&json!(admin.id), &json!(alice)]);

    let last = admin.get("/auth/users/?page=last").await;
    assert_eq!(last.json["next"], Value::Null);
    assert_eq!(last.json["previous"], json!("http://localhost/auth/users/"));
    assert_eq!(
        last.json["results"],
        json!([{ "email": "bob@example.com", "id": bob, "username": "bob" }])
    );

    for page in ["3", "0", "x"] {
        let res = admin.get(&format!("/auth/users/?page={page}")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{page}");
        assert_eq!(res.json, json!({ "detail": "Invalid page." }));
        assert_view_headers(&res);
    }
}

#[tokio::test]
async fn options_shows_the_registration_fields_to_a_user() {
    let app = TestApp::new().await;
    let alice = app.user("alice").await;
    let res = alice.call("OPTIONS", PATH, None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_view_headers(&res);
    assert_eq!(res.json["name"], json!("User List"));
    assert_eq!(
        res.json["renders"],
        json!(["application/json", "text/html"])
    );
    let post = &res.json["actions"]["POST"];
    assert_eq!(post["email"]["type"], json!("email"));
    assert_eq!(post["id"]["read_only"], json!(true));
    // Read-only in djoser's UserSerializer: DRF drops max_length from its metadata.
    assert_eq!(post["username"]["read_only"], json!(true));
    assert_eq!(post["username"].get("max_length"), None);
}

#[tokio::test]
async fn registration_normalizes_the_username_to_nfkc_as_django_does() {
    // Django's normalize_username: compatibility characters become their plain forms, so a
    // look-alike of an existing name is refused rather than stored beside it.
    let app = TestApp::new().await;
    let res = register_raw(
        &app,
        json!({ "username": "ｆｕｌｌ", "password": PASSWORD }),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(res.json["username"], "full");
    let again = register_raw(&app, json!({ "username": "full", "password": PASSWORD })).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        again.json,
        json!({ "username": ["A user with that username already exists."] })
    );
}

/// Registering a name holding a NUL gets DRF's answer on every database (the check that the
/// name is free used to be a server error on PostgreSQL): the model field's validator, then
/// CharField's "Null characters are not allowed."
#[tokio::test]
async fn a_username_holding_a_nul_is_refused_by_its_validator() {
    let app = TestApp::new().await;
    let reply = app
        .anon()
        .post(
            "/auth/users/",
            json!({ "username": "n\u{0}b", "password": PASSWORD }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json["username"],
        json!([
            "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
            "Null characters are not allowed."
        ])
    );
    assert_eq!(app.user_count().await, 0);
}
