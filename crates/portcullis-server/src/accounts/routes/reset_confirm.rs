//! The two views that follow a mailed link: `reset_password_confirm {uid, token, new_password}`
//! and `reset_<USERNAME_FIELD>_confirm {uid, token, new_<USERNAME_FIELD>}` (djoser's
//! `PasswordResetConfirmSerializer` and `UsernameResetConfirmSerializer`; with the `*_RETYPE`
//! settings their `Retype` classes, which also take `re_new_*` and compare it after the fields
//! passed, before the uid is read). Field errors first
//! (the username view has no `uid` and `token` fields: missing, they are an invalid uid), then
//! Django's password validators, then the uid, then the token. Both set the user's
//! `last_login`, as djoser does, so the link (whose HMAC covers the password hash and the last
//! login) works once. Each change is audited (`password_changed`, `username_changed`, with
//! `detail.via` naming the view).

use axum::http::Method;
use axum::response::Response;
use portcullis_passwords::validation::UserAttributes;

use serde_json::json;

use super::set_username;
use crate::accounts::{email_flows, new_password};
use crate::audit::{self, Event};
use crate::http::endpoint::{Endpoint, Permission};
use crate::http::endpoint_doc::{Answer, Doc, Takes};
use crate::http::json::no_content;
use crate::http::{ApiError, ApiRequest};
use crate::mail::djoser_mails::Kind;
use crate::serializer::{CharField, Errors, root_object};

/// `POST /auth/users/reset_password_confirm/`.
pub(crate) fn password() -> Endpoint {
    Endpoint::new("Reset password confirm", &[Method::POST], password_confirm)
        .permission(Permission::PostForAnyone)
        .documented(Doc::Account(
            Answer::NoContent,
            Takes::Serializer(super::doc_serializers::password_reset_confirm),
        ))
}

/// `POST /auth/users/reset_username_confirm/`.
pub(crate) fn username() -> Endpoint {
    Endpoint::new("Reset username confirm", &[Method::POST], username_confirm)
        .permission(Permission::PostForAnyone)
        .documented(Doc::Account(
            Answer::NoContent,
            Takes::Serializer(super::doc_serializers::username_reset_confirm),
        ))
}

async fn password_confirm(req: ApiRequest) -> Result<Response, ApiError> {
    let data = req.data()?;
    let data = root_object(&data)?;
    let retype = req.state.config().djoser.password_reset_confirm_retype;
    let mut errors = Errors::default();
    email_flows::uid_token_fields(data, &mut errors);
    // As `set_password`: the password exactly as sent.
    let field = CharField {
        trim_whitespace: false,
        ..CharField::default()
    };
    let new = errors.take("new_password", field.validate(data, "new_password", false));
    let retyped = retype.then(|| {
        errors
            .take(
                "re_new_password",
                field.validate(data, "re_new_password", false),
            )
            .and_then(|r| r.into_option())
    });
    errors.check()?;
    let new = new.and_then(|n| n.into_option()).unwrap_or_default();
    // `PasswordSerializer.validate` runs before the uid is read: the user it compares the
    // password with is the request's (anonymous: no attributes to be similar to).
    match req.user() {
        Some(me) => new_password::validate(
            "new_password",
            &new,
            &new_password::attributes_of(req.state.config(), me),
        )?,
        None => new_password::validate("new_password", &new, &UserAttributes::default())?,
    }
    if let Some(retyped) = retyped
        && retyped.as_deref() != Some(new.as_str())
    {
        return Err(ApiError::non_field("The two password fields didn't match."));
    }
    let user = email_flows::user_of_link(&req, data).await?;
    new_password::set_password(&req.state, user.id, new).await?;
    req.state
        .store()
        .accounts()
        .touch_last_login(user.id)
        .await?;
    let detail = json!({ "via": "reset_password_confirm" });
    audit::record(
        &req,
        Event::PasswordChanged,
        Some(user.id),
        &user.username,
        detail,
    )
    .await;
    if req
        .state
        .config()
        .djoser
        .password_changed_email_confirmation
    {
        email_flows::send(&req, Kind::PasswordChangedConfirmation, &user);
    }
    Ok(no_content())
}

async fn username_confirm(req: ApiRequest) -> Result<Response, ApiError> {
    let config = req.state.config();
    let data = req.data()?;
    let data = root_object(&data)?;
    let login = config.djoser.login_field(&config.user_model);
    if login != config.user_model.username_field {
        // As `set_username`: the login field is never changed through the other's endpoint.
        return Err(ApiError::non_field("Unable to change the login field."));
    }
    let key = format!("new_{}", login.name());
    // `UsernameResetConfirmSerializer` is a ModelSerializer whose fields are `Meta.fields`
    // alone: `uid` and `token` are no fields of it, only read from the data in `validate()`.
    let mut errors = Errors::default();
    let new = set_username::new_value(&req.state, data, login, &key).await?;
    let new = errors.take(&key, new);
    let retyped = config
        .djoser
        .username_reset_confirm_retype
        .then(|| set_username::retyped(data, login, &mut errors));
    errors.check()?;
    let new = new.unwrap_or_default();
    // `UidAndTokenSerializer.validate` calls `super().validate()` (the retype's comparison)
    // before it reads the uid.
    set_username::same_twice(retyped, &new, login)?;
    let user = email_flows::user_of_link(&req, data).await?;
    let answer = set_username::store(&req.state, user.id, login, &key, &new).await?;
    req.state
        .store()
        .accounts()
        .touch_last_login(user.id)
        .await?;
    let via = format!("reset_{}_confirm", login.name());
    let detail = json!({ "field": login.name(), "new": new, "via": via });
    audit::record(&req, Event::UsernameChanged, Some(user.id), &new, detail).await;
    if config.djoser.username_changed_email_confirmation {
        email_flows::send(&req, Kind::UsernameChangedConfirmation, &user);
    }
    Ok(answer)
}
