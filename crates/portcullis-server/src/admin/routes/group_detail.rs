//! `GET, PATCH, DELETE /api/admin/groups/<id>/`: one group. PATCH renames it (`name`) and/or
//! replaces its permissions (`permissions`, as `resource.codename` keys); DELETE removes it, and
//! with it its members' memberships and its grants. A group with a staff or superuser member
//! is a superuser's to change or delete: its permissions are that staff user's permissions
//! (`accounts::authority::may_manage_group`); other staff get 403.

use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::accounts::authority;
use crate::admin::{actor, group_input, group_write_error, id_param, no_match, render};
use crate::http::endpoint::Endpoint;
use crate::http::json::{json_response, no_content};
use crate::http::{ApiError, ApiRequest};
use crate::store::admin::Group;

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    crate::admin::endpoint(
        "Admin Group Instance",
        &[Method::GET, Method::PATCH, Method::DELETE],
        handle,
    )
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let group = target_group(&req).await?;
    if req.method != Method::GET {
        let has_staff = req.state.store().admin().group_has_staff(group.id).await?;
        if !authority::may_manage_group(actor(&req)?, has_staff) {
            return Err(ApiError::PermissionDenied);
        }
    }
    match req.method {
        Method::GET => {
            let body = render::one_group_json(&req.state, &group).await?;
            Ok(json_response(StatusCode::OK, &body))
        }
        Method::DELETE => {
            req.state.store().admin().delete_group(group.id).await?;
            crate::audit::events::group_permissions(&req, group.id, None).await;
            Ok(no_content())
        }
        _ => update(&req, group).await,
    }
}

async fn target_group(req: &ApiRequest) -> Result<Group, ApiError> {
    let id = id_param(req, "Group")?;
    let mut found = req.state.store().admin().groups_by_ids(&[id]).await?;
    found.pop().ok_or_else(|| no_match("Group"))
}

async fn update(req: &ApiRequest, group: Group) -> Result<Response, ApiError> {
    let (name, permissions) = group_input(req, true, Some(group.id)).await?;
    let updated = req
        .state
        .store()
        .admin()
        .update_group(group.id, name.as_deref(), permissions.as_deref())
        .await
        .map_err(group_write_error)?;
    if !updated {
        // Deleted by someone else since it was read.
        return Err(no_match("Group"));
    }
    if let Some(permissions) = &permissions {
        crate::audit::events::group_permissions(req, group.id, Some(permissions)).await;
    }
    let group = Group {
        name: name.unwrap_or(group.name),
        ..group
    };
    let body = render::one_group_json(&req.state, &group).await?;
    Ok(json_response(StatusCode::OK, &body))
}
