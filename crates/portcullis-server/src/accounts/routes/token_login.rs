//! `POST /auth/token/login/`: djoser's `TokenCreateView`. Both fields optional; any failure is
//! the same "Unable to log in with provided credentials."; success is `{"auth_token": key}` and
//! records `last_login`, as djoser's `login_user` does.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::field_info;
use crate::accounts::credentials;
use crate::http::endpoint::{Endpoint, Permission, Throttle};
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};
use crate::serializer::{CharField, Errors, root_object};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    Endpoint::new("Token Create", &[Method::POST], handle)
        .describe("Use this endpoint to obtain user authentication token.")
        .permission(Permission::AllowAny)
        .throttle(Throttle::Login)
        .actions(actions)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
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
    let password = errors.take("password", password_field.validate(data, "password", false));
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
}

fn actions(_: &crate::config::Config) -> Value {
    json!({ "POST": {
        "password": field_info("string", "Password", false, false, Value::Null),
        "username": field_info("string", "Username", false, false, Value::Null),
    }})
}
