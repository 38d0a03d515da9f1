//! `GET /auth/`: the API root of djoser's `DefaultRouter`, listing its one viewset.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::http::endpoint::Endpoint;
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    Endpoint::new("Api Root", &[Method::GET], handle)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let users = req.absolute_uri("/auth/users/");
    Ok(json_response(StatusCode::OK, &json!({ "users": users })))
}
