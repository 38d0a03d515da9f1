//! The deadlines of a request that can still be answered in DRF's shape: the whole request
//! (`limits.request_timeout_secs`, 503 with `Retry-After`) and its body
//! (`limits.body_read_timeout_secs`, 408, read in the view dispatcher). The header deadline and
//! the connection cap live in `server`, below HTTP.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;
use super::error::TOO_LONG;

/// Answer 503 when the inner service has not answered within `timeout`. The work in progress
/// is dropped with the request; a password hash already started finishes on its worker.
pub async fn request_deadline(
    State(timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    within(timeout, next.run(request)).await
}

/// `response`, or the 503 when it is not ready within `timeout`.
pub(crate) async fn within(
    timeout: Duration,
    response: impl Future<Output = Response>,
) -> Response {
    match tokio::time::timeout(timeout, response).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?timeout, "request ran past its deadline");
            ApiError::Unavailable(TOO_LONG, 1).into_response()
        }
    }
}
