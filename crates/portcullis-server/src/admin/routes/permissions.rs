//! `GET /api/admin/permissions/`: every permission (four per declared resource: add, change,
//! delete, view), as one unpaginated list — the console shows them all as checkboxes.

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::admin::{is_admin_user, render, spec};
use crate::http::ApiRequest;
use crate::http::json::json_response;
use crate::http::view::{CheckFuture, View, ViewFuture, ViewSpec};

pub struct PermissionList;

static SPEC: ViewSpec = spec("Admin Permission List", &[Method::GET]);

impl View for PermissionList {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn check_permissions<'a>(&'a self, req: &'a ApiRequest) -> CheckFuture<'a> {
        is_admin_user(req)
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let all = req.state.store().admin_permissions().await?;
            let body: Vec<Value> = all.iter().map(render::permission_json).collect();
            Ok(json_response(StatusCode::OK, &body))
        })
    }
}
