//! What djoser's mailing views share: the mails' context (`domain`, `site_name`, `protocol`),
//! queuing a mail for a user, the `{email}` of the three "send me a link" views
//! (`SendEmailResetSerializer`) and the `{uid, token}` of the three that follow a link
//! (`UidAndTokenSerializer`).

use serde_json::{Map, Value, json};

use super::django_tokens::{decode_uid, encode_uid};
use super::validators::{EMAIL_MESSAGE, valid_email};
use crate::config::Config;
use crate::http::{ApiError, ApiRequest};
use crate::mail::djoser_mails::{self, Context, Kind};
use crate::serializer::{CharField, Errors};
use crate::store::User;

/// djoser's `INVALID_UID_ERROR`.
pub(crate) const INVALID_UID: &str = "Invalid user id or user doesn't exist.";
/// djoser's `INVALID_TOKEN_ERROR`.
pub(crate) const INVALID_TOKEN: &str = "Invalid token for given user.";
/// djoser's `EMAIL_NOT_FOUND`.
const EMAIL_NOT_FOUND: &str = "User with given email does not exist.";

/// The links' default paths: the reference project's settings.
const ACTIVATION_URL: &str = "#/activate/{uid}/{token}";
const PASSWORD_RESET_CONFIRM_URL: &str = "#/password/reset/confirm/{uid}/{token}";
const USERNAME_RESET_CONFIRM_URL: &str = "#/username/reset/confirm/{uid}/{token}";

/// djoser's `BaseDjoserEmail.get_context_data`: the `EMAIL_FRONTEND_*` settings, else the
/// request's host (Django's `RequestSite`) and `http`.
fn context(req: &ApiRequest, user: &User) -> Context {
    let djoser = &req.state.config().djoser;
    let host = req.host();
    let set = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
    Context {
        protocol: set(&djoser.protocol).unwrap_or_else(|| "http".into()),
        domain: set(&djoser.domain).unwrap_or_else(|| host.clone()),
        site_name: set(&djoser.site_name).unwrap_or(host),
        username: user.username.clone(),
        url: String::new(),
    }
}

/// The `*_URL` setting of a mail with a link.
fn url_setting(config: &Config, kind: Kind) -> Option<String> {
    let djoser = &config.djoser;
    let (set, default) = match kind {
        Kind::Activation => (&djoser.activation_url, ACTIVATION_URL),
        Kind::PasswordReset => (
            &djoser.password_reset_confirm_url,
            PASSWORD_RESET_CONFIRM_URL,
        ),
        Kind::UsernameReset => (
            &djoser.username_reset_confirm_url,
            USERNAME_RESET_CONFIRM_URL,
        ),
        _ => return None,
    };
    Some(set.clone().unwrap_or_else(|| default.into()))
}

/// Render `kind` for `user` and queue it; never waits for the mail server. A user without an
/// email gets nothing (logged): there is nowhere to send it.
pub(crate) fn send(req: &ApiRequest, kind: Kind, user: &User) {
    if user.email.is_empty() {
        tracing::warn!(user = user.id, ?kind, "no mail sent: the user has no email");
        return;
    }
    let mut ctx = context(req, user);
    if let Some(template) = url_setting(req.state.config(), kind) {
        let token = req.state.link_tokens().make_token(user);
        ctx.url = djoser_mails::format_url(&template, &ctx, &encode_uid(user.id), &token);
    }
    req.state
        .mailer()
        .send(djoser_mails::render(kind, &user.email, &ctx));
}

/// `SendEmailResetSerializer` and `get_user(is_active)`: the `email` field (required, a valid
/// address), then the one user with exactly that email, that activity and a usable password.
/// `Ok(None)` where djoser sends nothing and answers as if it had; with
/// `*_SHOW_EMAIL_NOT_FOUND`, DRF's list-shaped 400 instead.
pub(crate) async fn user_for_email(
    req: &ApiRequest,
    data: &Map<String, Value>,
    is_active: bool,
) -> Result<Option<User>, ApiError> {
    let email = CharField::default()
        .validate(data, "email", false)
        .and_then(|email| {
            let email = email.into_option().unwrap_or_default();
            if valid_email(&email) {
                Ok(email)
            } else {
                Err(vec![EMAIL_MESSAGE.to_string()])
            }
        });
    let mut errors = Errors::default();
    let email = errors.take("email", email);
    errors.check()?;
    let email = email.unwrap_or_default();
    // djoser's `get()` raises on several users with one email (a 500); Portcullis mails none.
    let found = req
        .state
        .store()
        .accounts()
        .users_by_email(&email, 64)
        .await?;
    let mut matching = found.into_iter().filter(|u| u.is_active == is_active);
    let user = match (matching.next(), matching.next()) {
        // `has_usable_password()`: Django's unusable hashes start with "!".
        (Some(user), None) if !user.password.starts_with('!') => Some(user),
        _ => None,
    };
    let djoser = &req.state.config().djoser;
    let show =
        djoser.password_reset_show_email_not_found || djoser.username_reset_show_email_not_found;
    if user.is_none() && show {
        return Err(ApiError::Validation(json!([EMAIL_NOT_FOUND])));
    }
    Ok(user)
}

/// The `uid` and `token` fields' own errors (required, not blank), under their keys.
pub(crate) fn uid_token_fields(data: &Map<String, Value>, errors: &mut Errors) {
    for key in ["uid", "token"] {
        errors.take(key, CharField::default().validate(data, key, false));
    }
}

/// `UidAndTokenSerializer.validate`: the user the raw `uid` names, and `token` checked for it.
pub(crate) async fn user_of_link(
    req: &ApiRequest,
    data: &Map<String, Value>,
) -> Result<User, ApiError> {
    // djoser reads `initial_data`: the values as sent, untrimmed.
    let raw = |key: &str| data.get(key).and_then(Value::as_str).unwrap_or_default();
    let user = match decode_uid(raw("uid")) {
        Some(id) => req.state.store().accounts().user_by_id(id).await?,
        None => None,
    };
    let Some(user) = user else {
        return Err(ApiError::field("uid", INVALID_UID));
    };
    if req.state.link_tokens().check_token(&user, raw("token")) {
        Ok(user)
    } else {
        Err(ApiError::field("token", INVALID_TOKEN))
    }
}
