//! simplejwt's `JWTAuthentication`: `Authorization: Bearer <access token>` on every DRF view
//! (`Bearer` or the other keywords of `AUTH_HEADER_TYPES`). The keyword is compared exactly
//! (`bearer` is not it: the header is then no JWT at all and the request is anonymous, as
//! simplejwt has it), and the token must be an access token whose user exists, is active and has
//! not revoked it.

use axum::http::{HeaderMap, header};

use super::JwtConfig;
use super::errors::{self, TokenError};
use super::tokens::{self, TokenKind, TokenUser};
use crate::auth::AuthError;
use crate::auth::{Credential, Principal};
use crate::state::AppState;

/// The raw token of a `Bearer` header; `None` when there is no such header.
pub(crate) fn bearer_token(
    config: &JwtConfig,
    headers: &HeaderMap,
) -> Result<Option<Vec<u8>>, AuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    // Python's bytes.split(): runs of ASCII whitespace.
    let parts: Vec<&[u8]> = value
        .as_bytes()
        .split(|b| b" \t\n\r\x0b\x0c".contains(b))
        .filter(|p| !p.is_empty())
        .collect();
    let types = &config.auth_header_types;
    match parts.first() {
        Some(keyword) if types.iter().any(|t| t.as_bytes() == *keyword) => {}
        _ => return Ok(None),
    }
    match parts.as_slice() {
        [_, token] => Ok(Some(token.to_vec())),
        _ => Err(errors::bad_authorization_header()),
    }
}

/// `JWTAuthentication.authenticate`: `Ok(None)` when the request carries no `Bearer` header.
pub(crate) async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Principal>, AuthError> {
    let Some(raw) = bearer_token(state.jwt().config(), headers)? else {
        return Ok(None);
    };
    let now = super::now();
    let token =
        tokens::validate(state, &raw, TokenKind::Access, now, TokenError::on_bearer).await?;
    let user = match tokens::token_user(state, &token.claims).await? {
        TokenUser::Active(user) => user,
        TokenUser::NoClaim => return Err(errors::no_user_claim()),
        TokenUser::NotFound => return Err(errors::user_not_found()),
        TokenUser::Inactive => return Err(errors::user_inactive()),
        // An access token cannot be blacklisted in simplejwt; one revoked by the epoch is
        // answered as a blacklisted token would be, so clients treat it as any dead token.
        TokenUser::Revoked => return Err(TokenError::Blacklisted.on_bearer()),
    };
    Ok(Some(Principal {
        user,
        credential: Credential::Jwt { jti: token.jti },
    }))
}
