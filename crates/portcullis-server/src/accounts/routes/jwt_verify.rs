//! `POST /auth/jwt/verify/` (djoser) and `POST /api/token/verify/` (simplejwt):
//! `TokenVerifyView`. `{"token"}` → `{}` when the token is valid, whatever its type; 401 in
//! simplejwt's shape when not; 400 `{"non_field_errors": ["Token is blacklisted"]}` for a
//! blacklisted refresh token, as simplejwt answers it.
//!
//! Beyond simplejwt, which only looks at the token: a token whose user is gone, inactive, or has
//! revoked it with logout-all is not valid either — every other endpoint would refuse it, so
//! saying 200 would be a lie.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::field_info;
use super::jwt_create::{allow_any, token_view_spec};
use crate::auth::jwt::errors::{self as jwt_errors, TokenError};
use crate::auth::jwt::now;
use crate::auth::jwt::tokens::{self, TokenKind, TokenUser};
use crate::http::ApiRequest;
use crate::http::json::json_response;
use crate::http::view::{CheckFuture, Throttle, View, ViewFuture, ViewSpec};
use crate::serializer::{CharField, Errors, root_object};

pub struct JwtVerify;

static SPEC: ViewSpec = token_view_spec("Token Verify", Throttle::Default);

impl View for JwtVerify {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn check_permissions<'a>(&'a self, _req: &'a ApiRequest) -> CheckFuture<'a> {
        allow_any()
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
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
            if state.store().jwt_is_blacklisted(&token.jti).await? {
                return Err(jwt_errors::verify_blacklisted());
            }
            match tokens::token_user(state, &token.claims).await? {
                TokenUser::Active(_) => {}
                TokenUser::NoClaim => return Err(jwt_errors::no_user_claim()),
                TokenUser::NotFound | TokenUser::Inactive => {
                    return Err(jwt_errors::no_active_account_for_token());
                }
                TokenUser::Revoked => return Err(jwt_errors::verify_blacklisted()),
            }
            Ok(json_response(StatusCode::OK, &json!({})))
        })
    }

    fn metadata_actions(&self, _req: &ApiRequest) -> Option<Value> {
        Some(json!({ "POST": {
            "token": field_info("string", "Token", true, false, Value::Null),
        }}))
    }
}
