//! Portcullis as a library: `app(state)` builds the whole HTTP application, wire-compatible with
//! Django REST Framework, djoser and django-cors-headers. The binary only loads the configuration,
//! opens the store and serves this router.
#![forbid(unsafe_code)]

pub mod accounts;
pub(crate) mod admin;
pub(crate) mod audit;
pub mod auth;
pub mod config;
pub mod http;
pub mod import_django;
pub(crate) mod mail;
pub mod migrating;
pub mod openapi;
pub mod operations;
pub mod resources;
pub(crate) mod serializer;
pub mod server;
pub(crate) mod state;
pub mod store;
pub(crate) mod web;
pub(crate) mod web_settings;

use axum::Router;

pub use config::Config;
pub use state::AppState;

/// The complete application, wrapped in the Django-like middleware stack
/// (see [`http::middleware`]).
pub fn app(state: AppState) -> Router {
    let (router, table) = http::layout::routes(&state).finish();
    state
        .metrics()
        .register_routes(table.patterns().iter().map(|p| &**p));
    http::middleware::wrap(router, table, state)
}
