//! Tests laid out like the URL tree: each file holds the tests of one URL (or one view).

mod api;
mod api_token_auth;
mod auth;
mod client_settings;
mod generic_views;
mod healthz;
mod metrics;
mod readyz;
mod web_assets;
