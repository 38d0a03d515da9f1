//! `GET /api/`: DRF's `APIRootView`, one absolute URL per resource.

use std::borrow::Cow;

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value};

use crate::http::ApiRequest;
use crate::http::body::DEFAULT_PARSES;
use crate::http::json::json_response;
use crate::http::view::{Throttle, View, ViewFuture, ViewSpec};

pub struct ApiRoot;

static SPEC: ViewSpec = ViewSpec {
    name: Cow::Borrowed("Api Root"),
    methods: &[Method::GET],
    browsable: true,
    authenticate: true,
    www_authenticate: Some("Token"),
    parses: DEFAULT_PARSES,
    throttle: Throttle::Default,
};

impl View for ApiRoot {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let mut body = Map::new();
            for resource in &req.state.schema().resources {
                let url = req.absolute_uri(&format!("/api/{}/", resource.name));
                body.insert(resource.name.clone(), Value::String(url));
            }
            Ok(json_response(StatusCode::OK, &Value::Object(body)))
        })
    }
}
