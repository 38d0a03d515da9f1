//! `/api/admin/users/` and `/api/admin/users/<id>/`: search, pagination, creation with
//! Django's validators, edits of the flags, names and groups, deletion, and the rules that keep
//! a staff user from escalating (superusers are a superuser's business) or locking itself out.

use crate::harness::admin::{AdminApp, DENIED};
use crate::harness::{ME, PASSWORD};
use axum::http::StatusCode;
use portcullis_server::Config;
use serde_json::{Value, json};

fn usernames(reply: &crate::harness::Response) -> Vec<String> {
    reply.json["results"]
        .as_array()
        .map(|users| {
            users
                .iter()
                .filter_map(|u| u["username"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_list_is_searchable_by_username_and_email_and_paginated() {
    let config = Config {
        page_size: 2,
        ..Config::default()
    };
    let app = AdminApp::with_config(config).await;
    let admin = app.superuser("admin").await;
    for name in ["ann", "anna", "bob"] {
        app.user(name).await;
    }
    let reply = admin.get("/api/admin/users/").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json["count"], 4);
    assert_eq!(usernames(&reply), ["admin", "ann"]);
    assert_eq!(reply.json["previous"], Value::Null);
    assert_eq!(
        reply.json["next"],
        "http://localhost/api/admin/users/?page=2"
    );
    let reply = admin.get("/api/admin/users/?page=2").await;
    assert_eq!(usernames(&reply), ["anna", "bob"]);
    let reply = admin.get("/api/admin/users/?page=3").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.detail(), "Invalid page.");

    // Every term must match the username or the email, case-insensitively.
    let reply = admin.get("/api/admin/users/?search=ANN").await;
    assert_eq!(reply.json["count"], 2);
    let reply = admin
        .get("/api/admin/users/?search=anna%20example.com")
        .await;
    assert_eq!(usernames(&reply), ["anna"]);
    let reply = admin.get("/api/admin/users/?search=bob@example").await;
    assert_eq!(usernames(&reply), ["bob"]);
    // LIKE's wildcards are matched literally.
    let reply = admin.get("/api/admin/users/?search=a%25n").await;
    assert_eq!(reply.json["count"], 0);
    // The links keep the search.
    let reply = admin.get("/api/admin/users/?search=example").await;
    assert_eq!(
        reply.json["next"],
        "http://localhost/api/admin/users/?page=2&search=example"
    );
}

/// The search ignores the case of ASCII letters only, as SQLite's `LIKE` does (and so the
/// search on PostgreSQL, whatever the database's locale).
#[tokio::test]
async fn the_search_ignores_the_case_of_ascii_letters_only() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let body = json!({"username": "élodie", "password": PASSWORD, "email": "elodie@example.com"});
    let created = app.anon().post("/auth/users/", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    // élodie, ÉLODIE, LODIE, ÉLO
    for (term, found) in [
        ("%C3%A9lodie", 1),
        ("%C3%89LODIE", 0),
        ("LODIE", 1),
        ("%C3%89LO", 0),
    ] {
        let reply = admin.get(&format!("/api/admin/users/?search={term}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(reply.json["count"], found, "{term}: {}", reply.text);
    }
}

#[tokio::test]
async fn a_user_shows_its_fields_and_groups_but_never_its_password() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let id = app.user("ann").await.id;
    let reply = admin.get(&format!("/api/admin/users/{id}/")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let mut keys: Vec<&str> = reply
        .json
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "date_joined",
            "email",
            "first_name",
            "groups",
            "id",
            "is_active",
            "is_staff",
            "is_superuser",
            "last_login",
            "last_name",
            "username"
        ]
    );
    assert_eq!(reply.json["username"], "ann");
    assert_eq!(reply.json["is_active"], true);
    assert_eq!(reply.json["groups"], json!([]));
    assert!(
        reply.json["date_joined"]
            .as_str()
            .is_some_and(|d| d.ends_with('Z'))
    );
    assert!(!reply.text.contains("argon2"));

    let reply = admin.get("/api/admin/users/999/").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.detail(), "No User matches the given query.");
    let reply = admin.get("/api/admin/users/abc/").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn creating_a_user_validates_every_field_as_django_does() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let create = |body: Value| admin.post("/api/admin/users/", body);

    let reply = create(json!({})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!({
            "username": ["This field is required."],
            "password": ["This field is required."],
        })
    );
    let reply = create(json!({
        "username": "bad name!", "password": PASSWORD, "email": "nope",
        "is_staff": "maybe", "groups": [7], "first_name": "x".repeat(151),
    }))
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!({
            "username": ["Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."],
            "email": ["Enter a valid email address."],
            "first_name": ["Ensure this field has no more than 150 characters."],
            "is_staff": ["Must be a valid boolean."],
            "groups": ["Invalid pk \"7\" - object does not exist."],
        })
    );
    let reply = create(json!({"username": "admin", "password": PASSWORD, "groups": "1"})).await;
    assert_eq!(
        reply.json,
        json!({
            "username": ["A user with that username already exists."],
            "groups": ["Expected a list of items but got type \"str\"."],
        })
    );
    let reply = create(json!({"username": "carl", "password": "password"})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let problems = reply.json["password"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        problems.contains(&json!("This password is too common.")),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn a_created_user_has_its_flags_and_groups_and_can_log_in() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let group = admin
        .post("/api/admin/groups/", json!({"name": "editors"}))
        .await;
    let group_id = group.json["id"].as_i64().expect("a group id");
    let reply = admin
        .post(
            "/api/admin/users/",
            json!({
                "username": "dora", "password": PASSWORD, "email": "Dora@EXAMPLE.com",
                "first_name": "Dora", "is_staff": true, "groups": [group_id],
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.json["username"], "dora");
    // Django normalizes the domain of a new user's email.
    assert_eq!(reply.json["email"], "Dora@example.com");
    assert_eq!(reply.json["first_name"], "Dora");
    assert_eq!(reply.json["is_staff"], true);
    assert_eq!(reply.json["is_active"], true);
    assert_eq!(reply.json["is_superuser"], false);
    assert_eq!(reply.json["groups"], json!([group_id]));
    let dora = app.token("dora", PASSWORD).await;
    // A staff user: the console opens for it.
    assert_eq!(
        app.with_key(&dora).get("/api/admin/users/").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn edits_change_flags_names_and_groups() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let id = app.user("ann").await.id;
    let mut groups = Vec::new();
    for name in ["a", "b"] {
        let reply = admin
            .post("/api/admin/groups/", json!({"name": name}))
            .await;
        groups.push(reply.json["id"].as_i64().expect("a group id"));
    }
    let path = format!("/api/admin/users/{id}/");
    let reply = admin
        .patch(
            &path,
            json!({
                "first_name": "Ann", "last_name": "Lee", "email": "ann@example.org",
                "is_staff": true, "groups": groups, "username": "ignored",
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json["first_name"], "Ann");
    assert_eq!(reply.json["last_name"], "Lee");
    assert_eq!(reply.json["email"], "ann@example.org");
    assert_eq!(reply.json["is_staff"], true);
    assert_eq!(reply.json["username"], "ann");
    assert_eq!(reply.json["groups"], json!(groups));
    // Groups are replaced, not added to.
    let reply = admin.patch(&path, json!({"groups": [groups[1]]})).await;
    assert_eq!(reply.json["groups"], json!([groups[1]]));
    assert_eq!(reply.json["first_name"], "Ann");
    let reply = admin
        .patch(&path, json!({"is_staff": null, "email": "x"}))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!({
            "email": ["Enter a valid email address."],
            "is_staff": ["This field may not be null."],
        })
    );
}

#[tokio::test]
async fn only_a_superuser_deals_with_superusers() {
    let app = AdminApp::new().await;
    let root = app.superuser("root").await;
    let root_id = root.id;
    let clerk = app.staff("clerk").await;
    let ann_id = app.user("ann").await.id;
    let ann = format!("/api/admin/users/{ann_id}/");
    let reply = clerk.patch(&ann, json!({"is_superuser": true})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json["is_superuser"][0],
        "Only a superuser may change superuser status."
    );
    let reply = clerk
        .post(
            "/api/admin/users/",
            json!({"username": "boss", "password": PASSWORD, "is_superuser": true}),
        )
        .await;
    assert_eq!(
        reply.json["is_superuser"][0],
        "Only a superuser may grant superuser status."
    );
    // A staff user may look at a superuser, but not touch it.
    let root_path = format!("/api/admin/users/{root_id}/");
    assert_eq!(clerk.get(&root_path).await.status, StatusCode::OK);
    for (method, path, body) in [
        (
            "PATCH",
            root_path.clone(),
            Some(json!({"is_active": false})),
        ),
        ("DELETE", root_path.clone(), None),
        (
            "POST",
            format!("{root_path}set_password/"),
            Some(json!({"password": PASSWORD})),
        ),
        ("POST", format!("{root_path}revoke/"), None),
    ] {
        let reply = clerk.call(method, &path, body).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(reply.detail(), DENIED);
    }
    // A superuser may grant it.
    let reply = root.patch(&ann, json!({"is_superuser": true})).await;
    assert_eq!(reply.json["is_superuser"], true);
}

#[tokio::test]
async fn nobody_locks_themselves_out() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let id = admin.id;
    let path = format!("/api/admin/users/{id}/");
    let reply = admin
        .patch(&path, json!({"is_active": false, "is_staff": false}))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!({
            "is_active": ["You cannot deactivate the account you are signed in with."],
            "is_staff": ["You cannot remove staff status from the account you are signed in with."],
        })
    );
    let reply = admin.delete(&path).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!(["You cannot delete the account you are signed in with."])
    );
    assert_eq!(admin.get(&path).await.status, StatusCode::OK);
}

#[tokio::test]
async fn deleting_a_user_removes_it_and_its_token() {
    let app = AdminApp::new().await;
    let admin = app.superuser("admin").await;
    let ann = app.user("ann").await;
    let id = ann.id;
    let path = format!("/api/admin/users/{id}/");
    let reply = admin.delete(&path).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(reply.text, "");
    assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND);
    let reply = ann.get(ME).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.detail(), "Invalid token.");
    let reply = admin.delete(&path).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}
