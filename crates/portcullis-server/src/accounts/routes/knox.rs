//! django-rest-knox's three views (`knox.urls`): `login/` as knox documents it for a token API
//! (a `LoginView` subclass validating DRF's `AuthTokenSerializer`, `AllowAny`), answering
//! `{"expiry", "token"}` and, with `USER_SERIALIZER`, `"user"`; `logout/` deleting the token
//! that authenticated the request; `logoutall/` deleting every knox token of the user. The two
//! logout views authenticate with knox's class alone, as knox declares them.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::field_info;
use crate::accounts::credentials;
use crate::accounts::djoser_serializers::Which;
use crate::accounts::user_serializer::user_body;
use crate::audit::{self, Event};
use crate::auth::{Credential, knox};
use crate::http::endpoint::{Authentication, Endpoint, Permission, Throttle};
use crate::http::endpoint_doc::{Answer, Doc, Takes};
use crate::http::json::{json_response, no_content};
use crate::http::{ApiError, ApiRequest};
use crate::store::User;
use crate::store::timestamp::{to_db, to_drf};

/// knox's 403 when the user already holds `TOKEN_LIMIT_PER_USER` unexpired tokens.
const LIMIT_EXCEEDED: &str = "Maximum amount of tokens allowed per user exceeded.";

/// `login/`, declared. Its body is `AuthTokenSerializer`'s, which the view validates itself
/// (OPTIONS shows no `actions`, as for knox's `APIView`).
pub(crate) fn login() -> Endpoint {
    let takes = Takes::Described(Arc::new(|| {
        json!({
            "username": field_info("string", "Username", true, false, Value::Null),
            "password": field_info("string", "Password", true, false, Value::Null),
        })
    }));
    Endpoint::new("Login", &[Method::POST], handle_login)
        .documented(Doc::Account(Answer::Strings(&["expiry", "token"]), takes))
        .permission(Permission::AllowAny)
        .throttle(Throttle::Login)
}

/// `logout/`, declared.
pub(crate) fn logout() -> Endpoint {
    Endpoint::new("Logout", &[Method::POST], handle_logout)
        .documented(Doc::Account(Answer::NoContent, Takes::Nothing))
        .authentication(Authentication::Knox)
}

/// `logoutall/`, declared (knox's docstring is its description).
pub(crate) fn logout_all() -> Endpoint {
    Endpoint::new("Logout All", &[Method::POST], handle_logout_all)
        .documented(Doc::Account(Answer::NoContent, Takes::Nothing))
        .authentication(Authentication::Knox)
        .describe("Log the user out of all sessions\nI.E. deletes all auth tokens for the user")
}

async fn handle_login(req: ApiRequest) -> Result<Response, ApiError> {
    let (username, password) = credentials::login_fields(&req, "username")?;
    let (Some(username), Some(password)) = (username, password) else {
        return Err(ApiError::non_field(
            "Must include \"username\" and \"password\".",
        ));
    };
    let user = credentials::authenticate(&req.state, &username, &password).await?;
    audit::events::login(&req, "knox_login", &username, user.as_ref()).await;
    let Some(user) = user else {
        return Err(ApiError::non_field(
            "Unable to log in with provided credentials.",
        ));
    };
    let config = &req.state.config().knox;
    let now = OffsetDateTime::now_utc();
    let (token, stored) = knox::new_token(config, user.id, now);
    let created = req
        .state
        .store()
        .knox()
        .knox_create(&stored, config.token_limit_per_user, &to_db(now))
        .await?;
    if !created {
        let body = json!({ "error": LIMIT_EXCEEDED });
        return Ok(json_response(StatusCode::FORBIDDEN, &body));
    }
    audit::events::knox_issued(&req, &user, &stored.digest).await;
    // knox sends `user_logged_in`, whose receiver records `last_login`.
    req.state
        .store()
        .accounts()
        .touch_last_login(user.id)
        .await?;
    let mut body = Map::new();
    body.insert("expiry".into(), json!(stored.expiry.as_deref().map(to_drf)));
    body.insert("token".into(), json!(token));
    if let Some(which) = user_serializer(&req) {
        body.insert("user".into(), rendered_user(&req, which, &user).await?);
    }
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}

/// knox's `USER_SERIALIZER`, as the djoser serializer it names.
fn user_serializer(req: &ApiRequest) -> Option<Which> {
    match req.state.config().knox.user_serializer.as_deref()? {
        "current_user" => Some(Which::CurrentUser),
        _ => Some(Which::User),
    }
}

/// The user as the serializer renders it after the login (its new `last_login` included).
async fn rendered_user(req: &ApiRequest, which: Which, user: &User) -> Result<Value, ApiError> {
    let fresh = req.state.store().accounts().user_by_id(user.id).await?;
    let user = fresh.as_ref().unwrap_or(user);
    Ok(user_body(&req.state, which, user).await?)
}

async fn handle_logout(req: ApiRequest) -> Result<Response, ApiError> {
    let user = req.require_user()?;
    if let Some(Credential::Knox { digest }) = req.principal.as_ref().map(|p| &p.credential) {
        let deleted = req
            .state
            .store()
            .knox()
            .knox_delete(user.id, digest)
            .await?;
        if deleted {
            audit::events::own(&req, Event::Logout, json!({ "kind": "knox" })).await;
        }
    }
    Ok(no_content())
}

async fn handle_logout_all(req: ApiRequest) -> Result<Response, ApiError> {
    let user = req.require_user()?;
    let deleted = req.state.store().knox().knox_delete_all(user.id).await?;
    let detail = json!({ "kind": "knox", "tokens": deleted });
    audit::events::own(&req, Event::LogoutAll, detail).await;
    Ok(no_content())
}
