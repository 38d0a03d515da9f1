//! `POST /auth/token/login/`: djoser's `TokenCreateView`. Both fields optional; any failure is
//! the same "Unable to log in with provided credentials."; success is `{"auth_token": key}` and
//! records `last_login`, as djoser's `login_user` does.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::field_info;
use crate::accounts::{credentials, login_identity};
use crate::audit;
use crate::http::endpoint::{Endpoint, Permission, Throttle};
use crate::http::endpoint_doc::{Answer, Doc};
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};
use crate::serializer::{CharField, Errors, root_object};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    Endpoint::new("Token Create", &[Method::POST], handle)
        .documented(Doc::account(Answer::Strings(&["auth_token"])))
        .describe("Use this endpoint to obtain user authentication token.")
        .permission(Permission::AllowAny)
        .throttle(Throttle::Login)
        .actions(actions)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    // djoser's `LOGIN_FIELD` (default: the model's `USERNAME_FIELD`).
    let key = login_identity::login_key(req.state.config());
    let username = errors.take(key, CharField::optional().validate(data, key, false));
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
    let user = credentials::authenticate(&req.state, &username, &password).await?;
    audit::events::login(&req, "token_login", &username, user.as_ref()).await;
    let user = user.ok_or_else(invalid)?;
    let (key, created) = credentials::issue_token(&req.state, &user).await?;
    audit::events::token_issued(&req, &user, &key, created).await;
    req.state
        .store()
        .accounts()
        .touch_last_login(user.id)
        .await?;
    Ok(json_response(StatusCode::OK, &json!({ "auth_token": key })))
}

fn actions(config: &crate::config::Config) -> Value {
    // A plain `CharField(required=False)` added under `LOGIN_FIELD`, labelled from its name.
    let key = login_identity::login_key(config);
    let label = if key == "email" { "Email" } else { "Username" };
    json!({ "POST": {
        "password": field_info("string", "Password", false, false, Value::Null),
        key: field_info("string", label, false, false, Value::Null),
    }})
}
