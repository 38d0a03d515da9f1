//! DRF's `APIView.dispatch` as one function. A view declares its methods, renderers, parsers and
//! authentication; `dispatch` runs DRF's steps in DRF's order — content negotiation, then
//! authentication, permissions and throttles, then the method handler (405 only after the
//! permission check) — and finalizes every response, errors included, with the `Allow` and
//! `Vary` headers DRF adds.
//!
//! This replaces per-handler axum extractors on purpose: DRF's observable behaviour depends on
//! the order of these steps (a bad token is a 401 even on an open endpoint, a 401 comes before a
//! 405, a 406 before a 401), so one place runs them in that order.

use std::borrow::Cow;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, RawPathParams, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any};
use http_body_util::{BodyExt, Limited};
use serde_json::{Map, Value, json};

use super::json::json_response;
use super::request::{BodyBytes, latin1};
use super::{ApiError, ApiRequest, negotiation};
use crate::auth;
use crate::state::AppState;

pub type ViewFuture<'a> = Pin<Box<dyn Future<Output = Result<Response, ApiError>> + Send + 'a>>;
pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = Result<(), ApiError>> + Send + 'a>>;
pub type ActionsFuture<'a> = Pin<Box<dyn Future<Output = Option<Value>> + Send + 'a>>;

/// Which of DRF's throttles apply to a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// `DEFAULT_THROTTLE_CLASSES`: the anonymous and user rates.
    Default,
    /// `throttle_classes = ()`.
    None,
    /// A login endpoint: the default throttles, the `login` scope and the per-account limit
    /// of failed logins.
    Login,
}

/// What DRF knows about a view class before it runs.
#[derive(Debug, Clone)]
pub struct ViewSpec {
    /// `get_view_name()`, shown by OPTIONS (owned for views named after a schema resource).
    pub name: Cow<'static, str>,
    /// The handler methods (`GET`, `POST`, ...). `HEAD` follows `GET`, `OPTIONS` is always there.
    pub methods: &'static [Method],
    /// False for views whose only renderer is JSON (DRF then sends no `Vary: Accept`).
    pub browsable: bool,
    /// False for views with `authentication_classes = ()` (simplejwt's token views).
    pub authenticate: bool,
    /// The `WWW-Authenticate` challenge of a 401; `None` turns 401s into 403s, as DRF does.
    pub www_authenticate: Option<&'static str>,
    /// `parser_classes`, as media types.
    pub parses: &'static [&'static str],
    /// `throttle_classes`.
    pub throttle: Throttle,
}

impl ViewSpec {
    /// DRF's `allowed_methods`, sorted as the oracle's normalized `Allow` header compares them.
    pub fn allow_header(&self) -> String {
        let mut methods: Vec<&str> = self.methods.iter().map(|m| m.as_str()).collect();
        if self.methods.contains(&Method::GET) {
            methods.push("HEAD");
        }
        methods.push("OPTIONS");
        methods.sort_unstable();
        methods.dedup();
        methods.join(", ")
    }
}

/// A DRF view: a spec, a permission check and the handlers.
pub trait View: Send + Sync + 'static {
    fn spec(&self) -> &ViewSpec;

    /// DRF's `check_permissions` (before method dispatch). Default: `IsAuthenticated`.
    fn check_permissions<'a>(&'a self, req: &'a ApiRequest) -> CheckFuture<'a> {
        Box::pin(async move { req.require_user().map(|_| ()) })
    }

    /// Run the handler for `req.method` (one of `spec().methods`; HEAD arrives as GET).
    fn handle(&self, req: ApiRequest) -> ViewFuture<'_>;

    /// The `actions` of DRF's OPTIONS metadata, if the view has a serializer for them.
    fn metadata_actions(&self, _req: &ApiRequest) -> Option<Value> {
        None
    }

    /// The same, for views whose answer depends on the database (DRF checks the permissions
    /// of each action, and for PUT the object's, before listing it). Defaults to
    /// [`View::metadata_actions`].
    fn metadata_actions_checked<'a>(&'a self, req: &'a ApiRequest) -> ActionsFuture<'a> {
        let actions = self.metadata_actions(req);
        Box::pin(async move { actions })
    }
}

