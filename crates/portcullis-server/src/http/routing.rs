//! The URL table, Django's `urls.py` as data: endpoint [`Group`]s mounted at a prefix, the axum
//! routes they make, a matcher of their patterns (so that APPEND_SLASH can ask whether `path/`
//! would match) and the declarations themselves, for anything that describes the API; and the
//! JSON 404 for URLs no route matches (Django answers an HTML page; Portcullis keeps DRF's shape).

use std::sync::Arc;

use axum::Router;
use axum::extract::{RawPathParams, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any};

use super::ApiError;
use super::converters::{self, Converter};
use super::dispatch::{dispatch, route};
use super::endpoint::Endpoint;
use crate::state::AppState;

/// Marks the 404 of an unmatched URL, for APPEND_SLASH.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NoRoute;

/// How a route turns its URL into the endpoint's path parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// The parameters the pattern captures (`{id}`), as they are.
    Plain,
    /// A pattern with a fixed format suffix (`/api/notes.json`): adds `format`.
    Format(&'static str),
    /// DRF's router lookup `[^/.]+` and its optional format suffix, in the `id` parameter:
    /// `5.json` is id 5 with the `json` format (`suffix`, a `DefaultRouter`'s). `plain`: an id
    /// without a suffix routes here too (the router's own trailing slash; the other spelling
    /// routes only suffixes, so that APPEND_SLASH redirects the rest).
    Id { plain: bool, suffix: bool },
    /// A generic view's route with Django's converters: each captured value must pass its
    /// converter, or the route does not match.
    Converted(Arc<[(String, Converter)]>),
}

/// One URL of a group: a path relative to the group's prefix, the endpoint behind it and how
/// the URL's parameters reach it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) path: String,
    pub(crate) endpoint: Arc<Endpoint>,
    pub(crate) lookup: Lookup,
}

/// A set of URLs that belong together (djoser's users, its token URLs, simplejwt's views, a
/// resource's router), as a value: mount it at any prefix, any number of times.
#[derive(Debug, Clone, Default)]
pub(crate) struct Group {
    pub(crate) entries: Vec<Entry>,
}

impl Group {
    pub(crate) fn new() -> Self {
        Group::default()
    }

    /// `path` (relative to the prefix the group is mounted at) answered by `endpoint`.
    pub(crate) fn at(self, path: impl Into<String>, endpoint: impl Into<Arc<Endpoint>>) -> Self {
        self.at_with(path, endpoint, Lookup::Plain)
    }

    /// The same endpoint at each of `paths` (djoser's `^token/login/?$`: with and without the
    /// slash).
    pub(crate) fn at_each(mut self, paths: &[&str], endpoint: Endpoint) -> Self {
        let endpoint = Arc::new(endpoint);
        for path in paths {
            self = self.at(*path, Arc::clone(&endpoint));
        }
        self
    }

    pub(crate) fn at_with(
        mut self,
        path: impl Into<String>,
        endpoint: impl Into<Arc<Endpoint>>,
        lookup: Lookup,
    ) -> Self {
        self.entries.push(Entry {
            path: path.into(),
            endpoint: endpoint.into(),
            lookup,
        });
        self
    }

    /// The group's URLs under `prefix` (`"/auth/"` + `"users/"`).
    pub(crate) fn mount(&self, prefix: &str) -> Group {
        let prefix = prefix.trim_end_matches('/');
        let entries = self
            .entries
            .iter()
            .map(|entry| {
                let path = entry.path.trim_start_matches('/');
                Entry {
                    path: format!("{prefix}/{path}"),
                    ..entry.clone()
                }
            })
            .collect();
        Group { entries }
    }
}

/// The patterns of every registered route, and what each one declares.
#[derive(Clone, Default)]
pub struct RouteTable {
    matcher: Arc<matchit::Router<Lookup>>,
    endpoints: Arc<[Entry]>,
    /// Every route pattern, in the order mounted (the metrics' route labels).
    patterns: Arc<[Box<str>]>,
}

