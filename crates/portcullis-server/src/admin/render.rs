//! The admin API's bodies: a user with its group ids, a group with its permission keys, a
//! permission, and a user's sessions. Lists read the related rows of a whole page in one query.

use serde_json::{Value, json};

use crate::http::ApiError;
use crate::state::AppState;
use crate::store::User;
use crate::store::admin::{Group, Permission};
use crate::store::audit::AuditEntry;
use crate::store::timestamp::{to_db, to_drf};

/// A user as the console edits it. The password hash is never shown.
pub(crate) fn user_json(user: &User, groups: &[i64]) -> Value {
    json!({
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "date_joined": to_drf(&user.date_joined),
        "last_login": user.last_login.as_deref().map(to_drf),
        "groups": groups,
    })
}

/// Users with their group ids.
pub(crate) async fn users_json(state: &AppState, users: &[User]) -> Result<Vec<Value>, ApiError> {
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let memberships = state.store().admin().user_groups(&ids).await?;
    Ok(users
        .iter()
        .map(|u| {
            let groups: Vec<i64> = memberships
                .iter()
                .filter(|(user, _)| *user == u.id)
                .map(|(_, group)| *group)
                .collect();
            user_json(u, &groups)
        })
        .collect())
}

/// One user with its group ids and, when the user model has fields of its own
/// (`[[user_model.fields]]`), their values under `profile` (shown, not edited here).
pub(crate) async fn one_user_json(state: &AppState, user: &User) -> Result<Value, ApiError> {
    let mut list = users_json(state, std::slice::from_ref(user)).await?;
    let mut body = list
        .pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a user rendered to nothing")))?;
    let own = &state.users().own;
    if own.table().is_some() {
        let rows = own.load(state.store(), &[user.id]).await?;
        body["profile"] = Value::Object(own.all_values(rows.get(&user.id)));
    }
    Ok(body)
}

pub(crate) fn permission_json(p: &Permission) -> Value {
    json!({
        "id": p.id,
        "key": p.key(),
        "name": p.name,
        "resource": p.resource,
        "codename": p.codename,
    })
}

/// Groups with their permission keys.
pub(crate) async fn groups_json(
    state: &AppState,
    groups: &[Group],
) -> Result<Vec<Value>, ApiError> {
    let ids: Vec<i64> = groups.iter().map(|g| g.id).collect();
    let grants = state.store().admin().group_permissions(&ids).await?;
    Ok(groups
        .iter()
        .map(|g| {
            let permissions: Vec<String> = grants
                .iter()
                .filter(|(group, _)| *group == g.id)
                .map(|(_, p)| p.key())
                .collect();
            json!({ "id": g.id, "name": g.name, "permissions": permissions })
        })
        .collect())
}

pub(crate) async fn one_group_json(state: &AppState, group: &Group) -> Result<Value, ApiError> {
    let mut list = groups_json(state, std::slice::from_ref(group)).await?;
    list.pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a group rendered to nothing")))
}

/// An audit event. `detail` is stored as a JSON object's text.
pub(crate) fn audit_json(entry: &AuditEntry) -> Value {
    let detail = serde_json::from_str(&entry.detail).unwrap_or_else(|_| json!({}));
    json!({
        "id": entry.id,
        "at": to_drf(&entry.at),
        "event": entry.event,
        "user": entry.user_id,
        "username": entry.username,
        "client_addr": entry.client_addr,
        "user_agent": entry.user_agent,
        "detail": detail,
    })
}

/// Seconds since the Unix epoch in DRF's timestamp format.
fn unix_to_drf(seconds: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .map(|at| to_drf(&to_db(at)))
}

/// What signs the user in: whether it has a DRF token and since when (never the key, which
/// the database does not hold in the clear anyway), its JWT revocation epoch, and the refresh
/// tokens recorded for it that have not expired.
pub(crate) async fn sessions_json(state: &AppState, user: &User) -> Result<Value, ApiError> {
    let store = state.store();
    let created = store.admin().token_created(user.id).await?;
    let epoch = store.tokens().jwt_epoch(user.id).await?;
    let refresh: Vec<Value> = crate::auth::jwt::revoke::live_refresh_tokens(state, user.id)
        .await?
        .iter()
        .map(|t| {
            json!({
                "jti": t.jti,
                "created": to_drf(&t.created_at),
                "expires": unix_to_drf(t.expires_at),
                "blacklisted": t.blacklisted_at.as_deref().map(to_drf),
            })
        })
        .collect();
    Ok(json!({
        "user": user.id,
        "token": { "exists": created.is_some(), "created": created.as_deref().map(to_drf) },
        "jwt": { "epoch": epoch, "refresh_tokens": refresh },
    }))
}
