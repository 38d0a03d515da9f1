//! Checking a username and password (Django's `ModelBackend.authenticate`) and handing out the
//! user's DRF token (`Token.objects.get_or_create`).

use portcullis_passwords::Verification;

use crate::http::ApiError;
use crate::http::ApiRequest;
use crate::operations::LoginOutcome;
use crate::serializer::{CharField, Errors, root_object};
use crate::state::AppState;
use crate::store::User;

/// The active user with these credentials, or `None`. Unknown users cost one dummy hash and
/// inactive users a real one, so neither answer nor timing tells them apart from a wrong
/// password. A correct password stored under an older hasher is re-hashed with the current one.
pub(crate) async fn authenticate(
    state: &AppState,
    username: &str,
    password: &str,
) -> Result<Option<User>, ApiError> {
    let throttles = state.throttles();
    let metrics = state.metrics();
    if let Err(refused) = throttles.check_login_failures(username).await {
        metrics.login(LoginOutcome::Throttled);
        return Err(refused);
    }
    let user = match super::login_identity::find_for_login(state, username).await? {
        None => {
            state
                .passwords()
                .dummy_verify(password.to_string())
                .await
                .map_err(ApiError::internal)?;
            None
        }
        Some(user) => check_password(state, &user, password)
            .await?
            .then_some(user),
    };
    let outcome = match &user {
        Some(user) if user.is_active => LoginOutcome::Success,
        Some(_) => LoginOutcome::Inactive,
        None => LoginOutcome::BadCredentials,
    };
    metrics.login(outcome);
    match user {
        Some(user) if user.is_active => Ok(Some(user)),
        // Unknown user, wrong password, inactive user: one failure for the account, and one
        // answer. A success resets nothing, so guessing between failures gains no attempts.
        _ => {
            throttles.record_login_failure(username).await;
            Ok(None)
        }
    }
}

/// A signed-in user's `current_password` (djoser's set_password, set_username, delete): a
/// guess at the password as a login is, so it counts toward the account's failed-login limit,
/// and an account over its limit is refused with the login's 429 before any hash is spent.
pub(crate) async fn check_current_password(
    state: &AppState,
    user: &User,
    password: &str,
) -> Result<bool, ApiError> {
    let throttles = state.throttles();
    throttles.check_login_failures(&user.username).await?;
    let valid = check_password(state, user, password).await?;
    if !valid {
        throttles.record_login_failure(&user.username).await;
    }
    Ok(valid)
}

/// Django's `User.check_password`, with its upgrade of outdated hashes. The upgrade replaces
/// only the hash that was verified: if the password changed since `user` was read, the new
/// password stays (the upgrade is lost, which costs nothing but a later re-hash).
pub async fn check_password(
    state: &AppState,
    user: &User,
    password: &str,
) -> Result<bool, ApiError> {
    let verdict = state
        .passwords()
        .verify(password.to_string(), user.password.clone())
        .await
        .map_err(ApiError::internal)?;
    match verdict {
        Verification::Invalid => Ok(false),
        Verification::Valid { needs_upgrade } => {
            if needs_upgrade {
                let encoded = state
                    .passwords()
                    .hash(password.to_string())
                    .await
                    .map_err(ApiError::internal)?;
                let upgraded = state
                    .store()
                    .accounts()
                    .upgrade_password(user.id, &user.password, &encoded)
                    .await?;
                if !upgraded {
                    tracing::info!(
                        user = user.id,
                        "password changed during a login; its hash upgrade was dropped"
                    );
                }
            }
            Ok(true)
        }
    }
}

/// The user's token key, created if the user has none (after a logout), and whether it was
/// created now (the audit log records creations).
pub(crate) async fn issue_token(state: &AppState, user: &User) -> Result<(String, bool), ApiError> {
    let keys = state.token_keys();
    let candidate = crate::auth::token_key::TokenKeys::generate();
    let fresh = keys.store(&candidate);
    let stored = state
        .store()
        .tokens()
        .token_get_or_create(user.id, &fresh)
        .await?;
    if let Some(key) = keys.unseal(&stored) {
        return Ok((key, stored.digest == fresh.digest));
    }
    // Sealed under another server secret (changed, or regenerated when its file went missing):
    // that key cannot authenticate any more, since lookups use digests under the current secret.
    // Replace it, as a logout followed by a login would, rather than fail every login.
    tracing::warn!(
        user = user.id,
        "replacing a token sealed under another server secret"
    );
    state
        .store()
        .tokens()
        .token_replace(user.id, &fresh)
        .await?;
    Ok((candidate, true))
}

/// The name and `password` fields of a login body (DRF's `AuthTokenSerializer` reads
/// `username`, simplejwt's `TokenObtainSerializer` the model's `USERNAME_FIELD`, given as
/// `key`): both required, the name trimmed, the password exactly as sent (simplejwt trims it;
/// Portcullis never does). Field errors are DRF's.
pub(crate) fn login_fields(
    req: &ApiRequest,
    key: &str,
) -> Result<(Option<String>, Option<String>), ApiError> {
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    let username = errors.take(key, CharField::default().validate(data, key, false));
    let password_field = CharField {
        trim_whitespace: false,
        ..CharField::default()
    };
    let password = errors.take("password", password_field.validate(data, "password", false));
    errors.check()?;
    Ok((
        username.and_then(|u| u.into_option()),
        password.and_then(|p| p.into_option()),
    ))
}
