//! simplejwt's failures with its exact messages, and the response bodies it wraps them in:
//! `{"detail", "code"}` on its token views, `{"detail", "code", "messages"}` when a `Bearer`
//! header fails on any other view.

use serde_json::json;

use crate::auth::AuthError;

/// simplejwt's `TokenError`: why a token is refused, in simplejwt's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenError {
    /// Malformed, badly signed, wrong algorithm or header, a bad or future `iat`/`nbf`, wrong
    /// `aud`/`iss`: PyJWT's `InvalidTokenError`, which simplejwt does not tell apart.
    Invalid,
    /// `exp` has passed (PyJWT's `ExpiredSignatureError`).
    Expired,
    NoExp,
    NoId,
    NoType,
    WrongType,
    /// Blacklisted by `jti`, or issued before the user's revocation epoch.
    Blacklisted,
}

impl TokenError {
    pub(crate) fn message(self) -> &'static str {
        match self {
            TokenError::Invalid => "Token is invalid",
            TokenError::Expired => "Token is expired",
            TokenError::NoExp => "Token has no 'exp' claim",
            TokenError::NoId => "Token has no id",
            TokenError::NoType => "Token has no type",
            TokenError::WrongType => "Token has wrong type",
            TokenError::Blacklisted => "Token is blacklisted",
        }
    }

    /// simplejwt's `InvalidToken(message)` on its token views (401).
    pub(crate) fn on_token_view(self) -> AuthError {
        AuthError::FailedWith(json!({
            "detail": self.message(),
            "code": "token_not_valid",
        }))
    }

    /// `JWTAuthentication.get_validated_token`'s failure: one message per token class tried
    /// (`AUTH_TOKEN_CLASSES` is `AccessToken` only).
    pub(crate) fn on_bearer(self) -> AuthError {
        AuthError::FailedWith(json!({
            "detail": "Given token not valid for any token type",
            "code": "token_not_valid",
            "messages": [{
                "token_class": "AccessToken",
                "token_type": "access",
                "message": self.message(),
            }],
        }))
    }
}

fn coded(detail: &str, code: &str) -> AuthError {
    AuthError::FailedWith(json!({ "detail": detail, "code": code }))
}

/// No usable user id claim (`InvalidToken` in simplejwt; a non-numeric id is a 500 there).
pub(crate) fn no_user_claim() -> AuthError {
    coded(
        "Token contained no recognizable user identification",
        "token_not_valid",
    )
}

/// The token's user does not exist (any more).
pub(crate) fn user_not_found() -> AuthError {
    coded("User not found", "user_not_found")
}

/// The token's user is inactive.
pub(crate) fn user_inactive() -> AuthError {
    coded("User is inactive", "user_inactive")
}

/// `Authorization: Bearer` with no token, or with more than one word after it.
pub(crate) fn bad_authorization_header() -> AuthError {
    coded(
        "Authorization header must contain two space-delimited values",
        "bad_authorization_header",
    )
}

/// The refresh serializer's `no_active_account` (a plain DRF `AuthenticationFailed`). Also the
/// answer for a deleted user, where simplejwt crashes with a 500 (`User.DoesNotExist`).
pub(crate) fn no_active_account_for_token() -> AuthError {
    AuthError::Failed("No active account found for the given token.")
}

/// The obtain serializer's `no_active_account`.
pub(crate) fn no_active_account() -> AuthError {
    AuthError::Failed("No active account found with the given credentials")
}

/// The verify serializer's blacklist answer: a validation error (400), as simplejwt has it.
pub(crate) fn verify_blacklisted() -> AuthError {
    AuthError::Refused(json!({ "non_field_errors": [TokenError::Blacklisted.message()] }))
}
