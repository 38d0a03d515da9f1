//! Who may manage whom, the same on every path (`accounts::authority`): staff manage non-staff
//! accounts; only a superuser manages staff and superusers, grants the flags, or changes a
//! group with staff members. A staff user still sees the accounts it may not touch (403, not
//! 404), and a refused request changes nothing in the store.

use crate::harness::admin::{AdminApp, DENIED};
use crate::harness::{ME, NEW_PASSWORD, PASSWORD};
use axum::http::StatusCode;
use portcullis_server::store::User;
use serde_json::{Value, json};

/// The store's view of a user, to show a refused request changed nothing (password hash,
/// flags, email) and that its credentials still work.
async fn snapshot(app: &AdminApp, id: i64) -> User {
    app.stored_user(id).await.expect("the user still exists")
}

/// Every way djoser's `/auth/users/<id>/` modifies a user, each with a body that would succeed.
fn djoser_writes() -> [(&'static str, Value); 3] {
    [
        ("PATCH", json!({"email": "hijacked@example.com"})),
        ("PUT", json!({"email": "hijacked@example.com"})),
        ("DELETE", json!({"current_password": PASSWORD})),
    ]
}

/// Every admin API request that modifies a user, each with a body that would succeed.
fn admin_writes(id: i64) -> Vec<(&'static str, String, Option<Value>)> {
    let user = format!("/api/admin/users/{id}/");
    vec![
        (
            "PATCH",
            user.clone(),
            Some(json!({"email": "x@example.com"})),
        ),
        ("PATCH", user.clone(), Some(json!({"is_active": false}))),
        ("PATCH", user.clone(), Some(json!({"groups": []}))),
        (
            "POST",
            format!("{user}set_password/"),
            Some(json!({"password": NEW_PASSWORD})),
        ),
        ("POST", format!("{user}revoke/"), None),
        ("DELETE", user, None),
    ]
}

#[tokio::test]
async fn through_djoser_staff_may_read_but_not_modify_staff_or_superusers() {
    let app = AdminApp::new().await;
    let root = app.superuser("root").await;
    let clerk = app.staff("clerk").await;
    let other = app.staff("other").await;
    for target in [root.id, other.id] {
        let path = format!("/auth/users/{target}/");
        let before = snapshot(&app, target).await;
        assert_eq!(clerk.get(&path).await.status, StatusCode::OK);
        for (method, body) in djoser_writes() {
            let reply = clerk.call(method, &path, Some(body)).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
            assert_eq!(reply.json, json!({"detail": DENIED}), "{method} {path}");
        }
        assert_eq!(snapshot(&app, target).await, before);
    }
    // Their tokens survived (a refused DELETE did not cascade).
    assert_eq!(root.get(ME).await.status, StatusCode::OK);
    assert_eq!(other.get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn through_djoser_a_superuser_manages_staff_and_staff_manage_plain_users() {
    let app = AdminApp::new().await;
    let root = app.superuser("root").await;
    let clerk = app.staff("clerk").await;
    let clerk_id = clerk.id;
    let ann_id = app.user("ann").await.id;
    let bob_id = app.user("bob").await.id;

    let reply = root
        .patch(
            &format!("/auth/users/{clerk_id}/"),
            json!({"email": "c2@example.com"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(snapshot(&app, clerk_id).await.email, "c2@example.com");

    for (method, body) in djoser_writes() {
        let reply = clerk
            .call(method, &format!("/auth/users/{ann_id}/"), Some(body))
            .await;
        assert!(reply.status.is_success(), "{method}: {}", reply.text);
    }
    assert!(app.stored_user(ann_id).await.is_none());

    // Staff act on their own account through its id like any user.
    let reply = clerk
        .patch(
            &format!("/auth/users/{clerk_id}/"),
            json!({"email": "c3@example.com"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);

    let reply = root
        .call(
            "DELETE",
            &format!("/auth/users/{clerk_id}/"),
            Some(json!({"current_password": PASSWORD})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert!(app.stored_user(clerk_id).await.is_none());
    assert!(app.stored_user(bob_id).await.is_some());
}

#[tokio::test]
async fn through_the_admin_api_staff_may_not_modify_another_staff_user() {
    let app = AdminApp::new().await;
    let clerk = app.staff("clerk").await;
    let other = app.staff("other").await;
    let other_id = other.id;
    let before = snapshot(&app, other_id).await;
    let path = format!("/api/admin/users/{other_id}/");
    assert_eq!(clerk.get(&path).await.status, StatusCode::OK);
    assert_eq!(
        clerk.get(&format!("{path}sessions/")).await.status,
        StatusCode::OK
    );
    for (method, path, body) in admin_writes(other_id) {
        let reply = clerk.call(method, &path, body).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(reply.json, json!({"detail": DENIED}), "{method} {path}");
    }
    assert_eq!(snapshot(&app, other_id).await, before);
    assert_eq!(other.get(ME).await.status, StatusCode::OK);
    assert_eq!(app.login("other", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn through_the_admin_api_staff_manage_plain_users_and_a_superuser_manages_staff() {
    let app = AdminApp::new().await;
    let root = app.superuser("root").await;
    let clerk = app.staff("clerk").await;
    let ann_id = app.user("ann").await.id;
    let other_id = app.staff("other").await.id;
    for (actor, target) in [(&clerk, ann_id), (&root, other_id)] {
        for (method, path, body) in admin_writes(target) {
            let reply = actor.call(method, &path, body).await;
            assert!(reply.status.is_success(), "{method} {path}: {}", reply.text);
        }
        assert!(app.stored_user(target).await.is_none());
    }
}

#[tokio::test]
async fn only_a_superuser_grants_staff_and_nobody_grants_themselves_groups() {
    let app = AdminApp::new().await;
    let root = app.superuser("root").await;
    let clerk = app.staff("clerk").await;
    let clerk_id = clerk.id;
    let ann_id = app.user("ann").await.id;
    let group = root
        .post("/api/admin/groups/", json!({"name": "editors"}))
        .await;
    let group_id = group.json["id"].as_i64().expect("a group id");

    let ann = format!("/api/admin/users/{ann_id}/");
    let reply = clerk.patch(&ann, json!({"is_staff": true})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!({"is_staff": ["Only a superuser may change staff status."]})
    );
    let reply = clerk
        .post(
            "/api/admin/users/",
            json!({"username": "eve", "password": PASSWORD, "is_staff": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!({"is_staff": ["Only a superuser may grant staff status."]})
    );
    let clerk_path = format!("/api/admin/users/{clerk_id}/");
    let reply = clerk
        .patch(&clerk_path, json!({"groups": [group_id]}))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json,
        json!({"groups": ["You cannot change the groups of the account you are signed in with."]})
    );
    assert!(!snapshot(&app, ann_id).await.is_staff);
    assert!(
        app.store()
            .accounts()
            .user_by_username("eve")
            .await
            .unwrap()
            .is_none()
    );

    // Unchanged values need no authority (a console sends the whole form back), and the
    // groups of a plain user are staff's to set.
    let reply = clerk
        .patch(
            &clerk_path,
            json!({"is_staff": true, "is_superuser": false, "groups": []}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = clerk.patch(&ann, json!({"groups": [group_id]})).await;
    assert_eq!(reply.json["groups"], json!([group_id]));
    let reply = root.patch(&ann, json!({"is_staff": true})).await;
    assert_eq!(reply.json["is_staff"], true);
}

#[tokio::test]
async fn a_group_with_staff_members_is_a_superusers_to_change() {
    let app = AdminApp::new().await;
    let root = app.superuser("root").await;
    let clerk = app.staff("clerk").await;
    let clerk_id = clerk.id;
    let mut paths = Vec::new();
    for name in ["staffers", "readers"] {
        let reply = root.post("/api/admin/groups/", json!({"name": name})).await;
        paths.push(format!("/api/admin/groups/{}/", reply.json["id"]));
    }
    let staffers_id: i64 = paths[0]
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("a group id");
    let reply = root
        .patch(
            &format!("/api/admin/users/{clerk_id}/"),
            json!({"groups": [staffers_id]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);

    assert_eq!(clerk.get(&paths[0]).await.status, StatusCode::OK);
    for (method, body) in [
        ("PATCH", Some(json!({"permissions": []}))),
        ("DELETE", None),
    ] {
        let reply = clerk.call(method, &paths[0], body).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method}");
        assert_eq!(reply.json, json!({"detail": DENIED}));
    }
    assert_eq!(clerk.get(&paths[0]).await.status, StatusCode::OK);
    let reply = clerk.patch(&paths[1], json!({"name": "viewers"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = root.delete(&paths[0]).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
}
