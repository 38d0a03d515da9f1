//! djoser's three "send me a link" views, which share `SendEmailResetSerializer` (`{email}`):
//! `reset_password` (the reset mail to an active user), `reset_<USERNAME_FIELD>` (the username
//! reset mail) and `resend_activation` (the activation mail again, to an inactive user; 400
//! without `send_activation_email`). Each answers 204 whether or not the address is known
//! (djoser's default), so the answer tells no one which addresses have accounts; the mail is
//! queued, never sent in the request.

use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::accounts::email_flows;
use crate::http::endpoint::{Endpoint, Permission};
use crate::http::endpoint_doc::{Answer, Doc, Takes};
use crate::http::json::no_content;
use crate::http::{ApiError, ApiRequest};
use crate::mail::djoser_mails::Kind;
use crate::serializer::root_object;

fn declare(name: &'static str, kind: Kind) -> Endpoint {
    let answer = if kind == Kind::Activation {
        Answer::Resend
    } else {
        Answer::NoContent
    };
    Endpoint::new(name, &[Method::POST], move |req| handle(req, kind))
        .permission(Permission::PostForAnyone)
        .documented(Doc::Account(
            answer,
            Takes::Serializer(super::doc_serializers::send_email_reset),
        ))
}

/// `POST /auth/users/reset_password/`.
pub(crate) fn reset_password() -> Endpoint {
    declare("Reset password", Kind::PasswordReset)
}

/// `POST /auth/users/reset_username/` (`reset_email/` for a model that logs in with its email).
pub(crate) fn reset_username() -> Endpoint {
    declare("Reset username", Kind::UsernameReset)
}

/// `POST /auth/users/resend_activation/`.
pub(crate) fn resend_activation() -> Endpoint {
    declare("Resend activation", Kind::Activation)
}

async fn handle(req: ApiRequest, kind: Kind) -> Result<Response, ApiError> {
    let data = req.data()?;
    let data = root_object(&data)?;
    let activation = kind == Kind::Activation;
    let user = email_flows::user_for_email(&req, data, !activation).await?;
    if activation && !req.state.config().djoser.send_activation_email {
        // djoser's `Response(status=400)`: no body, no content type.
        let mut response = no_content();
        *response.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(response);
    }
    if let Some(user) = user {
        email_flows::send(&req, kind, &user);
    }
    Ok(no_content())
}
