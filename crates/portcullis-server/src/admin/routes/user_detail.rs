//! `GET, PATCH, DELETE /api/admin/users/<id>/`: one user as the console edits it. PATCH changes
//! `email`, `first_name`, `last_name`, `is_active`, `is_staff`, `is_superuser` (a superuser's
//! decision only) and `groups` (ids, replacing the memberships); `username` is read-only here.
//!
//! Deactivating a user revokes everything that signs it in — its DRF token is deleted and
//! every JWT it holds is refused from the next request on (its revocation epoch moves on, and
//! its recorded refresh tokens are blacklisted so the sessions list shows them as ended) — so
//! reactivating it later does not bring old credentials back to life. The store does that in
//! the same transaction as the update itself, with the new groups.
//!
//! Who may change what is `accounts::authority`: a staff account other than one's own, or a
//! superuser, answers 403 to a staff user; a flag or groups one may not set is a field error.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::accounts::authority::{self, Privilege};
use crate::accounts::user_fields;
use crate::admin::{actor, fields, groups_field, may_manage, name_field, render, target_user};
use crate::auth::jwt::revoke;
use crate::http::endpoint::Endpoint;
use crate::http::json::{json_response, no_content};
use crate::http::{ApiError, ApiRequest};
use crate::serializer::{Errors, root_object};
use crate::state::AppState;
use crate::store::{User, UserUpdate};

/// This endpoint, declared.
pub fn endpoint() -> Endpoint {
    crate::admin::endpoint(
        "Admin User Instance",
        &[Method::GET, Method::PATCH, Method::DELETE],
        handle,
    )
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let target = target_user(&req).await?;
    match req.method {
        Method::GET => {
            let body = render::one_user_json(&req.state, &target).await?;
            Ok(json_response(StatusCode::OK, &body))
        }
        Method::DELETE => destroy(&req, &target).await,
        _ => update(&req, target).await,
    }
}

/// Revoke every credential of a user: the DRF token, every JWT (a new epoch), and the
/// recorded refresh tokens (blacklisted, for the sessions list), in one transaction.
pub async fn revoke_everything(state: &AppState, user_id: i64) -> Result<(), ApiError> {
    revoke::revoke_everything(state, user_id).await?;
    Ok(())
}

async fn update(req: &ApiRequest, target: User) -> Result<Response, ApiError> {
    let me = actor(req)?;
    may_manage(me, &target)?;
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    let email = errors
        .take("email", user_fields::email(data, true))
        .flatten();
    let first_name = errors
        .take(
            "first_name",
            name_field().validate(data, "first_name", true),
        )
        .and_then(|n| n.into_option());
    let last_name = errors
        .take("last_name", name_field().validate(data, "last_name", true))
        .and_then(|n| n.into_option());
    let is_active = errors
        .take("is_active", fields::boolean(data, "is_active"))
        .flatten();
    let is_staff = errors
        .take("is_staff", fields::boolean(data, "is_staff"))
        .flatten();
    let is_superuser = errors
        .take("is_superuser", fields::boolean(data, "is_superuser"))
        .flatten();
    // Only actual changes need the authority: a console sends the whole form back.
    let privileges = [
        (
            "is_active",
            is_active
                .filter(|v| *v != target.is_active)
                .map(Privilege::Active),
        ),
        (
            "is_staff",
            is_staff
                .filter(|v| *v != target.is_staff)
                .map(Privilege::Staff),
        ),
        (
            "is_superuser",
            is_superuser
                .filter(|v| *v != target.is_superuser)
                .map(Privilege::Superuser),
        ),
    ];
    for (field, privilege) in privileges {
        if let Some(privilege) = privilege
            && let Err(message) = authority::may_set(me, Some(&target), privilege)
        {
            errors.add(field, vec![message]);
        }
    }
    let groups = groups_field(req, data).await?;
    let groups = errors.take("groups", groups).flatten();
    if let Some(groups) = &groups {
        let current: Vec<i64> = req
            .state
            .store()
            .admin_user_groups(&[target.id])
            .await?
            .into_iter()
            .map(|(_, group)| group)
            .collect();
        if *groups != current
            && let Err(message) = authority::may_set(me, Some(&target), Privilege::Groups)
        {
            errors.add("groups", vec![message]);
        }
    }
    errors.check()?;
    let update = UserUpdate {
        email,
        first_name,
        last_name,
        is_staff,
        is_superuser,
        is_active,
        groups,
    };
    let store = req.state.store();
    store.admin_update_user(target.id, &update).await?;
    if target.is_active && is_active == Some(false) {
        tracing::info!(
            actor = me.id,
            user = target.id,
            "admin deactivated a user and revoked its tokens"
        );
    }
    let user = store
        .user_by_id(target.id)
        .await?
        .ok_or_else(|| crate::admin::no_match("User"))?;
    let body = render::one_user_json(&req.state, &user).await?;
    Ok(json_response(StatusCode::OK, &body))
}

async fn destroy(req: &ApiRequest, target: &User) -> Result<Response, ApiError> {
    let me = actor(req)?;
    may_manage(me, target)?;
    if target.id == me.id {
        // DRF's `raise ValidationError("...")` in a view renders as a list.
        return Err(ApiError::Validation(json!([
            "You cannot delete the account you are signed in with."
        ])));
    }
    // The token, memberships and JWT records go with the user (foreign key cascades).
    req.state.store().delete_user(target.id).await?;
    tracing::info!(actor = me.id, user = target.id, "admin deleted a user");
    Ok(no_content())
}
