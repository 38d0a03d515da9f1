//! New passwords, wherever they come from (registration, djoser's set_password, the console,
//! the command line): Django's four validators against the user's own fields, hashing off the
//! runtime, and the revocations a password change triggers — one implementation for all.

use portcullis_passwords::validation::{UserAttributes, validate_password};
use serde_json::json;

use super::user_fields;
use crate::auth::token_key::TokenKeys;
use crate::config::Config;
use crate::http::ApiError;
use crate::state::AppState;
use crate::store::{NewUser, StoreError, User};

/// The fields of a user that Django's similarity validator compares a password with. A model
/// that logs in with its email has no `username` attribute (the column holds the email).
pub(crate) fn attributes_of<'a>(config: &Config, user: &'a User) -> UserAttributes<'a> {
    UserAttributes {
        username: if super::login_identity::email_is_username(config) {
            ""
        } else {
            &user.username
        },
        first_name: &user.first_name,
        last_name: &user.last_name,
        email: &user.email,
    }
}

/// Django's validators' messages for `password` of the user `who` (empty when it passes).
pub fn problems(password: &str, who: &UserAttributes) -> Vec<String> {
    validate_password(password, Some(who))
}

/// The same as a DRF validation error under `field` (`password`, or djoser's `new_password`).
pub(crate) fn validate(field: &str, password: &str, who: &UserAttributes) -> Result<(), ApiError> {
    let problems = problems(password, who);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(json!({ field: problems })))
    }
}

/// Create a user from `user` whose `password` is still plain text: hashed here, and the user
/// stored together with its DRF token (the tutorial's post_save signal). A name taken by a
/// concurrent creation is DRF's uniqueness error.
pub(crate) async fn create_user(state: &AppState, mut user: NewUser) -> Result<User, ApiError> {
    let plain = std::mem::take(&mut user.password);
    user.password = state
        .passwords()
        .hash(plain)
        .await
        .map_err(ApiError::internal)?;
    let token = state.token_keys().store(&TokenKeys::generate());
    match state.store().accounts().create_user(&user, &token).await {
        Ok(user) => Ok(user),
        Err(StoreError::UsernameTaken) => Err(ApiError::field("username", user_fields::TAKEN)),
        Err(e) => Err(e.into()),
    }
}

/// Store a new password for a user and, if the configuration says a password change does,
/// revoke its tokens — one transaction, so neither can happen without the other.
pub async fn set_password(
    state: &AppState,
    user_id: i64,
    password: String,
) -> Result<(), ApiError> {
    let encoded = state
        .passwords()
        .hash(password)
        .await
        .map_err(ApiError::internal)?;
    let revoke = crate::auth::jwt::revoke::password_change_revokes(state);
    state
        .store()
        .accounts()
        .change_password(user_id, &encoded, revoke)
        .await?;
    if revoke {
        tracing::info!(
            user = user_id,
            "password changed; revoked every token of the user"
        );
    }
    Ok(())
}
