//! `GET /api/`: DRF's `APIRootView`, one absolute URL per resource.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value};

use crate::http::endpoint::Endpoint;
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(super) fn endpoint() -> Endpoint {
    Endpoint::new("Api Root", &[Method::GET], handle)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let mut body = Map::new();
    for resource in &req.state.schema().resources {
        let url = req.absolute_uri(&format!("/api/{}/", resource.name));
        body.insert(resource.name.clone(), Value::String(url));
    }
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}
