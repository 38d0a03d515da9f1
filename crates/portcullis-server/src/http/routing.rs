//! The URL table: axum routes registered together with a matcher of their patterns, so that
//! APPEND_SLASH can ask whether `path/` would match; and the JSON 404 for URLs no route matches
//! (Django answers an HTML page; Portcullis keeps DRF's shape).

use std::sync::Arc;

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;

use super::ApiError;
use crate::state::AppState;

/// Marks the 404 of an unmatched URL, for APPEND_SLASH.
#[derive(Debug, Clone, Copy)]
pub struct NoRoute;

/// The patterns of every registered route.
#[derive(Clone, Default)]
pub struct RouteTable {
    matcher: Arc<matchit::Router<()>>,
}

impl RouteTable {
    pub fn matches(&self, path: &str) -> bool {
        self.matcher.at(path).is_ok()
    }
}

/// Collects routes for axum and their patterns for [`RouteTable`].
pub struct Routes {
    router: Router<AppState>,
    matcher: matchit::Router<()>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes {
            router: Router::new(),
            matcher: matchit::Router::new(),
        }
    }
}

impl Routes {
    pub fn route(mut self, path: &str, method_router: MethodRouter<AppState>) -> Self {
        // A duplicate pattern would already make axum panic at start-up below; the matcher
        // only needs one copy.
        let _ = self.matcher.insert(path, ());
        self.router = self.router.route(path, method_router);
        self
    }

    pub fn finish(self) -> (Router<AppState>, RouteTable) {
        let router = self.router.fallback(not_found);
        (
            router,
            RouteTable {
                matcher: Arc::new(self.matcher),
            },
        )
    }
}

/// The answer for a URL that no route matches.
pub async fn not_found() -> Response {
    let mut response = ApiError::not_found().into_response();
    response.extensions_mut().insert(NoRoute);
    response
}
