//! The panic guard: a panic while handling a request is logged and answered as DRF's generic
//! 500 (`{"detail": "A server error occurred."}`), instead of unwinding into the connection's
//! task, which would drop the connection without an answer. Checked conversions of request
//! data are the first line; this only keeps a missed one from costing the client its
//! connection.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::task::Poll;

use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};

use crate::http::ApiError;

/// `future`'s response, or the 500 if polling it panicked. `method` and `uri` name the request
/// in the log line.
pub(super) async fn guard<F>(method: &Method, uri: &Uri, future: F) -> Response
where
    F: Future<Output = Response>,
{
    let mut inner = std::pin::pin!(future);
    // The future is dropped once it has panicked and never polled again, so nothing can
    // observe state that the panic left half-updated through it.
    let outcome = std::future::poll_fn(|cx| {
        match catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll(cx))) {
            Ok(Poll::Ready(response)) => Poll::Ready(Ok(response)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(payload)),
        }
    })
    .await;
    outcome.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|m| (*m).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a non-text panic payload".into());
        let path = uri.path();
        ApiError::internal(anyhow::anyhow!("panic in {method} {path}: {message}")).into_response()
    })
}
