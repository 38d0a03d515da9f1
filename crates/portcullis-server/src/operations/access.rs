//! Who may read `/metrics`. The metrics name routes, rates of failed logins and pool use: not
//! for the public. On the main listener only a client on the loopback address that did not come
//! through a proxy (a reverse proxy on the same host would make every client look local), or
//! one with `Authorization: Bearer <operations.metrics_token>`, reads them; on the metrics
//! listener (`operations.metrics_addr`), whoever reaches that address, holding the token if one
//! is configured. On the main listener the `allowed_hosts` check runs first, as for the API:
//! it keeps a page whose name rebinds to 127.0.0.1 from passing as a loopback client.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::config::OperationsConfig;
use crate::http::ApiError;

/// Headers a proxy adds: a request carrying one was forwarded, whatever its socket address.
const FORWARDED: [&str; 3] = ["x-forwarded-for", "forwarded", "x-real-ip"];

/// Whether the client may read the metrics (if not, the answer is DRF's [`denied`]).
pub(super) fn check(config: &OperationsConfig, own_listener: bool, request: &Request) -> bool {
    let token = config.metrics_token.as_bytes();
    if !token.is_empty() && bearer(request).is_some_and(|given| bool::from(given.ct_eq(token))) {
        return true;
    }
    if own_listener {
        token.is_empty()
    } else {
        local_and_direct(request)
    }
}

fn bearer(request: &Request) -> Option<&[u8]> {
    request
        .headers()
        .get(header::AUTHORIZATION)?
        .as_bytes()
        .strip_prefix(b"Bearer ")
}

fn local_and_direct(request: &Request) -> bool {
    let loopback = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(addr)| addr.ip().is_loopback());
    loopback && !FORWARDED.iter().any(|h| request.headers().contains_key(*h))
}

/// DRF's 403.
pub(super) fn denied() -> Response {
    ApiError::PermissionDenied.into_response()
}
