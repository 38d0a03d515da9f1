//! `ApiError`: every request-level failure, rendered in DRF's shapes (`{"detail": ...}` for
//! request errors, the field map for validation errors). The view dispatcher adds the headers DRF
//! adds to every view response (`Allow`, `Vary`, `WWW-Authenticate`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::json::json_response;

/// A failed request, as DRF's exception handler would answer it.
#[derive(Debug)]
pub enum ApiError {
    /// DRF `NotAuthenticated`.
    NotAuthenticated,
    /// DRF `AuthenticationFailed` with its detail ("Invalid token.", ...).
    AuthenticationFailed(&'static str),
    /// An authentication failure with a body of its own: simplejwt's `{"detail", "code"}` and
    /// `{"detail", "code", "messages"}` (401, or 403 where DRF turns 401s into 403s).
    AuthenticationFailedWith(Value),
    /// DRF `PermissionDenied` with the default detail.
    PermissionDenied,
    /// DRF `NotFound` / Django `Http404` with a detail.
    NotFound(String),
    /// DRF `MethodNotAllowed`.
    MethodNotAllowed(String),
    /// DRF `NotAcceptable`.
    NotAcceptable,
    /// DRF `UnsupportedMediaType` for the request's media type as sent.
    UnsupportedMediaType(String),
    /// DRF `ParseError` with its detail ("JSON parse error - ...").
    ParseError(String),
    /// A serializer's `ValidationError`: the body is the error map or list as DRF renders it.
    Validation(Value),
    /// The write conflicts with other rows (a protected reference).
    Conflict(String),
    /// The body is larger than `max_body_bytes`.
    PayloadTooLarge,
    /// DRF `Throttled`: seconds until a retry can succeed.
    Throttled(u64),
    /// The client did not send its request (its body) within the time allowed.
    RequestTimeout,
    /// The server cannot answer now (saturated, or the request ran past its time limit): a
    /// detail and the seconds after which a retry may succeed (`Retry-After`).
    Unavailable(&'static str, u64),
    /// Anything unexpected: logged, answered with a generic 500.
    Internal(anyhow::Error),
}

impl ApiError {
    pub(crate) fn not_found() -> Self {
        ApiError::NotFound("Not found.".into())
    }

    /// `{"field": ["message"]}`, the shape of a single field error.
    pub(crate) fn field(field: &str, message: &str) -> Self {
        ApiError::Validation(json!({ field: [message] }))
    }

    /// `{"non_field_errors": ["message"]}`.
    pub(crate) fn non_field(message: &str) -> Self {
        ApiError::field("non_field_errors", message)
    }

    pub(crate) fn internal(err: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(err.into())
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::NotAuthenticated
            | ApiError::AuthenticationFailed(_)
            | ApiError::AuthenticationFailedWith(_) => StatusCode::UNAUTHORIZED,
            ApiError::PermissionDenied => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::ParseError(_) | ApiError::Validation(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Unavailable(..) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// True for the two errors DRF turns into a 403 when the view has no authenticator that
    /// could send a `WWW-Authenticate` challenge.
    pub(crate) fn is_authentication_error(&self) -> bool {
        matches!(
            self,
            ApiError::NotAuthenticated
                | ApiError::AuthenticationFailed(_)
                | ApiError::AuthenticationFailedWith(_)
        )
    }

    fn body(&self) -> Value {
        let detail = |d: &str| json!({ "detail": d });
        match self {
            ApiError::NotAuthenticated => detail("Authentication credentials were not provided."),
            ApiError::AuthenticationFailed(d) => detail(d),
            ApiError::PermissionDenied => {
                detail("You do not have permission to perform this action.")
            }
            ApiError::NotFound(d) | ApiError::ParseError(d) | ApiError::Conflict(d) => detail(d),
            ApiError::MethodNotAllowed(m) => detail(&format!("Method \"{m}\" not allowed.")),
            ApiError::NotAcceptable => detail("Could not satisfy the request Accept header."),
            ApiError::UnsupportedMediaType(t) => {
                detail(&format!("Unsupported media type \"{t}\" in request."))
            }
            ApiError::Validation(v) | ApiError::AuthenticationFailedWith(v) => v.clone(),
            ApiError::PayloadTooLarge => detail("Request body is too large."),
            ApiError::Throttled(wait) => detail(&format!(
                "Request was throttled. Expected available in {wait} second{}.",
                if *wait == 1 { "" } else { "s" }
            )),
            ApiError::RequestTimeout => detail("The request was not received in time."),
            ApiError::Unavailable(d, _) => detail(d),
            ApiError::Internal(_) => detail("A server error occurred."),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(err) = &self {
            tracing::error!(error = %err, "internal error");
        }
        let mut response = json_response(self.status(), &self.body());
        // Marked for `http::outage`, which tells the database's absence from saturation.
        match &self {
            ApiError::Unavailable(BUSY, _) => {
                response.extensions_mut().insert(StoreFailure::Busy);
            }
            ApiError::Unavailable(UNAVAILABLE, _) => {
                response.extensions_mut().insert(StoreFailure::Unavailable);
            }
            _ => {}
        }
        let retry_after = match self {
            ApiError::Throttled(wait) | ApiError::Unavailable(_, wait) => Some(wait),
            _ => None,
        };
        if let Some(wait) = retry_after
            && let Ok(value) = HeaderValue::from_str(&wait.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// Authentication failures as DRF and simplejwt answer them.
impl From<crate::auth::AuthError> for ApiError {
    fn from(err: crate::auth::AuthError) -> Self {
        use crate::auth::AuthError;
        match err {
            AuthError::Failed(detail) => ApiError::AuthenticationFailed(detail),
            AuthError::FailedWith(body) => ApiError::AuthenticationFailedWith(body),
            AuthError::Refused(body) => ApiError::Validation(body),
            AuthError::Store(err) => err.into(),
            AuthError::Internal(err) => ApiError::Internal(err),
        }
    }
}

/// Every store failure, mapped here once: no variant falls through to a 500 unseen. Callers
/// that know better for a conflict (which field holds the taken name) match it before `?`.
impl From<crate::store::StoreError> for ApiError {
    fn from(err: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match err {
            StoreError::UsernameTaken => {
                ApiError::field("username", crate::accounts::user_fields::TAKEN)
            }
            StoreError::Conflict(why) => {
                // A unique or reference constraint the validation could not see coming (a
                // concurrent write): the client can reload and retry. The database's own
                // message names tables and columns, so it goes to the log only.
                tracing::info!(%why, "write refused by a constraint");
                ApiError::Conflict(CONFLICT.into())
            }
            StoreError::Busy => ApiError::Unavailable(BUSY, 1),
            StoreError::Interrupted => ApiError::Unavailable(TOO_LONG, 1),
            // Logged once per outage by `http::outage`, not once per request here.
            StoreError::Unavailable(_) | StoreError::MigrationLocked(_) => {
                ApiError::Unavailable(UNAVAILABLE, UNAVAILABLE_RETRY_SECS)
            }
            StoreError::Database(err) => ApiError::Internal(err.into()),
        }
    }
}

/// The answer to a write a constraint refused.
pub(crate) const CONFLICT: &str = "The row conflicts with other rows; reload and try again.";

/// The answer when every database connection stays busy past `limits.pool_wait_ms`.
pub(crate) const BUSY: &str = "The server is busy. Try again later.";
/// The answer while the database cannot be reached (down, restarting, not migrated yet).
pub(crate) const UNAVAILABLE: &str = "The service is temporarily unavailable. Try again later.";
/// `Retry-After` while the database is away: an outage's end is seen within a second, a
/// restart of the database takes a few.
pub(crate) const UNAVAILABLE_RETRY_SECS: u64 = 5;

/// Which store failure a 503 answers, for `http::outage` (a response extension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StoreFailure {
    /// No connection came free in time: saturation, or a database that refuses connections.
    Busy,
    /// The database cannot be reached.
    Unavailable,
}

/// The answer when a query or a request runs past its time limit.
pub(crate) const TOO_LONG: &str = "The request took too long to process.";
