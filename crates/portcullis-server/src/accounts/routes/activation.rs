//! `POST /auth/users/activation/ {uid, token}`: djoser's `ActivationSerializer`. A valid link
//! activates the user (204, and the confirmation mail with `send_confirmation_email`); the link
//! of a user already active answers 403 "Stale token for given user.", so it works once.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::accounts::email_flows;
use crate::audit::{self, Event};
use crate::http::endpoint::{Endpoint, Permission};
use crate::http::endpoint_doc::{Answer, Doc, Takes};
use crate::http::json::{json_response, no_content};
use crate::http::{ApiError, ApiRequest};
use crate::mail::djoser_mails::Kind;
use crate::serializer::{Errors, root_object};
use crate::store::UserUpdate;

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    Endpoint::new("Activation", &[Method::POST], handle)
        .permission(Permission::PostForAnyone)
        .documented(Doc::Account(
            Answer::NoContent,
            Takes::Serializer(super::doc_serializers::activation),
        ))
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    email_flows::uid_token_fields(data, &mut errors);
    errors.check()?;
    let mut user = email_flows::user_of_link(&req, data).await?;
    if user.is_active {
        // `raise exceptions.PermissionDenied(STALE_TOKEN_ERROR)`.
        return Ok(json_response(
            StatusCode::FORBIDDEN,
            &json!({"detail": "Stale token for given user."}),
        ));
    }
    let update = UserUpdate {
        is_active: Some(true),
        ..UserUpdate::default()
    };
    req.state
        .store()
        .accounts()
        .update_user(user.id, &update)
        .await?;
    user.is_active = true;
    let detail = json!({ "via": "activation" });
    audit::record(
        &req,
        Event::UserActivated,
        Some(user.id),
        &user.username,
        detail,
    )
    .await;
    if req.state.config().djoser.send_confirmation_email {
        email_flows::send(&req, Kind::Confirmation, &user);
    }
    Ok(no_content())
}
