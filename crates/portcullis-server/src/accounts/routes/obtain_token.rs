//! `POST /api-token-auth/`: DRF's `obtain_auth_token`. Username and password in a JSON, form or
//! multipart body; the user's one token back, the same key on every login until a logout.
//! `AuthTokenSerializer` names its field `username` whatever the user model's `USERNAME_FIELD`:
//! for a model that logs in with its email, `username` holds the email.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::field_info;
use crate::accounts::credentials;
use crate::audit;
use crate::http::endpoint::{Endpoint, Permission, Throttle};
use crate::http::endpoint_doc::{Answer, Doc};
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    Endpoint::new("Obtain Auth Token", &[Method::POST], handle)
        .documented(Doc::account(Answer::Strings(&["token"])))
        .json_only()
        .permission(Permission::AllowAny)
        .parses(&[
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/json",
        ])
        .throttle(Throttle::Login)
        .actions(actions)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let (username, password) = credentials::login_fields(&req, "username")?;
    let (Some(username), Some(password)) = (username, password) else {
        return Err(ApiError::non_field(
            "Must include \"username\" and \"password\".",
        ));
    };
    let user = credentials::authenticate(&req.state, &username, &password).await?;
    audit::events::login(&req, "obtain_auth_token", &username, user.as_ref()).await;
    let Some(user) = user else {
        return Err(ApiError::non_field(
            "Unable to log in with provided credentials.",
        ));
    };
    let (key, created) = credentials::issue_token(&req.state, &user).await?;
    audit::events::token_issued(&req, &user, &key, created).await;
    Ok(json_response(StatusCode::OK, &json!({ "token": key })))
}

fn actions(_: &crate::config::Config) -> Value {
    json!({ "POST": {
        "username": field_info("string", "Username", true, false, Value::Null),
        "password": field_info("string", "Password", true, false, Value::Null),
        "token": field_info("string", "Token", false, true, Value::Null),
    }})
}
