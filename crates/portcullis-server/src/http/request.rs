//! `ApiRequest`: what a DRF view sees of a request — method, URL, headers, the authenticated
//! user, and `request.data` parsed on first use with the view's parsers.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri, header};

use super::ApiError;
use super::body::{self, RequestData};
use crate::auth::Principal;
use crate::state::AppState;
use crate::store::User;

/// The body as read by the dispatcher: the bytes, or the fact that it was over the limit
/// (reported only if the view reads `request.data`, as Django does).
#[derive(Debug, Clone)]
pub(crate) enum BodyBytes {
    Read(Bytes),
    TooLarge,
}

pub(crate) struct ApiRequest {
    pub(crate) state: AppState,
    pub(crate) method: Method,
    pub(crate) uri: Uri,
    pub(crate) headers: HeaderMap,
    /// Path parameters captured by the route, in order.
    pub(crate) params: Vec<(String, String)>,
    pub(crate) client: Option<SocketAddr>,
    /// A mount's own throttle scope (see `throttle::ScopeOverride`).
    pub(crate) mount_scope: Option<super::throttle::ScopeOverride>,
    pub(crate) principal: Option<Principal>,
    pub(crate) body: BodyBytes,
    /// The view's own parsers (`None`: the project's).
    pub(crate) parses: Option<&'static [&'static str]>,
    pub(crate) query_pairs: std::sync::OnceLock<Vec<(String, String)>>,
}

impl ApiRequest {
    /// The authenticated user (DRF's `request.user` when it is not anonymous).
    pub(crate) fn user(&self) -> Option<&User> {
        self.principal.as_ref().map(|p| &p.user)
    }

    /// The user or `NotAuthenticated`, for views that passed `IsAuthenticated`.
    pub(crate) fn require_user(&self) -> Result<&User, ApiError> {
        self.user().ok_or(ApiError::NotAuthenticated)
    }

    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// DRF's `request.data`.
    pub(crate) fn data(&self) -> Result<RequestData, ApiError> {
        match &self.body {
            BodyBytes::TooLarge => Err(ApiError::PayloadTooLarge),
            BodyBytes::Read(bytes) => body::parse(
                &self.content_type(),
                bytes,
                self.parses(),
                self.state.config().limits.max_fields,
                self.camel_input(),
            ),
        }
    }

    /// The media types the view parses, in its `parser_classes` order.
    pub(crate) fn parses(&self) -> &[&'static str] {
        self.parses.unwrap_or(&self.state.wire().parses)
    }

    /// The camel parsers' options when the view parses with the project's camel classes.
    fn camel_input(&self) -> Option<&crate::config::CamelCaseConfig> {
        (self.parses.is_none() && self.state.wire().camel_parsers)
            .then(|| &self.state.config().camel_case)
    }

    /// The raw `Content-Type` as sent (Latin-1, like WSGI), `""` when absent.
    pub(crate) fn content_type(&self) -> String {
        self.headers
            .get(header::CONTENT_TYPE)
            .map(|v| latin1(v.as_bytes()))
            .unwrap_or_default()
    }

    /// Query parameters in order, decoded as Django's QueryDict does.
    /// Decoded once per request: a list view reads several parameters.
    pub(crate) fn query_pairs(&self) -> &[(String, String)] {
        self.query_pairs.get_or_init(|| {
            let pairs = form_urlencoded::parse(self.uri.query().unwrap_or("").as_bytes())
                .into_owned()
                .collect();
            let camel = &self.state.config().camel_case;
            if camel.middleware {
                super::camel_case::parse::query_pairs(pairs, camel)
            } else {
                pairs
            }
        })
    }

    /// `request.query_params.get(name)`: the last value.
    pub(crate) fn query(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// Django's `request.build_absolute_uri(path)`: scheme `http` and the request's `Host`
    /// header as sent (it passed the allowed-hosts check already).
    pub(crate) fn absolute_uri(&self, path_and_query: &str) -> String {
        format!("http://{}{}", self.host(), path_and_query)
    }

    /// The URL of this request, absolute (for pagination links).
    pub(crate) fn absolute_self(&self) -> String {
        let pq = self.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        self.absolute_uri(pq)
    }

    pub(crate) fn host(&self) -> String {
        self.headers
            .get(header::HOST)
            .map(|h| latin1(h.as_bytes()))
            .or_else(|| self.uri.authority().map(|a| a.to_string()))
            .unwrap_or_else(|| self.state.config().bind.clone())
    }
}

/// Header bytes as WSGI presents them: each byte one Latin-1 character.
pub(crate) fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}
