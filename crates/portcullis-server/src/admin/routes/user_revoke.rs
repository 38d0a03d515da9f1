//! `POST /api/admin/users/<id>/revoke/`: sign the user out everywhere — its DRF token is
//! deleted and every JWT it holds is refused from the next request on — and answer with its
//! sessions as they are now (200). The user may log in again; deactivate it to stop that.

use axum::http::{Method, StatusCode};

use crate::admin::{actor, is_admin_user, may_manage, render, spec, target_user};
use crate::http::ApiRequest;
use crate::http::json::json_response;
use crate::http::view::{CheckFuture, View, ViewFuture, ViewSpec};

pub struct UserRevoke;

static SPEC: ViewSpec = spec("Admin Revoke Sessions", &[Method::POST]);

impl View for UserRevoke {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn check_permissions<'a>(&'a self, req: &'a ApiRequest) -> CheckFuture<'a> {
        is_admin_user(req)
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let target = target_user(&req).await?;
            let me = actor(&req)?;
            may_manage(me, &target)?;
            super::user_detail::revoke_everything(&req.state, target.id).await?;
            tracing::info!(
                actor = me.id,
                user = target.id,
                "admin revoked a user's sessions"
            );
            let body = render::sessions_json(&req.state, &target).await?;
            Ok(json_response(StatusCode::OK, &body))
        })
    }
}
