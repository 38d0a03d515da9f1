//! `POST /api-token-auth/`: DRF's `obtain_auth_token`. Username and password in a JSON, form or
//! multipart body; the user's one token back, the same key on every login until a logout.

use std::borrow::Cow;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::field_info;
use crate::accounts::credentials;
use crate::http::json::json_response;
use crate::http::view::{CheckFuture, Throttle, View, ViewFuture, ViewSpec};
use crate::http::{ApiError, ApiRequest};

pub struct ObtainAuthToken;

static SPEC: ViewSpec = ViewSpec {
    name: Cow::Borrowed("Obtain Auth Token"),
    methods: &[Method::POST],
    browsable: false,
    authenticate: true,
    www_authenticate: Some("Token"),
    parses: &[
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "application/json",
    ],
    throttle: Throttle::Login,
};

impl View for ObtainAuthToken {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn check_permissions<'a>(&'a self, _req: &'a ApiRequest) -> CheckFuture<'a> {
        Box::pin(async { Ok(()) })
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let (username, password) = credentials::login_fields(&req)?;
            let (Some(username), Some(password)) = (username, password) else {
                return Err(ApiError::non_field(
                    "Must include \"username\" and \"password\".",
                ));
            };
            let Some(user) = credentials::authenticate(&req.state, &username, &password).await?
            else {
                return Err(ApiError::non_field(
                    "Unable to log in with provided credentials.",
                ));
            };
            let key = credentials::token_for(&req.state, &user).await?;
            Ok(json_response(StatusCode::OK, &json!({ "token": key })))
        })
    }

    fn metadata_actions(&self, _req: &ApiRequest) -> Option<Value> {
        Some(json!({ "POST": {
            "username": field_info("string", "Username", true, false, Value::Null),
            "password": field_info("string", "Password", true, false, Value::Null),
            "token": field_info("string", "Token", false, true, Value::Null),
        }}))
    }
}
