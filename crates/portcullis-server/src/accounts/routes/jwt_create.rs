//! `POST /auth/jwt/create/` (djoser) and `POST /api/token/` (simplejwt): `TokenObtainPairView`.
//! Username (the model's `USERNAME_FIELD`: `email` for a model that logs in with it) and
//! password → `{"refresh", "access"}`; any failure to log in is simplejwt's 401
//! "No active account found with the given credentials" with `WWW-Authenticate: Bearer
//! realm="api"`. The refresh token is recorded as outstanding by its `jti`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::field_info;
use crate::accounts::jwt_views::token_view;
use crate::accounts::{credentials, login_identity};
use crate::audit;
use crate::auth::jwt::errors::no_active_account;
use crate::auth::jwt::{now, tokens};
use crate::http::endpoint::{Endpoint, Throttle};
use crate::http::endpoint_doc::{Answer, Doc};
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};

/// A login endpoint: the login throttles apply, as on the DRF token logins.
pub(crate) fn endpoint() -> Endpoint {
    token_view("Token Obtain Pair", handle)
        .documented(Doc::account(Answer::Strings(&["refresh", "access"])))
        .describe(
            "Takes a set of user credentials and returns an access and refresh JSON web\n\
             token pair to prove the authentication of those credentials.",
        )
        .throttle(Throttle::Login)
        .actions(actions)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let (username, password) =
        credentials::login_fields(&req, login_identity::username_key(req.state.config()))?;
    let (Some(username), Some(password)) = (username, password) else {
        return Err(no_active_account().into());
    };
    let user = credentials::authenticate(&req.state, &username, &password).await?;
    audit::events::login(&req, "jwt_create", &username, user.as_ref()).await;
    let user = user.ok_or_else(no_active_account)?;
    let state = &req.state;
    let pair = tokens::obtain_pair(state, &user, now()).await?;
    audit::events::refresh_issued(&req, &user, &pair.jti, pair.epoch).await;
    let body = json!({ "refresh": pair.refresh, "access": pair.access });
    if state.jwt().config().update_last_login {
        state.store().accounts().touch_last_login(user.id).await?;
    }
    Ok(json_response(StatusCode::OK, &body))
}

fn actions(config: &crate::config::Config) -> Value {
    // simplejwt's `username_field` is a `CharField` labelled from the model field's name.
    let (key, label) = match config.user_model.username_field {
        crate::config::LoginField::Username => ("username", "Username"),
        crate::config::LoginField::Email => ("email", "Email"),
    };
    json!({ "POST": {
        key: field_info("string", label, true, false, Value::Null),
        "password": field_info("string", "Password", true, false, Value::Null),
    }})
}
