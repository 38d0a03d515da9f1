//! The operations endpoints (README "Operating Portcullis"): liveness at `/healthz`, readiness at
//! `/readyz`, Prometheus metrics at `/metrics`, each at the path `[operations]` names or not at
//! all. They are plain routes, not DRF views: no authentication, no throttling, no content
//! negotiation, and the outage guard lets them through (`/healthz` says the process is alive
//! while the database is down; `/readyz` says that the database is down).

mod access;
mod histogram;
mod metrics;
mod readiness;
mod render;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};

pub(crate) use metrics::LoginOutcome;
pub use metrics::Metrics;

use crate::http::routing::Routes;
use crate::state::AppState;

/// `/healthz`'s body: the process answers; nothing else is looked at.
const ALIVE: &str = r#"{"status":"ok"}"#;

/// The operations routes of the main listener.
pub(crate) fn routes(mut routes: Routes, state: &AppState) -> Routes {
    let config = &state.config().operations;
    if !config.healthz_path.is_empty() {
        routes = routes.route(&config.healthz_path, get(healthz));
    }
    if !config.readyz_path.is_empty() {
        routes = routes.route(&config.readyz_path, get(readyz));
    }
    if config.metrics_on_main() {
        routes = routes.route(&config.metrics_path, metrics_route(false));
    }
    routes
}

/// The application of `operations.metrics_addr`'s listener: the metrics alone, to any client
/// that reaches the address (and holds the token, when one is configured).
pub fn metrics_app(state: AppState) -> Router {
    let path = state.config().operations.metrics_path.clone();
    Router::new()
        .route(&path, metrics_route(true))
        .with_state(state)
}

fn json(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

async fn healthz() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        ALIVE,
    )
        .into_response()
}

async fn readyz(State(state): State<AppState>) -> Response {
    match readiness::check(&state).await {
        Ok(body) => json(StatusCode::OK, body.to_string()),
        Err(body) => {
            let mut response = json(StatusCode::SERVICE_UNAVAILABLE, body.to_string());
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
    }
}

/// `/metrics`, for the main listener (`own_listener` false: loopback clients and token bearers
/// only) or for the metrics listener.
fn metrics_route(own_listener: bool) -> MethodRouter<AppState> {
    get(
        move |State(state): State<AppState>, request: Request| async move {
            let config = &state.config().operations;
            if !access::check(config, own_listener, &request) {
                return access::denied();
            }
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(render::CONTENT_TYPE),
                )],
                render::render(&state),
            )
                .into_response()
        },
    )
}
