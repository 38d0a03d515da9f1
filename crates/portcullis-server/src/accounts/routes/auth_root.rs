//! `GET /auth/`: the API root of djoser's `DefaultRouter`, listing its one viewset.

use std::borrow::Cow;

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::http::ApiRequest;
use crate::http::body::DEFAULT_PARSES;
use crate::http::json::json_response;
use crate::http::view::{Throttle, View, ViewFuture, ViewSpec};

pub struct AuthRoot;

static SPEC: ViewSpec = ViewSpec {
    name: Cow::Borrowed("Api Root"),
    methods: &[Method::GET],
    browsable: true,
    authenticate: true,
    www_authenticate: Some("Token"),
    parses: DEFAULT_PARSES,
    throttle: Throttle::Default,
};

impl View for AuthRoot {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let users = req.absolute_uri("/auth/users/");
            Ok(json_response(StatusCode::OK, &json!({ "users": users })))
        })
    }
}
