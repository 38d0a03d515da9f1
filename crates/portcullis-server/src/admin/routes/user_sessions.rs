//! `GET /api/admin/users/<id>/sessions/`: what signs the user in — whether it has a DRF token
//! and when it was created (never the key), its JWT revocation epoch, and the refresh tokens
//! recorded for it that have not expired (by `jti`, with their dates and blacklisting).

use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::admin::{render, target_user};
use crate::http::endpoint::Endpoint;
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    crate::admin::endpoint("Admin User Sessions", &[Method::GET], handle)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let target = target_user(&req).await?;
    let body = render::sessions_json(&req.state, &target).await?;
    Ok(json_response(StatusCode::OK, &body))
}