impl RouteTable {
    /// Every route pattern, in the order mounted.
    pub(crate) fn patterns(&self) -> &[Box<str>] {
        &self.patterns
    }

    pub(crate) fn matches(&self, path: &str) -> bool {
        // Whether the route would answer, not only its pattern: DRF's `[^/.]+` lookup refuses
        // `5.xml/` where `{id}/` matches it, and Django would then not redirect `5.xml` there.
        self.matcher.at(path).is_ok_and(|found| match found.value {
            Lookup::Id { plain, suffix } => {
                split_id(found.params.get("id").unwrap_or(""), *plain, *suffix).is_some()
            }
            Lookup::Converted(kwargs) => converters::accepted(kwargs, |n| found.params.get(n)),
            Lookup::Plain | Lookup::Format(_) => true,
        })
    }

    /// The patterns of these groups alone, without an axum router: what Django's `resolve`
    /// finds among them (a hyperlink's path is resolved against the project's URLs).
    pub(crate) fn of(groups: impl IntoIterator<Item = Group>) -> RouteTable {
        let mut matcher = matchit::Router::new();
        let mut endpoints = Vec::new();
        let mut patterns = Vec::new();
        for entry in groups.into_iter().flat_map(|g| g.entries) {
            // Duplicates are refused by the layout's check; the first pattern stays.
            let _ = matcher.insert(entry.path.clone(), entry.lookup.clone());
            patterns.push(entry.path.as_str().into());
            endpoints.push(entry);
        }
        RouteTable {
            matcher: Arc::new(matcher),
            endpoints: endpoints.into(),
            patterns: patterns.into(),
        }
    }

    /// Every endpoint with its full path, in the order they were mounted (what the OpenAPI
    /// document describes).
    pub(crate) fn endpoints(&self) -> &[Entry] {
        &self.endpoints
    }
}

/// Collects routes for axum and their patterns for [`RouteTable`].
pub struct Routes {
    router: Router<AppState>,
    matcher: matchit::Router<Lookup>,
    endpoints: Vec<Entry>,
    patterns: Vec<Box<str>>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes {
            router: Router::new(),
            matcher: matchit::Router::new(),
            endpoints: Vec::new(),
            patterns: Vec::new(),
        }
    }
}

impl Routes {
    /// Every URL of a group that is already mounted ([`Group::mount`]) at its full paths.
    pub(crate) fn mount(mut self, group: Group) -> Self {
        for entry in group.entries {
            let method_router = match &entry.lookup {
                Lookup::Plain => route(Arc::clone(&entry.endpoint), &[]),
                Lookup::Format(format) => route(Arc::clone(&entry.endpoint), &[("format", format)]),
                Lookup::Id { plain, suffix } => {
                    id_route(Arc::clone(&entry.endpoint), *plain, *suffix)
                }
                Lookup::Converted(kwargs) => {
                    converted_route(Arc::clone(&entry.endpoint), Arc::clone(kwargs))
                }
            };
            self = self.route_with(&entry.path, method_router, entry.lookup.clone());
            self.endpoints.push(entry);
        }
        self
    }

    /// A route that is not an endpoint (static files).
    pub(crate) fn route(self, path: &str, method_router: MethodRouter<AppState>) -> Self {
        self.route_with(path, method_router, Lookup::Plain)
    }

    fn route_with(
        mut self,
        path: &str,
        method_router: MethodRouter<AppState>,
        lookup: Lookup,
    ) -> Self {
        // A duplicate pattern would already make axum panic at start-up below; the matcher
        // only needs one copy.
        let _ = self.matcher.insert(path, lookup);
        self.patterns.push(path.into());
        self.router = self.router.route(path, method_router);
        self
    }

    pub fn finish(self) -> (Router<AppState>, RouteTable) {
        let router = self.router.fallback(not_found);
        (
            router,
            RouteTable {
                matcher: Arc::new(self.matcher),
                endpoints: self.endpoints.into(),
                patterns: self.patterns.into(),
            },
        )
    }
}

