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

/// Revoke every JWT of the user (new epoch) and delete its DRF token.
pub async fn revoke_all(state: &AppState, user_id: i64) -> Result<(), StoreError> {
    let epoch = state.store().jwt_bump_epoch(user_id).await?;
    state.store().token_delete(user_id).await?;
    tracing::info!(user = user_id, epoch, "revoked every token of the user");
    Ok(())
}

/// Called after a user's password was changed by the user or an administrator.
pub async fn after_password_change(state: &AppState, user_id: i64) -> Result<(), StoreError> {
    if state.jwt().config().revoke_on_password_change {
        revoke_all(state, user_id).await?;
    }
    Ok(())
}
