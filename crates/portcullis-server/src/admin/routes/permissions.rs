//! `GET /api/admin/permissions/`: every permission (four per declared resource: add, change,
//! delete, view), as one unpaginated list — the console shows them all as checkboxes.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::Value;

use crate::admin::render;
use crate::http::endpoint::Endpoint;
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    crate::admin::endpoint("Admin Permission List", &[Method::GET], handle)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let all = req.state.store().admin().permissions().await?;
    let body: Vec<Value> = all.iter().map(render::permission_json).collect();
    Ok(json_response(StatusCode::OK, &body))
}
