//! The events handlers record, each in one call: a login tried, a token or a token pair
//! issued (with the client it went to), a change made to an account.

use serde_json::{Value, json};

use super::{Event, record, session_issued};
use crate::http::ApiRequest;
use crate::store::User;

/// A login through `via` (the view: `obtain_auth_token`, `token_login`, `jwt_create`) with
/// the name given: a success for `user`, a failure otherwise. Never the password.
pub(crate) async fn login(req: &ApiRequest, via: &str, username: &str, user: Option<&User>) {
    let detail = json!({ "via": via });
    match user {
        Some(user) => record(req, Event::Login, Some(user.id), &user.username, detail).await,
        None => record(req, Event::LoginFailed, None, username, detail).await,
    }
}

/// A DRF token handed out: its creation (when it is new) and the client it went to first
/// (DRF hands the same key to every login until a logout; a token made with its user, at
/// registration or by the admin API, gets the client of its first login).
pub(crate) async fn token_issued(req: &ApiRequest, user: &User, key: &str, created: bool) {
    if created {
        let detail = json!({ "kind": "token" });
        record(
            req,
            Event::TokenCreated,
            Some(user.id),
            &user.username,
            detail,
        )
        .await;
    }
    let digest = req.state.token_keys().digest(key);
    session_issued(req, "token", digest, user.id, 0).await;
}

/// A knox token issued (each login makes a new one) and the client it went to.
pub(crate) async fn knox_issued(req: &ApiRequest, user: &User, digest: &str) {
    let detail = json!({ "kind": "knox" });
    record(
        req,
        Event::TokenCreated,
        Some(user.id),
        &user.username,
        detail,
    )
    .await;
    session_issued(req, "knox", digest.to_string(), user.id, 0).await;
}

/// A refresh token issued (a login, or a rotation) and its client.
pub(crate) async fn refresh_issued(req: &ApiRequest, user: &User, jti: &str, epoch: i64) {
    record(
        req,
        Event::TokenCreated,
        Some(user.id),
        &user.username,
        json!({ "kind": "jwt" }),
    )
    .await;
    session_issued(req, "jwt", jti.to_string(), user.id, epoch).await;
}

/// An event about the request's own user.
pub(crate) async fn own(req: &ApiRequest, event: Event, detail: Value) {
    if let Some(user) = req.user() {
        let (id, name) = (user.id, user.username.clone());
        record(req, event, Some(id), &name, detail).await;
    }
}

/// An event about `target`, made by the request's user (staff through the admin API).
pub(crate) async fn on(req: &ApiRequest, event: Event, target: &User, detail: Value) {
    let mut detail = detail;
    if let (Some(actor), Value::Object(map)) = (req.user(), &mut detail) {
        map.insert("actor".into(), json!(actor.id));
    }
    record(req, event, Some(target.id), &target.username, detail).await;
}

/// The changes the admin API made to an account: activation, the staff and superuser flags,
/// and the groups (`groups`: the new ids, when they changed).
pub(crate) async fn admin_update(
    req: &ApiRequest,
    before: &User,
    after: &User,
    groups: Option<&[i64]>,
) {
    if before.is_active != after.is_active {
        let event = if after.is_active {
            Event::UserActivated
        } else {
            Event::UserDeactivated
        };
        on(req, event, after, json!({})).await;
        if !after.is_active {
            // Deactivation revoked every credential (`admin::routes::user_detail`).
            let detail = json!({ "kind": "all", "via": "deactivation" });
            on(req, Event::TokenRevoked, after, detail).await;
        }
    }
    if before.is_staff != after.is_staff {
        on(
            req,
            Event::StaffChanged,
            after,
            json!({ "is_staff": after.is_staff }),
        )
        .await;
    }
    if before.is_superuser != after.is_superuser {
        let detail = json!({ "is_superuser": after.is_superuser });
        on(req, Event::SuperuserChanged, after, detail).await;
    }
    if let Some(groups) = groups {
        on(
            req,
            Event::GroupsChanged,
            after,
            json!({ "groups": groups }),
        )
        .await;
    }
}

/// A group's permissions set by the admin API (`permissions`: the new ids; `None` when the
/// group was deleted, taking its permissions from its members).
pub(crate) async fn group_permissions(req: &ApiRequest, group: i64, permissions: Option<&[i64]>) {
    let actor = req.user().map(|u| u.id);
    let detail = match permissions {
        Some(ids) => json!({ "group": group, "permissions": ids, "actor": actor }),
        None => json!({ "group": group, "deleted": true, "actor": actor }),
    };
    record(req, Event::PermissionsChanged, None, "", detail).await;
}
