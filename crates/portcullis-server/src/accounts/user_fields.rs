//! Validation of the user fields djoser's serializers accept: `username` (Django's validators,
//! unique, at most 150 characters) and `email` (optional, blank allowed, at most 254).

use serde_json::{Map, Value};
use unicode_normalization::UnicodeNormalization;

use super::validators::{EMAIL_MESSAGE, USERNAME_MESSAGE, valid_email, valid_username};
use crate::http::ApiError;
use crate::serializer::CharField;
use crate::serializer::char_field::{NUL_MESSAGE, Present, python_str};
use crate::state::AppState;

/// `email`: `Ok(None)` when absent.
pub(crate) fn email(
    data: &Map<String, Value>,
    partial: bool,
) -> Result<Option<String>, Vec<String>> {
    let field = CharField {
        allow_blank: true,
        ..CharField::optional()
    };
    let Present::Value(email) = field.validate(data, "email", partial)? else {
        return Ok(None);
    };
    let mut errors = Vec::new();
    if email.chars().count() > 254 {
        errors.push("Ensure this field has no more than 254 characters.".to_string());
    }
    if !email.is_empty() && !valid_email(&email) {
        errors.push(EMAIL_MESSAGE.to_string());
    }
    if errors.is_empty() {
        Ok(Some(email))
    } else {
        Err(errors)
    }
}

/// `username` for a new user, validators in DRF's order: Django's username validator, then
/// uniqueness, then the length.
pub(crate) async fn new_username(
    state: &AppState,
    data: &Map<String, Value>,
) -> Result<Result<String, Vec<String>>, ApiError> {
    username_field(state, data, "username").await
}

/// The same rules for a username sent under another key (`new_username` of set_username).
pub(crate) async fn username_field(
    state: &AppState,
    data: &Map<String, Value>,
    key: &str,
) -> Result<Result<String, Vec<String>>, ApiError> {
    // DRF runs the model field's validators (the name's characters, uniqueness, length) before
    // CharField's own NUL check, whose message therefore comes last.
    let raw = data.get(key).and_then(python_str);
    let nul = raw.as_deref().is_some_and(|text| text.contains('\0'));
    let username = match CharField::default().validate(data, key, false) {
        // Django's `normalize_username` (NFKC) runs when the user is created; doing it before
        // the checks also makes "ｆｕｌｌ" collide with an existing "full" as a clear 400.
        Ok(present) => present.into_option().unwrap_or_default(),
        Err(errors) if nul && errors == [NUL_MESSAGE] => raw.unwrap_or_default().trim().to_string(),
        Err(errors) => return Ok(Err(errors)),
    }
    .nfkc()
    .collect::<String>();
    let mut errors = Vec::new();
    if !valid_username(&username) {
        errors.push(USERNAME_MESSAGE.to_string());
    }
    if state
        .store()
        .accounts()
        .user_by_username(&username)
        .await?
        .is_some()
    {
        errors.push(TAKEN.to_string());
    }
    if username.chars().count() > 150 {
        errors.push("Ensure this field has no more than 150 characters.".to_string());
    }
    if nul {
        errors.push(NUL_MESSAGE.to_string());
    }
    Ok(if errors.is_empty() {
        Ok(username)
    } else {
        Err(errors)
    })
}

/// `username` written through a user serializer that lists it writable (a project's own
/// `Meta.read_only_fields` without it): the model field's validators as at registration, the
/// user being changed excluded from the uniqueness check (DRF's `UniqueValidator` on an
/// instance); stored as sent, as a model's `save()` does. `Ok(None)` when absent from a PATCH.
pub(crate) async fn changed_username(
    state: &AppState,
    data: &Map<String, Value>,
    partial: bool,
    id: i64,
) -> Result<Result<Option<String>, Vec<String>>, ApiError> {
    let username = match CharField::default().validate(data, "username", partial) {
        Ok(present) => match present.into_option() {
            Some(username) => username,
            None => return Ok(Ok(None)),
        },
        Err(errors) => return Ok(Err(errors)),
    };
    let mut errors = Vec::new();
    if !valid_username(&username) {
        errors.push(USERNAME_MESSAGE.to_string());
    }
    let holder = state.store().accounts().user_by_username(&username).await?;
    if holder.is_some_and(|u| u.id != id) {
        errors.push(TAKEN.to_string());
    }
    if username.chars().count() > 150 {
        errors.push("Ensure this field has no more than 150 characters.".to_string());
    }
    Ok(if errors.is_empty() {
        Ok(Some(username))
    } else {
        Err(errors)
    })
}

pub(crate) const TAKEN: &str = "A user with that username already exists.";

/// Django's `BaseUserManager.normalize_email`, applied when a user is created (not on later
/// updates): the domain part lowercased, the local part kept as sent.
pub(crate) fn normalize_email(email: &str) -> String {
    match email.trim().rsplit_once('@') {
        Some((name, domain)) => format!("{name}@{}", domain.to_lowercase()),
        None => email.to_string(),
    }
}
