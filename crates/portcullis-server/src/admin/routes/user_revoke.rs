//! `POST /api/admin/users/<id>/revoke/`: sign the user out everywhere — its DRF token is
//! deleted and every JWT it holds is refused from the next request on — and answer with its
//! sessions as they are now (200). The user may log in again; deactivate it to stop that.

use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::admin::{actor, may_manage, render, target_user};
use crate::http::endpoint::Endpoint;
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    crate::admin::endpoint("Admin Revoke Sessions", &[Method::POST], handle)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let target = target_user(&req).await?;
    let me = actor(&req)?;
    may_manage(me, &target)?;
    super::user_detail::revoke_everything(&req.state, target.id).await?;
    let detail = serde_json::json!({ "kind": "all" });
    crate::audit::events::on(&req, crate::audit::Event::TokenRevoked, &target, detail).await;
    tracing::info!(
        actor = me.id,
        user = target.id,
        "admin revoked a user's sessions"
    );
    let body = render::sessions_json(&req.state, &target).await?;
    Ok(json_response(StatusCode::OK, &body))
}
