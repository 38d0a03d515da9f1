//! `GET, POST /api/admin/groups/`: the groups by name, paginated, each with its permissions as
//! `resource.codename` keys; and group creation with `{"name", "permissions": ["notes.add"]}`.

use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::admin::{group_input, group_write_error, render};
use crate::http::endpoint::Endpoint;
use crate::http::json::json_response;
use crate::http::pagination::{page_for, paginated};
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    crate::admin::endpoint("Admin Group List", &[Method::GET, Method::POST], handle)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    if req.method == Method::POST {
        create(&req).await
    } else {
        list(&req).await
    }
}

async fn list(req: &ApiRequest) -> Result<Response, ApiError> {
    let store = req.state.store();
    let count = store.admin().count_groups().await?;
    let size = u64::from(req.state.config().page_size);
    let page = page_for(req.query("page").as_deref(), count, size)?;
    let groups = store.admin().list_groups(page.size, page.offset()).await?;
    let results = render::groups_json(&req.state, &groups).await?;
    Ok(json_response(
        StatusCode::OK,
        &paginated(req, page, count, results),
    ))
}

async fn create(req: &ApiRequest) -> Result<Response, ApiError> {
    let (name, permissions) = group_input(req, false, None).await?;
    let Some(name) = name else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "validated name missing"
        )));
    };
    let permissions = permissions.unwrap_or_default();
    let group = req
        .state
        .store()
        .admin()
        .create_group(&name, &permissions)
        .await
        .map_err(group_write_error)?;
    if !permissions.is_empty() {
        crate::audit::events::group_permissions(req, group.id, Some(&permissions)).await;
    }
    let body = render::one_group_json(&req.state, &group).await?;
    Ok(json_response(StatusCode::CREATED, &body))
}
