//! Authentication: DRF token keys and their storage, the server secret, `Authorization` header
//! parsing with DRF's messages, JSON Web Tokens as simplejwt has them, and password hashing off
//! the async runtime.

pub(crate) mod classes;
mod error;
pub(crate) mod hashing_pool;
pub(crate) mod header;
#[cfg(test)]
mod header_props;
pub(crate) mod jwt;
pub(crate) mod knox;
pub mod secret;
pub(crate) mod token_key;

use axum::http::HeaderMap;

pub(crate) use error::AuthError;

use classes::AuthenticationClass;

use crate::state::AppState;
use crate::store::User;

/// How a request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Credential {
    /// `Authorization: Token <key>` (DRF's `TokenAuthentication`).
    Token,
    /// `Authorization: Bearer <access token>` (simplejwt's `JWTAuthentication`).
    Jwt {
        /// The access token's `jti`.
        jti: String,
    },
    /// `Authorization: Token <knox token>` (django-rest-knox's `TokenAuthentication`).
    Knox {
        /// The token's stored digest (which logout deletes).
        digest: String,
    },
}

impl Credential {
    /// The authentication class's name, for the request's log lines (never the secret).
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Credential::Token => "token",
            Credential::Jwt { .. } => "jwt",
            Credential::Knox { .. } => "knox",
        }
    }
}

/// The authenticated user of a request and the credential it used.
#[derive(Debug, Clone)]
pub(crate) struct Principal {
    pub(crate) user: User,
    pub(crate) credential: Credential,
}

/// DRF's `perform_authentication` with the configured authentication classes in their order
/// (the first that recognizes its keyword decides): `Ok(None)` is an anonymous request, `Err` a
/// request whose credentials were refused.
pub(crate) async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Principal>, AuthError> {
    authenticate_with(state, headers, &state.config().authentication_classes).await
}

/// [`authenticate`] with a view's own `authentication_classes` (knox's logout views name
/// knox's class alone).
pub(crate) async fn authenticate_with(
    state: &AppState,
    headers: &HeaderMap,
    classes: &[AuthenticationClass],
) -> Result<Option<Principal>, AuthError> {
    for class in classes {
        let found = match class {
            AuthenticationClass::Token => token_authenticate(state, headers).await?,
            AuthenticationClass::Jwt => jwt::authentication::authenticate(state, headers).await?,
            AuthenticationClass::Knox => knox::authenticate(state, headers).await?,
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// DRF's `TokenAuthentication`: `Ok(None)` when the header is no `Token` header.
async fn token_authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Principal>, AuthError> {
    let Some(key) = header::token_from_headers(headers)? else {
        return Ok(None);
    };
    let digest = state.token_keys().digest(&key);
    let Some(user) = state
        .store()
        .accounts()
        .user_by_token_digest(&digest)
        .await?
    else {
        return Err(AuthError::Failed("Invalid token."));
    };
    if !user.is_active {
        return Err(AuthError::Failed("User inactive or deleted."));
    }
    // The session's "last used": a memory lookup here, a write at most once a minute per
    // token, queued to the audit writer.
    state.audit().used("token", &digest);
    Ok(Some(Principal {
        user,
        credential: Credential::Token,
    }))
}
