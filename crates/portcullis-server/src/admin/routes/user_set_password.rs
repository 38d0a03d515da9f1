//! `POST /api/admin/users/<id>/set_password/` with `{"password"}`: what Django's admin password
//! form does. The password is used exactly as sent and must pass Django's validators, checked
//! against the target user's own name and email; 204. Signed-in sessions survive unless
//! `jwt.revoke_on_password_change` says otherwise, as for a user's own password change.

use axum::http::Method;
use axum::response::Response;
use serde_json::json;

use crate::accounts::new_password;
use crate::admin::{actor, may_manage, password_field, target_user};
use crate::http::endpoint::Endpoint;
use crate::http::json::no_content;
use crate::http::{ApiError, ApiRequest};
use crate::serializer::root_object;

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    crate::admin::endpoint("Admin Set Password", &[Method::POST], handle)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
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
    let who = new_password::attributes_of(req.state.config(), &target);
    new_password::validate("password", &password, &who)?;
    new_password::set_password(&req.state, target.id, password).await?;
    let event = crate::audit::Event::PasswordChanged;
    crate::audit::events::on(&req, event, &target, json!({})).await;
    tracing::info!(
        actor = me.id,
        user = target.id,
        "admin set a user's password"
    );
    Ok(no_content())
}
