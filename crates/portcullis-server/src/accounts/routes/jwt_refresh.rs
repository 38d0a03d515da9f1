//! `POST /auth/jwt/refresh/` (djoser) and `POST /api/token/refresh/` (simplejwt):
//! `TokenRefreshView`. A refresh token → `{"access"}`, and with `rotate_refresh_tokens` also a
//! new `"refresh"`; with `blacklist_after_rotation` the token given can never be used again
//! ("Token is blacklisted"). The blacklisting and the recording of the new token are one
//! transaction, so two concurrent refreshes with the same token cannot both succeed (simplejwt
//! checks, then writes, and lets both through).
//!
//! Where simplejwt answers 500 — a refresh token whose user was deleted, or whose user id is not
//! a number — Portcullis answers the 401 simplejwt gives an inactive user; a token without a user
//! id, which simplejwt happily refreshes into more tokens without a user, is refused.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::field_info;
use crate::accounts::jwt_views::{refresh_from_body, token_view};
use crate::audit;
use crate::auth::jwt::EPOCH_CLAIM;
use crate::auth::jwt::errors::{self as jwt_errors, TokenError};
use crate::auth::jwt::tokens::{self, TokenUser};
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Answer, Doc};
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    token_view("Token Refresh", handle)
        .documented(Doc::account(Answer::Strings(&["access"])))
        .describe(
            "Takes a refresh type JSON web token and returns an access type JSON web\n\
             token if the refresh token is valid.",
        )
        .actions(actions)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let (token, now) = refresh_from_body(&req).await?;
    let state = &req.state;
    let user = match tokens::token_user(state, &token.claims).await? {
        TokenUser::Active(user) => user,
        TokenUser::NoClaim => return Err(jwt_errors::no_user_claim().into()),
        TokenUser::NotFound | TokenUser::Inactive => {
            return Err(jwt_errors::no_active_account_for_token().into());
        }
        TokenUser::Revoked => return Err(TokenError::Blacklisted.on_token_view().into()),
    };
    // "Last used" of this refresh session (at most once a minute, off the request's path).
    state.audit().used("jwt", &token.jti);
    let mut body = Map::new();
    let access = tokens::access_from_refresh(state, &token.claims, now);
    body.insert("access".into(), tokens::sign(state, &access)?.into());
    let config = state.jwt().config();
    if config.rotate_refresh_tokens {
        let mut refresh = token.claims.clone();
        tokens::rotate(state, &mut refresh, now);
        let new_jti = refresh.str(&config.jti_claim).unwrap_or_default();
        let new_exp = now.saturating_add_unsigned(config.refresh_token_lifetime);
        let rotated = state
            .store()
            .tokens()
            .jwt_rotate(
                (&token.jti, token.exp),
                (new_jti, new_exp),
                user.id,
                config.blacklist_after_rotation,
            )
            .await?;
        if !rotated {
            // Another request rotated this very token since it was validated.
            return Err(TokenError::Blacklisted.on_token_view().into());
        }
        body.insert("refresh".into(), tokens::sign(state, &refresh)?.into());
        let epoch = token
            .claims
            .get(EPOCH_CLAIM)
            .and_then(Value::as_i64)
            .unwrap_or(0);
        audit::events::refresh_issued(&req, &user, new_jti, epoch).await;
    }
    tokens::purge_expired(state, now).await?;
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}

fn actions(_: &crate::config::Config) -> Value {
    json!({ "POST": {
        "refresh": field_info("string", "Refresh", true, false, Value::Null),
        "access": field_info("string", "Access", false, true, Value::Null),
    }})
}
