//! `POST /auth/token/login/`: djoser's `TokenCreateView`. Both fields optional; any failure is
//! the same "Unable to log in with provided credentials."; success is `{"auth_token": key}` and
//! records `last_login`, as djoser's `login_user` does.

use std::borrow::Cow;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::field_info;
use crate::accounts::credentials;
use crate::http::body::DEFAULT_PARSES;
use crate::http::json::json_response;
use crate::http::view::{CheckFuture, Throttle, View, ViewFuture, ViewSpec};
use crate::http::{ApiError, ApiRequest};
use crate::serializer::{CharField, Errors, root_object};

pub struct TokenLogin;

static SPEC: ViewSpec = ViewSpec {
    name: Cow::Borrowed("Token Create"),
    methods: &[Method::POST],
    browsable: true,
    authenticate: true,
    www_authenticate: Some("Token"),
    parses: DEFAULT_PARSES,
    throttle: Throttle::Login,
};

impl View for TokenLogin {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn check_permissions<'a>(&'a self, _req: &'a ApiRequest) -> CheckFuture<'a> {
        Box::pin(async { Ok(()) })
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let data = req.data()?;
            let data = root_object(&data)?;
            let mut errors = Errors::default();
            let username = errors.take(
                "username",
                CharField::optional().validate(data, "username", false),
            );
            // djoser trims the password; Portcullis compares passwords exactly as sent.
            let password_field = CharField {
                trim_whitespace: false,
                ..CharField::optional()
            };
            let password =
                errors.take("password", password_field.validate(data, "password", false));
            errors.check()?;
            let username = username.and_then(|u| u.into_option());
            let password = password.and_then(|p| p.into_option());
            let invalid = || ApiError::non_field("Unable to log in with provided credentials.");
            let (Some(username), Some(password)) = (username, password) else {
                return Err(invalid());
            };
            let user = credentials::authenticate(&req.state, &username, &password)
                .await?
                .ok_or_else(invalid)?;
            let key = credentials::token_for(&req.state, &user).await?;
            req.state.store().touch_last_login(user.id).await?;
            Ok(json_response(StatusCode::OK, &json!({ "auth_token": key })))
        })
    }

    fn metadata_actions(&self, _req: &ApiRequest) -> Option<Value> {
        Some(json!({ "POST": {
            "password": field_info("string", "Password", false, false, Value::Null),
            "username": field_info("string", "Username", false, false, Value::Null),
        }}))
    }
}
