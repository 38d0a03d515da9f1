//! DRF's routers as URL shapes: what `SimpleRouter` and `DefaultRouter` make of a viewset's list
//! route, its list actions (djoser's `users/me/`) and its detail route, with or without the
//! trailing slash, and `DefaultRouter`'s API root view. Both djoser's users router and the
//! resources' routers are built here, so that every router answers alike.
//!
//! DRF 3.18 (`rest_framework/routers.py`, `urlpatterns.py`):
//! - a route is `^{prefix}{trailing_slash}$`, a detail `^{prefix}/(?P<pk>[^/.]+){trailing_slash}$`;
//! - `DefaultRouter` adds the root `^$` and, through `format_suffix_patterns`, a copy of every
//!   route with its trailing slash stripped and `\.(?P<format>[a-z0-9]+)/?$` appended, so
//!   `notes.json`, `notes.json/`, `notes/1.json`, `.json` (the root) all route, whatever the
//!   trailing slash;
//! - the root lists each registered viewset's list URL, reversed with the request's format
//!   suffix (`/api/.json` lists `/api/notes.json`).

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value};

use super::endpoint::Endpoint;
use super::endpoint_doc::Doc;
use super::json::json_response;
use super::routing::{Group, Lookup};
use super::{ApiError, ApiRequest};
use crate::config::urls::RouterKind;

/// The format suffixes routed: the renderers' (DRF routes any `[a-z0-9]+` and then answers 404
/// for a format no renderer has, which a missing route answers too). `.api` routes like
/// `?format=api` (see [`super::negotiation`]).
const FORMATS: [&str; 2] = ["json", "api"];

/// A router's URLs, built route by route as DRF's `get_urls` lists them.
pub(crate) struct RouterUrls {
    kind: RouterKind,
    group: Group,
}

impl RouterUrls {
    pub(crate) fn new(kind: RouterKind) -> Self {
        RouterUrls {
            kind,
            group: Group::new(),
        }
    }

    fn slash(&self) -> &'static str {
        if self.kind.trailing_slash { "/" } else { "" }
    }

    /// `DefaultRouter`'s API root listing `names` (the registered prefixes, in order);
    /// nothing for a `SimpleRouter`.
    pub(crate) fn root(mut self, names: Vec<String>) -> Self {
        if !self.kind.default {
            return self;
        }
        let root = Arc::new(api_root(names, self.kind.trailing_slash));
        // The root is `^$` whatever the trailing slash: the prefix itself.
        self.group = self.group.at("", Arc::clone(&root));
        self.suffixes("", root)
    }

    /// A route at a fixed path: a list (`notes`) or a list action (`users/me`).
    pub(crate) fn fixed(mut self, path: &str, endpoint: impl Into<Arc<Endpoint>>) -> Self {
        let endpoint = endpoint.into();
        let slash = self.slash();
        self.group = self
            .group
            .at(format!("{path}{slash}"), Arc::clone(&endpoint));
        self.suffixes(path, endpoint)
    }

    /// The detail route of `path` (`notes/<pk>`). DRF's lookup `[^/.]+` keeps a dot out of
    /// the id, so `5.json` is the id 5 in the json format, never the id `5.json`.
    pub(crate) fn detail(mut self, path: &str, endpoint: impl Into<Arc<Endpoint>>) -> Self {
        let endpoint = endpoint.into();
        let suffix = self.kind.default;
        let (with, without) = (format!("{path}/{{id}}/"), format!("{path}/{{id}}"));
        let (plain, other) = if self.kind.trailing_slash {
            (with, without)
        } else {
            (without, with)
        };
        self.group = self.group.at_with(
            plain,
            Arc::clone(&endpoint),
            Lookup::Id {
                plain: true,
                suffix,
            },
        );
        // The other spelling routes only a format suffix (`notes/5.json/` beside `notes/5`);
        // a plain id there is no route, and APPEND_SLASH may then redirect it.
        self.group = self.group.at_with(
            other,
            endpoint,
            Lookup::Id {
                plain: false,
                suffix,
            },
        );
        self
    }

    /// `format_suffix_patterns`: `path.json` and `path.json/` beside `path/`.
    fn suffixes(mut self, path: &str, endpoint: Arc<Endpoint>) -> Self {
        if !self.kind.default {
            return self;
        }
        for format in FORMATS {
            for slash in ["", "/"] {
                self.group = self.group.at_with(
                    format!("{path}.{format}{slash}"),
                    Arc::clone(&endpoint),
                    Lookup::Format(format),
                );
            }
        }
        self
    }

    pub(crate) fn group(self) -> Group {
        self.group
    }
}

/// DRF's `APIRootView`.
fn api_root(names: Vec<String>, trailing_slash: bool) -> Endpoint {
    let names = Arc::new(names);
    Endpoint::new("Api Root", &[Method::GET], move |req| {
        let names = Arc::clone(&names);
        async move { root(&req, &names, trailing_slash) }
    })
    .describe("The default basic root view for DefaultRouter")
    .documented(Doc::ApiRoot)
}

/// DRF reverses each list route's name; Portcullis builds the same URL from the root's own
/// path, so that a router mounted at any prefix lists URLs under that prefix.
fn root(req: &ApiRequest, names: &[String], trailing_slash: bool) -> Result<Response, ApiError> {
    let path = req.uri.path();
    let format = req.param("format");
    let prefix = match format {
        // `/api/.json` or `/api/.json/`: the prefix is what precedes the suffix.
        Some(format) => path
            .strip_suffix('/')
            .unwrap_or(path)
            .strip_suffix(&format!(".{format}"))
            .unwrap_or(path),
        None => path,
    };
    let mut body = Map::new();
    for name in names {
        // `reverse(..., format=kwargs.get('format'))`: the suffix replaces the trailing slash.
        let tail = match format {
            Some(format) => format!(".{format}"),
            None if trailing_slash => "/".to_string(),
            None => String::new(),
        };
        let mut url = req.absolute_uri(&format!("{prefix}{name}{tail}"));
        // DRF's `reverse` keeps the request's `?format=` on the links it makes
        // (`preserve_builtin_query_params`).
        if let Some(query_format) = req.query("format") {
            let encoded: String =
                form_urlencoded::byte_serialize(query_format.as_bytes()).collect();
            url = format!("{url}?format={encoded}");
        }
        body.insert(name.clone(), Value::String(url));
    }
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}
