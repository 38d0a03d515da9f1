//! `GET /api/admin/users/<id>/sessions/`: what signs the user in — whether it has a DRF token
//! and when it was created (never the key), its JWT revocation epoch, and the refresh tokens
//! recorded for it that have not expired (by `jti`, with their dates and blacklisting).

use axum::http::{Method, StatusCode};

use crate::admin::{is_admin_user, render, spec, target_user};
use crate::http::ApiRequest;
use crate::http::json::json_response;
use crate::http::view::{CheckFuture, View, ViewFuture, ViewSpec};

pub struct UserSessions;

static SPEC: ViewSpec = spec("Admin User Sessions", &[Method::GET]);

impl View for UserSessions {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn check_permissions<'a>(&'a self, req: &'a ApiRequest) -> CheckFuture<'a> {
        is_admin_user(req)
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let target = target_user(&req).await?;
            let body = render::sessions_json(&req.state, &target).await?;
            Ok(json_response(StatusCode::OK, &body))
        })
    }
}
