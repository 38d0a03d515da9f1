//! `GET, POST /api/admin/groups/`: the groups by name, paginated, each with its permissions as
//! `resource.codename` keys; and group creation with `{"name", "permissions": ["notes.add"]}`.

use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::admin::{GROUP_NAME_TAKEN, fields, group_name, render};
use crate::http::endpoint::Endpoint;
use crate::http::json::json_response;
use crate::http::pagination::{page_for, paginated};
use crate::http::{ApiError, ApiRequest};
use crate::serializer::{Errors, root_object};
use crate::store::StoreError;

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
    let count = store.admin_count_groups().await?;
    let size = u64::from(req.state.config().page_size);
    let page = page_for(req.query("page").as_deref(), count, size)?;
    let groups = store.admin_list_groups(page.size, page.offset()).await?;
    let results = render::groups_json(&req.state, &groups).await?;
    Ok(json_response(
        StatusCode::OK,
        &paginated(req, page, count, results),
    ))
}

async fn create(req: &ApiRequest) -> Result<Response, ApiError> {
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    let name = group_name(req, data, false, None).await?;
    let name = errors.take("name", name).flatten();
    let all = req.state.store().admin_permissions().await?;
    let permissions = errors
        .take("permissions", fields::permission_ids(data, &all))
        .flatten();
    errors.check()?;
    let Some(name) = name else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "validated name missing"
        )));
    };
    let permissions = permissions.unwrap_or_default();
    let group = match req
        .state
        .store()
        .admin_create_group(&name, &permissions)
        .await
    {
        Ok(group) => group,
        // Lost a race with another creation of the same name.
        Err(StoreError::Conflict(_)) => return Err(ApiError::field("name", GROUP_NAME_TAKEN)),
        Err(e) => return Err(e.into()),
    };
    let body = render::one_group_json(&req.state, &group).await?;
    Ok(json_response(StatusCode::CREATED, &body))
}
