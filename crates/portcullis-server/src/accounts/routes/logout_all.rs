//! `POST /auth/logout_all/` (Portcullis only): log the user out everywhere. Every JWT issued to
//! the user so far — access and refresh, on every device — stops working at once (the user's
//! revocation epoch moves on), and the DRF token is deleted as `/auth/token/logout/` deletes it.
//! Authenticated with either kind of credential; 204, like djoser's token logout.

use axum::http::Method;
use axum::response::Response;

use serde_json::json;

use crate::audit::{self, Event};
use crate::auth::jwt::revoke;
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Answer, Doc, Takes};
use crate::http::json::no_content;
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    Endpoint::new("Logout All", &[Method::POST], handle)
        .documented(Doc::Account(Answer::NoContent, Takes::Nothing))
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let user = req.require_user()?;
    revoke::revoke_all(&req.state, user.id)
        .await
        .map_err(ApiError::from)?;
    audit::events::own(&req, Event::LogoutAll, json!({})).await;
    let detail = json!({ "kind": "all", "via": "logout_all" });
    audit::events::own(&req, Event::TokenRevoked, detail).await;
    Ok(no_content())
}
