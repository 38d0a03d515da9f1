//! `POST /auth/users/set_password/`: djoser's `SetPasswordSerializer`. The current password must
//! be right before the new one is checked against Django's validators; a wrong one counts as a
//! failed login of the account, and an account over its limit gets the login's 429. With
//! `SET_PASSWORD_RETYPE` it also takes `re_new_password`, compared after Django's validators.
//! The DRF token survives (djoser's default `LOGOUT_ON_PASSWORD_CHANGE = False`; with it, the
//! token is deleted as djoser's `logout_user` does) unless `jwt.revoke_on_password_change`
//! revokes every token of the user.

use axum::http::Method;
use axum::response::Response;

use serde_json::json;

use crate::accounts::{credentials, email_flows, new_password};
use crate::audit::{self, Event};
use crate::config::TokenModel;
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Answer, Doc, Takes};
use crate::http::json::no_content;
use crate::http::{ApiError, ApiRequest};
use crate::mail::djoser_mails::Kind;
use crate::serializer::{CharField, Errors, root_object};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    Endpoint::new("Set password", &[Method::POST], handle).documented(Doc::Account(
        Answer::NoContent,
        Takes::Serializer(super::doc_serializers::set_password),
    ))
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let user = req.require_user()?.clone();
    let data = req.data()?;
    let data = root_object(&data)?;
    let field = CharField {
        trim_whitespace: false,
        ..CharField::default()
    };
    let mut errors = Errors::default();
    let new = errors.take("new_password", field.validate(data, "new_password", false));
    // `SetPasswordRetypeSerializer`'s fields: new_password, re_new_password, current_password.
    let retype = req.state.config().djoser.set_password_retype;
    let retyped = retype.then(|| {
        errors
            .take(
                "re_new_password",
                field.validate(data, "re_new_password", false),
            )
            .and_then(|r| r.into_option())
    });
    let current = match field.validate(data, "current_password", false) {
        Ok(current) => {
            let current = current.into_option().unwrap_or_default();
            if credentials::check_current_password(&req.state, &user, &current).await? {
                Some(current)
            } else {
                errors.add("current_password", vec!["Invalid password.".into()]);
                None
            }
        }
        Err(messages) => {
            errors.add("current_password", messages);
            None
        }
    };
    errors.check()?;
    let (Some(new), Some(_)) = (new.and_then(|n| n.into_option()), current) else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    new_password::validate(
        "new_password",
        &new,
        &new_password::attributes_of(req.state.config(), &user),
    )?;
    // djoser's `PasswordRetypeSerializer.validate`, after Django's validators:
    // `if attrs["new_password"] == attrs["re_new_password"]: return attrs`
    // `else: self.fail("password_mismatch")`.
    if let Some(retyped) = retyped
        && retyped.as_deref() != Some(new.as_str())
    {
        return Err(ApiError::non_field("The two password fields didn't match."));
    }
    new_password::set_password(&req.state, user.id, new).await?;
    audit::events::own(&req, Event::PasswordChanged, json!({})).await;
    if req
        .state
        .config()
        .djoser
        .password_changed_email_confirmation
    {
        email_flows::send(&req, Kind::PasswordChangedConfirmation, &user);
    }
    let djoser = &req.state.config().djoser;
    // djoser's `utils.logout_user`: `if settings.TOKEN_MODEL:` the user's tokens are deleted.
    if djoser.logout_on_password_change && djoser.token_model == TokenModel::Authtoken {
        let deleted = req.state.store().tokens().token_delete(user.id).await?;
        if deleted {
            audit::events::own(&req, Event::Logout, json!({ "kind": "token" })).await;
        }
    }
    Ok(no_content())
}
