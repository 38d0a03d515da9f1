//! 503, never 500, while the database is away. Next to the views, so that the answer carries
//! the headers of every layer above it (CORS, security) like any view's:
//!
//! - before `serve`'s startup migrations have run (the database was down at start) and during
//!   an outage, every request is answered at once with 503 and `Retry-After`, without waiting
//!   `limits.pool_wait_ms` for a connection that cannot be opened; all but the web app's pages,
//!   assets and settings, which read no database (the app loads and shows the API's 503), and
//!   the operations endpoints (`/healthz`, `/readyz`, `/metrics`), which report on it;
//! - a view that met an unreachable database starts an outage (`Store::note_outage`: logged
//!   once, watched until the database is back);
//! - a view whose pool timed out asks whether the database is reachable at all: sqlx's pool
//!   retries refused connections until its deadline, so a pool timeout is how most requests
//!   meet a database that is down. If it is, the answer is the outage's, not "busy".

use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;
use super::error::{StoreFailure, UNAVAILABLE, UNAVAILABLE_RETRY_SECS};
use crate::state::AppState;

/// The view's response, or the outage's 503 in its place.
pub(crate) async fn around(state: &AppState, request: Request, next: Next) -> Response {
    let store = state.store();
    if !store.availability().serves() && !passes_through(state, request.uri().path()) {
        return unavailable();
    }
    let response = next.run(request).await;
    match response.extensions().get::<StoreFailure>() {
        Some(StoreFailure::Unavailable) => {
            store.note_outage("a request met an unreachable database");
            response
        }
        Some(StoreFailure::Busy) if store.unreachable().await => {
            store.note_outage("no connection to the database could be opened");
            as_outage(response)
        }
        _ => response,
    }
}

/// The web app reads no database, and the operations endpoints report on it themselves.
fn passes_through(state: &AppState, path: &str) -> bool {
    crate::web::reads_no_database(path) || state.config().operations.serves(path)
}

fn unavailable() -> Response {
    ApiError::Unavailable(UNAVAILABLE, UNAVAILABLE_RETRY_SECS).into_response()
}

/// The outage's answer in place of a "busy" one, keeping the headers the view added (`Allow`,
/// `Vary`) but not those of the body it replaces.
fn as_outage(busy: Response) -> Response {
    let mut response = unavailable();
    for (name, value) in busy.headers() {
        let replaced = [
            header::CONTENT_LENGTH,
            header::CONTENT_TYPE,
            header::RETRY_AFTER,
        ];
        if !replaced.contains(name) && !response.headers().contains_key(name) {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
    response
}