/// The answer for a URL that no route matches.
pub(crate) async fn not_found() -> Response {
    let mut response = ApiError::not_found().into_response();
    response.extensions_mut().insert(NoRoute);
    response
}

/// The route of [`Lookup::Id`].
fn id_route(endpoint: Arc<Endpoint>, plain: bool, suffix: bool) -> MethodRouter<AppState> {
    any(
        move |State(state): State<AppState>,
              params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
              request: Request| {
            let endpoint = Arc::clone(&endpoint);
            async move {
                let raw = params
                    .ok()
                    .and_then(|p| {
                        p.iter()
                            .find(|(k, _)| *k == "id")
                            .map(|(_, v)| v.to_string())
                    })
                    .unwrap_or_default();
                let Some((id, format)) = split_id(&raw, plain, suffix) else {
                    return not_found().await;
                };
                let mut params = vec![("id".to_string(), id)];
                if let Some(format) = format {
                    params.push(("format".into(), format));
                }
                dispatch(endpoint.as_ref(), state, request, params).await
            }
        },
    )
}

/// The route of [`Lookup::Converted`].
fn converted_route(
    endpoint: Arc<Endpoint>,
    kwargs: Arc<[(String, Converter)]>,
) -> MethodRouter<AppState> {
    any(
        move |State(state): State<AppState>,
              params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
              request: Request| {
            let endpoint = Arc::clone(&endpoint);
            let params: Vec<(String, String)> = params
                .map(|p| {
                    p.iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let ok = converters::accepted(&kwargs, |name| {
                params
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            });
            async move {
                if !ok {
                    return not_found().await;
                }
                dispatch(endpoint.as_ref(), state, request, params).await
            }
        },
    )
}

/// The id and format of [`Lookup::Id`]'s parameter, or `None` when this route does not take it.
fn split_id(raw: &str, plain: bool, suffix: bool) -> Option<(String, Option<String>)> {
    match raw.split_once('.') {
        Some((id, format)) if suffix && !id.is_empty() && is_format(format) => {
            Some((id.to_string(), Some(format.to_string())))
        }
        Some(_) => None,
        None if plain => Some((raw.to_string(), None)),
        None => None,
    }
}

/// DRF's format suffix pattern: `[a-z0-9]+`.
fn is_format(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use axum::http::Method;
    use axum::response::Response;

    use super::*;
    use crate::http::ApiRequest;

    async fn ok(_req: ApiRequest) -> Result<Response, ApiError> {
        Ok(Response::default())
    }

    fn paths(group: &Group) -> Vec<&str> {
        group.entries.iter().map(|e| e.path.as_str()).collect()
    }

    #[test]
    fn a_group_mounts_at_any_prefix_with_or_without_its_slash() {
        let group = Group::new()
            .at("", Endpoint::new("Root", &[Method::GET], ok))
            .at_each(
                &["login/", "login"],
                Endpoint::new("Login", &[Method::POST], ok),
            );
        assert_eq!(
            paths(&group.mount("/auth/")),
            ["/auth/", "/auth/login/", "/auth/login"]
        );
        assert_eq!(
            paths(&group.mount("/v2/auth")),
            ["/v2/auth/", "/v2/auth/login/", "/v2/auth/login"]
        );
        assert_eq!(paths(&group.mount("")), ["/", "/login/", "/login"]);
    }

    #[test]
    fn mounted_endpoints_are_in_the_route_table() {
        let group = Group::new().at("users/", Endpoint::new("Users", &[Method::GET], ok));
        let (_, table) = Routes::default()
            .mount(group.mount("/a/"))
            .mount(group.mount("/b/"))
            .finish();
        assert!(table.matches("/a/users/") && table.matches("/b/users/"));
        let names: Vec<_> = table.endpoints().iter().map(|e| e.path.as_str()).collect();
        assert_eq!(names, ["/a/users/", "/b/users/"]);
    }
}
