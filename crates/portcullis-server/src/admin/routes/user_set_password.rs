//! `POST /api/admin/users/<id>/set_password/` with `{"password"}`: what Django's admin password
//! form does. The password is used exactly as sent and must pass Django's validators, checked
//! against the target user's own name and email; 204. Signed-in sessions survive unless
//! `jwt.revoke_on_password_change` says otherwise, as for a user's own password change.

use axum::http::Method;
use serde_json::json;

use crate::accounts::passwords;
use crate::admin::{actor, is_admin_user, may_manage, password_field, spec, target_user};
use crate::http::json::no_content;
use crate::http::view::{CheckFuture, View, ViewFuture, ViewSpec};
use crate::http::{ApiError, ApiRequest};
use crate::serializer::root_object;

pub struct UserSetPassword;

static SPEC: ViewSpec = spec("Admin Set Password", &[Method::POST]);

impl View for UserSetPassword {
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
            let data = req.data()?;
            let data = root_object(&data)?;
            let password = password_field()
                .validate(data, "password", false)
                .map_err(|errors| ApiError::Validation(json!({ "password": errors })))?
                .into_option()
                .unwrap_or_default();
            let who = passwords::attributes_of(&target);
            passwords::validate("password", &password, &who)?;
            passwords::set_password(&req.state, target.id, password).await?;
            tracing::info!(
                actor = me.id,
                user = target.id,
                "admin set a user's password"
            );
            Ok(no_content())
        })
    }
}
