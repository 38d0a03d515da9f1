//! Which field a user logs in with, and how the store keeps it: Django's `USERNAME_FIELD`
//! (`[user_model] username_field`) and djoser's `LOGIN_FIELD` (`[djoser] login_field`).
//!
//! A model whose `USERNAME_FIELD` is the email has no username at all on the wire. The store
//! still keeps the email in the unique `username` column (besides `email`): that column is
//! what makes the identity unique and indexed, so every lookup by name (the logins, the
//! command line's `USER` arguments, the login throttle's key) works unchanged, and the admin
//! API and console show the email as the user's name. Both columns change together
//! ([`crate::store::AccountStore::set_login_email`]). SQLite does not enforce `VARCHAR(150)`, so a
//! 254-character email fits.

use serde_json::{Map, Value};

use super::validators::{EMAIL_MESSAGE, valid_email};
use crate::config::{Config, LoginField};
use crate::http::ApiError;
use crate::serializer::CharField;
use crate::state::AppState;
use crate::store::User;

/// Django's message for the model's `EmailField(unique=True)` (the verbose name is
/// "email address").
pub(crate) const EMAIL_TAKEN: &str = "user with this email address already exists.";

/// DRF `CharField`'s "invalid" message.
const NOT_A_STRING: &str = "Not a valid string.";

/// Whether the user model's `USERNAME_FIELD` is the email.
pub(crate) fn email_is_username(config: &Config) -> bool {
    config.user_model.username_field == LoginField::Email
}

/// The key simplejwt's `TokenObtainSerializer` reads: the model's `USERNAME_FIELD`.
pub(crate) fn username_key(config: &Config) -> &'static str {
    config.user_model.username_field.name()
}

/// The key djoser's `TokenCreateSerializer` reads: `LOGIN_FIELD`.
pub(crate) fn login_key(config: &Config) -> &'static str {
    config.djoser.login_field(&config.user_model).name()
}

/// The user a login names (`authenticate(username=value)`), before its password is checked.
///
/// With djoser's `LOGIN_FIELD` other than the model's `USERNAME_FIELD` (the email on Django's
/// `User`), djoser's `LoginFieldBackend` looks every login up by that field, the DRF token and
/// JWT logins included. Emails are not unique there: Django answers 500 when two users share
/// one (`MultipleObjectsReturned`); here such an email names nobody, so that neither user can
/// be logged in as by the other's password.
pub(crate) async fn find_for_login(
    state: &AppState,
    value: &str,
) -> Result<Option<User>, ApiError> {
    let config = state.config();
    let login = config.djoser.login_field(&config.user_model);
    if login == config.user_model.username_field {
        return Ok(state.store().accounts().user_by_username(value).await?);
    }
    let mut found = state.store().accounts().users_by_email(value, 2).await?;
    Ok(if found.len() == 1 { found.pop() } else { None })
}

/// The email of a model that logs in with it, sent under `key` (`email` at registration,
/// `new_email` of set_email): DRF's `EmailField` built from `EmailField(unique=True)` —
/// required, not blank, trimmed, then its validators in DRF's order (unique, length, format),
/// all reported together. The uniqueness compares the value as sent, as DRF's
/// `UniqueValidator` does; the normalized value is what gets stored.
pub(crate) async fn new_email(
    state: &AppState,
    data: &Map<String, Value>,
    key: &str,
) -> Result<Result<String, Vec<String>>, ApiError> {
    let email = match CharField::default().validate(data, key, false) {
        Ok(present) => present.into_option().unwrap_or_default(),
        // `EmailField` overrides CharField's "invalid" message: a list or a boolean is "not a
        // valid email address".
        Err(errors) if errors.iter().any(|e| e == NOT_A_STRING) => {
            return Ok(Err(vec![EMAIL_MESSAGE.to_string()]));
        }
        Err(errors) => return Ok(Err(errors)),
    };
    let mut errors = Vec::new();
    if state
        .store()
        .accounts()
        .user_by_username(&email)
        .await?
        .is_some()
    {
        errors.push(EMAIL_TAKEN.to_string());
    }
    if email.chars().count() > 254 {
        errors.push("Ensure this field has no more than 254 characters.".to_string());
    }
    if !valid_email(&email) {
        errors.push(EMAIL_MESSAGE.to_string());
    }
    Ok(if errors.is_empty() {
        Ok(email)
    } else {
        Err(errors)
    })
}
