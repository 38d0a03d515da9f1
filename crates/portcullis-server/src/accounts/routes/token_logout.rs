//! `POST /auth/token/logout/`: djoser's `TokenDestroyView` deletes the user's token; the next
//! login creates a new one.

use axum::http::Method;
use axum::response::Response;

use serde_json::json;

use crate::audit::{self, Event};
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Answer, Doc, Takes};
use crate::http::json::no_content;
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    Endpoint::new("Token Destroy", &[Method::POST], handle)
        .documented(Doc::Account(Answer::NoContent, Takes::Nothing))
        .describe("Use this endpoint to logout user (remove user authentication token).")
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let user = req.require_user()?;
    let deleted = req
        .state
        .store()
        .tokens()
        .token_delete(user.id)
        .await
        .map_err(ApiError::from)?;
    if deleted {
        audit::events::own(&req, Event::Logout, json!({ "kind": "token" })).await;
    }
    Ok(no_content())
}
