//! `POST /auth/jwt/verify/` (djoser) and `POST /api/token/verify/` (simplejwt):
//! `TokenVerifyView`. `{"token"}` → `{}` when the token is valid, whatever its type; 401 in
//! simplejwt's shape when not; 400 `{"non_field_errors": ["Token is blacklisted"]}` for a
//! blacklisted refresh token, as simplejwt answers it.
//!
//! Beyond simplejwt, which only looks at the token: a token whose user is gone, inactive, or has
//! revoked it with logout-all is not valid either — every other endpoint would refuse it, so
//! saying 200 would be a lie.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::field_info;
use crate::accounts::jwt_views::token_view;
use crate::auth::jwt::errors::{self as jwt_errors, TokenError};
use crate::auth::jwt::now;
use crate::auth::jwt::tokens::{self, TokenKind, TokenUser};
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Answer, Doc};
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};
use crate::serializer::{CharField, Errors, root_object};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    token_view("Token Verify", handle)
        .documented(Doc::account(Answer::EmptyObject))
        .describe(
            "Takes a token and indicates if it is valid.  This view provides no\n\
             information about a token's fitness for a particular use.",
        )
        .actions(actions)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    let raw = errors.take("token", CharField::default().validate(data, "token", false));
    errors.check()?;
    let raw = raw.and_then(|r| r.into_option()).unwrap_or_default();
    let state = &req.state;
    let token = tokens::validate(
        state,
        raw.as_bytes(),
        TokenKind::Untyped,
        now(),
        TokenError::on_token_view,
    )
    .await?;
    // simplejwt checks the blacklist for any token type here (an access token's jti is
    // simply never on it).
    if state
        .store()
        .tokens()
        .jwt_is_blacklisted(&token.jti)
        .await?
    {
        return Err(jwt_errors::verify_blacklisted().into());
    }
    match tokens::token_user(state, &token.claims).await? {
        TokenUser::Active(_) => {}
        TokenUser::NoClaim => return Err(jwt_errors::no_user_claim().into()),
        TokenUser::NotFound | TokenUser::Inactive => {
            return Err(jwt_errors::no_active_account_for_token().into());
        }
        TokenUser::Revoked => return Err(jwt_errors::verify_blacklisted().into()),
    }
    Ok(json_response(StatusCode::OK, &json!({})))
}

fn actions(_: &crate::config::Config) -> Value {
    json!({ "POST": {
        "token": field_info("string", "Token", true, false, Value::Null),
    }})
}
