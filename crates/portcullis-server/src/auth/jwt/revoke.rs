//! Revoking every token of a user at once, which simplejwt cannot do (its access tokens are
//! never looked up, and its blacklist holds refresh tokens one by one). Each user has an epoch,
//! written into the tokens issued to it once it is not 0; a token whose epoch is not the user's
//! current one is refused on every use. Bumping the epoch therefore revokes every access and
//! refresh token issued before, on every instance sharing the database, at the cost of no
//! lookup beyond the user row that authentication reads anyway.
//!
//! The epoch is bumped by `POST /auth/logout_all/`, by a password change when
//! `jwt.revoke_on_password_change` is set, and by the database itself when a user is
//! deactivated (a trigger, so that every path that deactivates — including Django's admin on a
//! shared database — revokes).

use crate::state::AppState;
use crate::store::StoreError;
use crate::store::admin::RefreshTokenRecord;

/// Revoke every JWT of the user (new epoch) and delete its DRF token, in one transaction.
pub(crate) async fn revoke_all(state: &AppState, user_id: i64) -> Result<(), StoreError> {
    let epoch = state
        .store()
        .tokens()
        .revoke_sessions(user_id, false)
        .await?;
    tracing::info!(user = user_id, epoch, "revoked every token of the user");
    Ok(())
}

/// [`revoke_all`], and the user's recorded refresh tokens blacklisted too, so that the
/// console's sessions list shows them as ended (the admin API's revocation).
pub(crate) async fn revoke_everything(state: &AppState, user_id: i64) -> Result<(), StoreError> {
    let epoch = state
        .store()
        .tokens()
        .revoke_sessions(user_id, true)
        .await?;
    tracing::info!(user = user_id, epoch, "revoked every token of the user");
    Ok(())
}

/// Whether a password change, by the user or an administrator, revokes the user's tokens
/// (the store makes the change and the revocation in one transaction).
pub(crate) fn password_change_revokes(state: &AppState) -> bool {
    state.jwt().config().revoke_on_password_change
}

/// The user's recorded refresh tokens that have not expired yet (for the console's sessions
/// list: the admin reads JWT state only through here).
pub(crate) async fn live_refresh_tokens(
    state: &AppState,
    user_id: i64,
) -> Result<Vec<RefreshTokenRecord>, StoreError> {
    state
        .store()
        .tokens()
        .jwt_live_refresh_tokens(user_id, super::now())
        .await
}
