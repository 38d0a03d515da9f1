//! The Django middleware stack the peers' clients observe, as ONE layer that runs the oracle's
//! `MIDDLEWARE` in its order, outermost first:
//!
//! 1. the request span and `X-Request-Id` ([`super::request_id`]), around everything, so that
//!    every answer (a panic's 500 too) carries the id and every log line the request causes is
//!    tied to it; the request's metrics ([`crate::operations`]) and its access log line;
//! 2. the outer panic guard ([`panic`]), for a panic in these steps themselves;
//! 3. `CorsMiddleware` ([`super::cors`]): a preflight is answered here, so it gets no security
//!    headers; every other response under the URL regex is decorated last;
//! 4. `SecurityMiddleware` ([`headers::security`]);
//! 5. `CommonMiddleware` ([`common`]): the allowed-hosts check and the query-string field cap
//!    answer before anything below, so those 400s get no `X-Frame-Options`; APPEND_SLASH
//!    replaces an unmatched URL's 404 by its redirect after the inner steps, so neither does it;
//! 6. `XFrameOptionsMiddleware` ([`headers::x_frame_options`]);
//! 7. the request deadline ([`super::limits`]), whose 503 is a response like a view's;
//! 8. the inner panic guard, next to the views, so that a view's panic becomes a 500 that gets
//!    the headers of every step above, as Django turns a view's exception into a response
//!    inside its middleware;
//! 9. the outage guard ([`super::outage`]): 503 while the database is away;
//!
//! then the view. One layer rather than one per step because every `from_fn` layer clones the
//! service below it and boxes a future for every request; the steps stay separate functions.

mod common;
pub(crate) mod headers;
mod panic;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, Uri};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use tracing::Instrument;

pub(crate) use headers::add_vary;

use super::routing::RouteTable;
use super::{cors, limits, outage, request_id};
use crate::state::AppState;

/// What the steps read, shared by every route's copy of the layer.
#[derive(Clone)]
struct Stack(Arc<Parts>);

struct Parts {
    state: AppState,
    table: RouteTable,
    deadline: Duration,
}

/// Wrap the routes in the middleware stack.
pub fn wrap(routes: Router<AppState>, table: RouteTable, state: AppState) -> Router {
    let deadline = Duration::from_secs(state.config().limits.request_timeout_secs);
    let stack = Stack(Arc::new(Parts {
        state: state.clone(),
        table,
        deadline,
    }));
    routes
        .layer(from_fn_with_state(stack, django))
        .with_state(state)
}

/// The last line of defence as a layer of its own, for routers built without [`wrap`]: a panic
/// while handling a request is logged and answered as DRF's generic 500
/// (`{"detail": "A server error occurred."}`) instead of dropping the connection.
pub async fn catch_panic(request: Request, next: Next) -> Response {
    let (method, uri) = (request.method().clone(), request.uri().clone());
    panic::guard(&method, &uri, next.run(request)).await
}

/// Steps 1 and 2, and the request's metrics and access log line.
async fn django(State(stack): State<Stack>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id::incoming_or_new(&request);
    let span = request_id::span(&id, &request);
    let matched = request.extensions().get::<MatchedPath>();
    let route = stack
        .0
        .state
        .metrics()
        .route(matched.map(MatchedPath::as_str));
    // Kept for the panic guards' log line and for APPEND_SLASH's redirect, once the request
    // has moved on to the view.
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let mut response = panic::guard(
        &method,
        &uri,
        cors_and_below(&stack, &method, &uri, request, next),
    )
    .instrument(span.clone())
    .await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    if let Some(route) = route {
        route.record(status, elapsed);
    }
    request_id::access_log(&span, status, elapsed);
    request_id::stamp(&mut response, id);
    response
}

/// Steps 3 and 4.
async fn cors_and_below(
    stack: &Stack,
    method: &Method,
    uri: &Uri,
    request: Request,
    next: Next,
) -> Response {
    let policy = stack.0.state.cors();
    let cors = policy.inspect(&request);
    let mut response = match &cors {
        Some(c) if c.is_preflight() => cors::preflight(),
        _ => {
            let mut response = common_and_below(stack, method, uri, request, next).await;
            headers::security(&mut response);
            response
        }
    };
    if let Some(c) = &cors {
        policy.decorate(c, &mut response);
    }
    response
}

/// Steps 5 to 9.
async fn common_and_below(
    stack: &Stack,
    method: &Method,
    uri: &Uri,
    request: Request,
    next: Next,
) -> Response {
    let parts = &stack.0;
    if let Some(refused) = common::refuse(&parts.state, &request) {
        return refused;
    }
    let view = outage::around(&parts.state, request, next);
    let mut response = limits::within(parts.deadline, panic::guard(method, uri, view)).await;
    headers::x_frame_options(&mut response);
    common::append_slash(&parts.table, uri, response)
}
