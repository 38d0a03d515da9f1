//! The staff console's API under `/api/admin/`: users (search, create, edit, activate and
//! deactivate, groups, password, sessions and their revocation), groups and their permissions,
//! the permission list, and a description of every declared resource for the console's row
//! browser (which then reads rows through the resources' own `/api/<name>/` endpoints, where
//! staff see every row).
//!
//! Every view is a DRF view with `IsAdminUser`: anonymous requests get 401 with
//! `WWW-Authenticate: Token`, authenticated non-staff 403. Bodies are JSON only (a console
//! talks JSON; forms cannot carry the lists these endpoints take).
//!
//! Who may act on whom is `accounts::authority`, the rule djoser's views apply too: staff
//! manage non-staff accounts; only a superuser changes, re-passwords, revokes or deletes a
//! staff or superuser account, grants either flag, or changes a group with staff members; and
//! nobody deactivates, un-staffs or deletes the account they are signed in with.

pub(crate) mod fields;
pub(crate) mod render;
pub(crate) mod routes;

use std::future::Future;

use axum::http::Method;
use axum::response::Response;

use crate::http::endpoint::{Endpoint, Permission};
use crate::http::routing::Group;
use crate::http::{ApiError, ApiRequest};
use crate::store::{StoreError, User};

/// The admin API as a group, mounted at `/api/admin/` in the built-in layout.
pub(crate) fn group() -> Group {
    use routes::*;
    Group::new()
        .at("users/", users::endpoint())
        .at("users/{id}/", user_detail::endpoint())
        .at("users/{id}/set_password/", user_set_password::endpoint())
        .at("users/{id}/sessions/", user_sessions::endpoint())
        .at("users/{id}/revoke/", user_revoke::endpoint())
        .at("groups/", groups::endpoint())
        .at("groups/{id}/", group_detail::endpoint())
        .at("permissions/", permissions::endpoint())
        .at("resources/", resources::endpoint())
        .at("audit/", audit::endpoint())
}

/// The parsers of every admin endpoint: JSON only.
pub(crate) const PARSES: &[&str] = &["application/json"];

/// An admin endpoint: `IsAdminUser`, JSON bodies, otherwise DRF's defaults.
pub(crate) fn endpoint<F, Fut>(
    name: &'static str,
    methods: &'static [Method],
    handler: F,
) -> Endpoint
where
    F: Fn(ApiRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Response, ApiError>> + Send + 'static,
{
    Endpoint::new(name, methods, handler)
        .permission(Permission::IsAdminUser)
        .parses(PARSES)
        .drf_renderers()
}

/// The staff user making the request (after `IsAdminUser` passed).
pub(crate) fn actor(req: &ApiRequest) -> Result<&User, ApiError> {
    req.require_user()
}

/// The id in the URL as an integer, or the 404 DRF's `get_object_or_404` gives any other text.
pub(crate) fn id_param(req: &ApiRequest, model: &str) -> Result<i64, ApiError> {
    req.param("id")
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or_else(|| no_match(model))
}

/// Django's 404 detail for a missing object: "No User matches the given query."
pub(crate) fn no_match(model: &str) -> ApiError {
    ApiError::NotFound(format!("No {model} matches the given query."))
}

/// The user named by the URL.
pub(crate) async fn target_user(req: &ApiRequest) -> Result<User, ApiError> {
    let id = id_param(req, "User")?;
    req.state
        .store()
        .accounts()
        .user_by_id(id)
        .await?
        .ok_or_else(|| no_match("User"))
}

/// [`crate::accounts::authority::may_manage`] as DRF's 403: a staff user may see another staff
/// or a superuser account, but must not take it over (set its password) or lock it out.
pub(crate) fn may_manage(actor: &User, target: &User) -> Result<(), ApiError> {
    if crate::accounts::authority::may_manage(actor, target) {
        Ok(())
    } else {
        Err(ApiError::PermissionDenied)
    }
}

/// A body's `groups` (see [`fields::group_ids`]), checked against the groups in the store.
pub(crate) async fn groups_field(
    req: &ApiRequest,
    data: &serde_json::Map<String, serde_json::Value>,
) -> Result<Result<Option<Vec<i64>>, Vec<String>>, ApiError> {
    let store = req.state.store();
    fields::group_ids(data, |ids| async move {
        let found = store.admin().groups_by_ids(&ids).await?;
        Ok::<_, ApiError>(found.into_iter().map(|g| g.id).collect())
    })
    .await
}

/// `first_name` / `last_name`: Django's optional names of up to 150 characters.
pub(crate) fn name_field() -> crate::serializer::CharField {
    crate::serializer::CharField {
        allow_blank: true,
        max_length: Some(150),
        ..crate::serializer::CharField::optional()
    }
}

/// A password as sent: never trimmed.
pub(crate) fn password_field() -> crate::serializer::CharField {
    crate::serializer::CharField {
        trim_whitespace: false,
        ..crate::serializer::CharField::default()
    }
}

/// Django's uniqueness message for a group name.
pub(crate) const GROUP_NAME_TAKEN: &str = "group with this name already exists.";

/// A group's validated input, create and update alike: its `name` and its `permissions`
/// (each `None` when absent from a partial update). `except` is the group being changed.
pub(crate) async fn group_input(
    req: &ApiRequest,
    partial: bool,
    except: Option<i64>,
) -> Result<(Option<String>, Option<Vec<i64>>), ApiError> {
    let data = req.data()?;
    let data = crate::serializer::root_object(&data)?;
    let mut errors = crate::serializer::Errors::default();
    let name = group_name(req, data, partial, except).await?;
    let name = errors.take("name", name).flatten();
    let all = req.state.store().admin().permissions().await?;
    let permissions = errors
        .take("permissions", fields::permission_ids(data, &all))
        .flatten();
    errors.check()?;
    Ok((name, permissions))
}

/// A store write of a group refused by the unique name: another request took the name since
/// it was checked.
pub(crate) fn group_write_error(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict(_) => ApiError::field("name", GROUP_NAME_TAKEN),
        other => other.into(),
    }
}

/// A group's `name`: required on create, at most 150 characters, unique (`except` is the
/// group being renamed, which may keep its name).
async fn group_name(
    req: &ApiRequest,
    data: &serde_json::Map<String, serde_json::Value>,
    partial: bool,
    except: Option<i64>,
) -> Result<Result<Option<String>, Vec<String>>, ApiError> {
    let field = crate::serializer::CharField {
        max_length: Some(150),
        ..crate::serializer::CharField::default()
    };
    let name = match field.validate(data, "name", partial) {
        Ok(present) => present.into_option(),
        Err(errors) => return Ok(Err(errors)),
    };
    if let Some(name) = &name
        && let Some(existing) = req.state.store().admin().group_by_name(name).await?
        && Some(existing.id) != except
    {
        return Ok(Err(vec![GROUP_NAME_TAKEN.into()]));
    }
    Ok(Ok(name))
}
