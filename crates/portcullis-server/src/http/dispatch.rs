//! DRF's `APIView.dispatch` as one function. An [`Endpoint`] declares its methods, renderers,
//! parsers, authentication, permission and throttles; `dispatch` runs DRF's steps in DRF's order — content negotiation, then
//! authentication, permissions and throttles, then the method handler (405 only after the
//! permission check) — and finalizes every response, errors included, with the `Allow` and
//! `Vary` headers DRF adds.
//!
//! This replaces per-handler axum extractors on purpose: DRF's observable behaviour depends on
//! the order of these steps (a bad token is a 401 even on an open endpoint, a 401 comes before a
//! 405, a 406 before a 401), so one place runs them in that order.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, RawPathParams, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any};
use http_body_util::{BodyExt, Limited};
use serde_json::{Map, Value, json};

use super::endpoint::{Authentication, Endpoint};
use super::json::json_response;
use super::request::{BodyBytes, latin1};
use super::{ApiError, ApiRequest, camel_case, negotiation};
use crate::auth;
use crate::auth::classes::AuthenticationClass;
use crate::state::AppState;

/// The axum route for an endpoint, with `extra` path parameters added to the captured ones (a
/// format suffix fixed by the pattern: `/api/notes.json`).
pub(crate) fn route(
    endpoint: Arc<Endpoint>,
    extra: &[(&'static str, &'static str)],
) -> MethodRouter<AppState> {
    let extra: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    any(
        move |State(state): State<AppState>,
              params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
              request: Request| {
            let endpoint = Arc::clone(&endpoint);
            let mut params: Vec<(String, String)> = params
                .map(|p| {
                    p.iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            params.extend(extra.iter().cloned());
            async move { dispatch(endpoint.as_ref(), state, request, params).await }
        },
    )
}

/// DRF's `APIView.dispatch`.
pub(crate) async fn dispatch(
    endpoint: &Endpoint,
    state: AppState,
    request: Request,
    params: Vec<(String, String)>,
) -> Response {
    let (parts, body) = request.into_parts();
    let client = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let body_timeout = Duration::from_secs(state.config().limits.body_read_timeout_secs);
    let reading = Limited::new(body, state.config().max_body_bytes).collect();
    let body = match tokio::time::timeout(body_timeout, reading).await {
        Ok(Ok(collected)) => BodyBytes::Read(collected.to_bytes()),
        Ok(Err(_)) => BodyBytes::TooLarge,
        // A body that trickles in holds a task and its buffer: answer now, whatever the view,
        // and close (the rest of the body is never read).
        Err(_) => {
            let mut response = ApiError::RequestTimeout.into_response();
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return response;
        }
    };
    let is_head = parts.method == Method::HEAD;
    let req = ApiRequest {
        state: state.clone(),
        method: if is_head {
            Method::GET
        } else {
            parts.method.clone()
        },
        uri: parts.uri,
        headers: parts.headers,
        params,
        client,
        mount_scope: endpoint.scope.clone(),
        principal: None,
        body,
        parses: endpoint.parses,
        query_pairs: std::sync::OnceLock::new(),
    };
    let state = req.state.clone();
    let mut response = match run(endpoint, req).await {
        Ok(response) => response,
        Err(err) if err.is_authentication_error() => {
            // The challenge is only worked out for a 401, not on every request.
            let challenge = endpoint.authentication.challenge(state.config());
            let mut response = err.into_response();
            match challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
                Some(value) => {
                    response
                        .headers_mut()
                        .insert(header::WWW_AUTHENTICATE, value);
                }
                // DRF: no authenticator can issue a challenge, so the 401 becomes a 403.
                None => *response.status_mut() = StatusCode::FORBIDDEN,
            }
            response
        }
        Err(err) => err.into_response(),
    };
    if endpoint.camelizes(&state) {
        response = camel_case::camelize_response(response, &state.config().camel_case).await;
    }
    finalize(endpoint, &state, &mut response);
    if is_head {
        *response.body_mut() = Body::empty();
    }
    response
}

async fn run(endpoint: &Endpoint, mut req: ApiRequest) -> Result<Response, ApiError> {
    let format = req
        .param("format")
        .map(str::to_string)
        .or_else(|| req.query("format"));
    let accept = req
        .headers
        .get(header::ACCEPT)
        .map(|v| latin1(v.as_bytes()));
    let renderers = endpoint.renderers(&req.state);
    negotiation::negotiate(format.as_deref(), accept.as_deref(), renderers)?;
    if endpoint.authentication.reads_credentials() {
        req.principal = match endpoint.authentication {
            Authentication::Knox => {
                let knox = [AuthenticationClass::Knox];
                auth::authenticate_with(&req.state, &req.headers, &knox).await?
            }
            _ => auth::authenticate(&req.state, &req.headers).await?,
        };
        if let Some(principal) = &req.principal {
            super::request_id::record_principal(principal);
        }
    }
    endpoint.permission.check(&req).await?;
    let throttles = req.state.throttles();
    let plan = throttles.plan(endpoint.throttle, req.mount_scope.as_ref());
    throttles
        .check(&plan, &req.headers, req.client, req.user().map(|u| u.id))
        .await?;
    if req.method == Method::OPTIONS {
        let actions = endpoint.actions.for_request(&req).await;
        return Ok(options_metadata(endpoint, &req, actions));
    }
    if !endpoint.methods.contains(&req.method) {
        return Err(ApiError::MethodNotAllowed(req.method.as_str().to_string()));
    }
    endpoint.handle(req).await
}

/// DRF's `SimpleMetadata` body for OPTIONS.
fn options_metadata(endpoint: &Endpoint, req: &ApiRequest, actions: Option<Value>) -> Response {
    let mut body = Map::new();
    body.insert("name".into(), json!(endpoint.name));
    body.insert("description".into(), json!(endpoint.description));
    let renders: Vec<&str> = endpoint
        .renderers(&req.state)
        .iter()
        .map(|r| r.format_and_media_type().1)
        .collect();
    body.insert("renders".into(), json!(renders));
    body.insert("parses".into(), json!(req.parses()));
    if let Some(actions) = actions {
        body.insert("actions".into(), actions);
    }
    json_response(StatusCode::OK, &Value::Object(body))
}

/// DRF's `finalize_response`: `Allow` on every response of the view, `Vary: Accept` when the
/// view has more than one renderer.
fn finalize(endpoint: &Endpoint, state: &AppState, response: &mut Response) {
    let headers = response.headers_mut();
    if let Ok(allow) = HeaderValue::from_str(&endpoint.allow_header()) {
        headers.insert(header::ALLOW, allow);
    }
    if endpoint.renderers(state).len() > 1 {
        super::middleware::add_vary(headers, "Accept");
    }
}
