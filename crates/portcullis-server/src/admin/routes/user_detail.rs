//! `GET, PATCH, DELETE /api/admin/users/<id>/`: one user as the console edits it. PATCH changes
//! `email`, `first_name`, `last_name`, `is_active`, `is_staff`, `is_superuser` (a superuser's
//! decision only) and `groups` (ids, replacing the memberships); `username` is read-only here.
//! For a user model that logs in with its email, a new email is checked as the model's unique
//! field and becomes the user's name too (see `accounts::login_identity`).
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
use serde_json::{Map, Value, json};

use crate::accounts::authority::Privilege;
use crate::accounts::{login_identity, user_fields};
use crate::admin::{actor, fields, groups_field, may_manage, name_field, render, target_user};
use crate::audit;
use crate::auth::jwt::revoke;
use crate::http::endpoint::Endpoint;
use crate::http::json::{json_response, no_content};
use crate::http::{ApiError, ApiRequest};
use crate::serializer::{Errors, root_object};
use crate::state::AppState;
use crate::store::{User, UserUpdate};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
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
pub(crate) async fn revoke_everything(state: &AppState, user_id: i64) -> Result<(), ApiError> {
    revoke::revoke_everything(state, user_id).await?;
    Ok(())
}

async fn update(req: &ApiRequest, target: User) -> Result<Response, ApiError> {
    let me = actor(req)?;
    may_manage(me, &target)?;
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    let mut update = read_update(data, &mut errors);
    let new_login = login_email_change(req, &target, &mut update, data, &mut errors).await?;
    let groups = groups_field(req, data).await?;
    update.groups = errors.take("groups", groups).flatten();
    // Only actual changes need the authority: a console sends the whole form back.
    let changed = |new: Option<bool>, old: bool| new.filter(|v| *v != old);
    let asked = [
        (
            "is_active",
            changed(update.is_active, target.is_active).map(Privilege::Active),
        ),
        (
            "is_staff",
            changed(update.is_staff, target.is_staff).map(Privilege::Staff),
        ),
        (
            "is_superuser",
            changed(update.is_superuser, target.is_superuser).map(Privilege::Superuser),
        ),
        (
            "groups",
            group_change(req, &target, update.groups.as_deref()).await?,
        ),
    ];
    let groups_changed = asked[3].1.is_some();
    fields::refuse_privileges(me, Some(&target), &asked, &mut errors);
    errors.check()?;
    let store = req.state.store();
    if let Some(email) = &new_login {
        match store.accounts().set_login_email(target.id, email).await {
            Err(crate::store::StoreError::UsernameTaken) => {
                return Err(ApiError::field("email", login_identity::EMAIL_TAKEN));
            }
            done => done?,
        }
    }
    store.admin().update_user(target.id, &update).await?;
    if target.is_active && update.is_active == Some(false) {
        tracing::info!(
            actor = me.id,
            user = target.id,
            "admin deactivated a user and revoked its tokens"
        );
    }
    let user = store
        .accounts()
        .user_by_id(target.id)
        .await?
        .ok_or_else(|| crate::admin::no_match("User"))?;
    let groups = update.groups.as_deref().filter(|_| groups_changed);
    audit::events::admin_update(req, &target, &user, groups).await;
    if let Some(email) = new_login {
        let detail = json!({ "field": "email", "new": email });
        audit::events::on(req, audit::Event::UsernameChanged, &user, detail).await;
    }
    let body = render::one_user_json(&req.state, &user).await?;
    Ok(json_response(StatusCode::OK, &body))
}

/// The PATCH body's user fields (the groups are read apart: they need the store).
fn read_update(data: &Map<String, Value>, errors: &mut Errors) -> UserUpdate {
    let name = |errors: &mut Errors, field: &str| {
        errors
            .take(field, name_field().validate(data, field, true))
            .and_then(|n| n.into_option())
    };
    let flag = |errors: &mut Errors, field: &str| {
        errors.take(field, fields::boolean(data, field)).flatten()
    };
    UserUpdate {
        email: errors
            .take("email", user_fields::email(data, true))
            .flatten(),
        first_name: name(errors, "first_name"),
        last_name: name(errors, "last_name"),
        is_active: flag(errors, "is_active"),
        is_staff: flag(errors, "is_staff"),
        is_superuser: flag(errors, "is_superuser"),
        groups: None,
    }
}

/// For a model that logs in with its email: a changed `email` taken out of `update`, checked
/// as the model's unique `EmailField` (errors under `email`), to be stored with the name.
async fn login_email_change(
    req: &ApiRequest,
    target: &User,
    update: &mut UserUpdate,
    data: &Map<String, Value>,
    errors: &mut Errors,
) -> Result<Option<String>, ApiError> {
    if !login_identity::email_is_username(req.state.config()) {
        return Ok(None);
    }
    match update.email.take() {
        Some(email) if email != target.email => {
            let checked = login_identity::new_email(&req.state, data, "email").await?;
            Ok(errors.take("email", checked))
        }
        _ => Ok(None),
    }
}

/// `Privilege::Groups` when `groups` differs from the user's memberships.
async fn group_change(
    req: &ApiRequest,
    target: &User,
    groups: Option<&[i64]>,
) -> Result<Option<Privilege>, ApiError> {
    let Some(groups) = groups else {
        return Ok(None);
    };
    let current: Vec<i64> = req
        .state
        .store()
        .admin()
        .user_groups(&[target.id])
        .await?
        .into_iter()
        .map(|(_, group)| group)
        .collect();
    Ok((groups != current.as_slice()).then_some(Privilege::Groups))
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
    req.state.store().accounts().delete_user(target.id).await?;
    audit::events::on(req, audit::Event::UserDeleted, target, json!({})).await;
    tracing::info!(actor = me.id, user = target.id, "admin deleted a user");
    Ok(no_content())
}