/// The axum route for a view. A `format` parameter is DRF's format suffix (`/api/notes.json`).
pub fn route<V: View>(view: V) -> MethodRouter<AppState> {
    route_with(view, None)
}

/// A route whose pattern fixes DRF's format suffix (`/api/notes.json`).
pub fn route_with(view: impl View, format: Option<&'static str>) -> MethodRouter<AppState> {
    let view = Arc::new(view);
    any(
        move |State(state): State<AppState>,
              params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
              request: Request| {
            let view = Arc::clone(&view);
            let mut params: Vec<(String, String)> = params
                .map(|p| {
                    p.iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(format) = format {
                params.push(("format".into(), format.into()));
            }
            async move { dispatch(view.as_ref(), state, request, params).await }
        },
    )
}

/// DRF's `APIView.dispatch`.
pub async fn dispatch(
    view: &dyn View,
    state: AppState,
    request: Request,
    params: Vec<(String, String)>,
) -> Response {
    let spec = view.spec();
    let (parts, body) = request.into_parts();
    let client = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let mount_scope = parts
        .extensions
        .get::<super::throttle::ScopeOverride>()
        .cloned();
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
        mount_scope,
        principal: None,
        body,
        parses: spec.parses,
        query_pairs: std::sync::OnceLock::new(),
    };
    let result = run(view, spec, req).await;
    let mut response = match result {
        Ok(response) => response,
        Err(err) if err.is_authentication_error() && spec.www_authenticate.is_none() => {
            // DRF: no authenticator can issue a challenge, so the 401 becomes a 403.
            let mut response = err.into_response();
            *response.status_mut() = StatusCode::FORBIDDEN;
            response
        }
        Err(err) => {
            let challenge = err.is_authentication_error();
            let mut response = err.into_response();
            if let (true, Some(value)) = (challenge, spec.www_authenticate) {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(value));
            }
            response
        }
    };
    finalize(spec, &mut response);
    if is_head {
        *response.body_mut() = Body::empty();
    }
    response
}

async fn run(view: &dyn View, spec: &ViewSpec, mut req: ApiRequest) -> Result<Response, ApiError> {
    let format = req
        .param("format")
        .map(str::to_string)
        .or_else(|| req.query("format"));
    let accept = req
        .headers
        .get(header::ACCEPT)
        .map(|v| latin1(v.as_bytes()));
    negotiation::negotiate(format.as_deref(), accept.as_deref(), spec.browsable)?;
    if spec.authenticate {
        req.principal = auth::authenticate(&req.state, &req.headers).await?;
        if let Some(user) = req.user() {
            super::request_id::record_user(user.id);
        }
    }
    view.check_permissions(&req).await?;
    let throttles = req.state.throttles();
    let plan = throttles.plan(spec.throttle, req.mount_scope.as_ref());
    throttles.check(&plan, &req.headers, req.client, req.user().map(|u| u.id))?;
    if req.method == Method::OPTIONS {
        let actions = view.metadata_actions_checked(&req).await;
        return Ok(options_metadata(spec, actions));
    }
    if !spec.methods.contains(&req.method) {
        return Err(ApiError::MethodNotAllowed(req.method.as_str().to_string()));
    }
    view.handle(req).await
}

/// DRF's `SimpleMetadata` body for OPTIONS.
fn options_metadata(spec: &ViewSpec, actions: Option<Value>) -> Response {
    let mut body = Map::new();
    body.insert("name".into(), json!(spec.name));
    body.insert("description".into(), json!(""));
    let renders: &[&str] = if spec.browsable {
        &["application/json", "text/html"]
    } else {
        &["application/json"]
    };
    body.insert("renders".into(), json!(renders));
    body.insert("parses".into(), json!(spec.parses));
    if let Some(actions) = actions {
        body.insert("actions".into(), actions);
    }
    json_response(StatusCode::OK, &Value::Object(body))
}

/// DRF's `finalize_response`: `Allow` on every response of the view, `Vary: Accept` when the
/// view has more than one renderer.
fn finalize(spec: &ViewSpec, response: &mut Response) {
    let headers = response.headers_mut();
    if let Ok(allow) = HeaderValue::from_str(&spec.allow_header()) {
        headers.insert(header::ALLOW, allow);
    }
    if spec.browsable {
        super::middleware::add_vary(headers, "Accept");
    }
}
