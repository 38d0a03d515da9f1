//! `AuthError`: how authentication fails, in the terms DRF and simplejwt answer with, without
//! knowing about HTTP responses. `http::error` maps it into `ApiError` once, so `auth` does not
//! depend on `http`.

use serde_json::Value;

use crate::store::StoreError;

#[derive(Debug)]
pub(crate) enum AuthError {
    /// DRF's `AuthenticationFailed` with its detail ("Invalid token.", ...).
    Failed(&'static str),
    /// A failure with a body of its own: simplejwt's `{"detail", "code"}` and
    /// `{"detail", "code", "messages"}`.
    FailedWith(Value),
    /// A refusal simplejwt answers as a validation error (400), such as verify's "Token is
    /// blacklisted".
    Refused(Value),
    /// The store failed.
    Store(StoreError),
    /// Anything unexpected (a key that cannot sign): logged, answered with a generic 500.
    Internal(anyhow::Error),
}

impl From<StoreError> for AuthError {
    fn from(err: StoreError) -> Self {
        AuthError::Store(err)
    }
}

impl AuthError {
    pub(crate) fn internal(err: impl Into<anyhow::Error>) -> Self {
        AuthError::Internal(err.into())
    }
}
