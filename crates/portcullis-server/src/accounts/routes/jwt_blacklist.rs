//! `POST /api/token/blacklist/` (simplejwt's `TokenBlacklistView`): a client's logout. A valid
//! refresh token is blacklisted by its `jti` → `{}`; a token already blacklisted is
//! "Token is blacklisted" (401), any other invalid token simplejwt's 401.
//!
//! The token's user is not consulted: blacklisting only ever takes access away, so a client
//! logging out the token of a since-deactivated account still gets its `{}`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::field_info;
use crate::accounts::jwt_views::{refresh_from_body, token_view};
use crate::audit::{self, Event};
use crate::auth::jwt::tokens;
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Answer, Doc};
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    token_view("Token Blacklist", handle)
        .documented(Doc::account(Answer::EmptyObject))
        .describe(
            "Takes a token and blacklists it. Must be used with the\n\
             `rest_framework_simplejwt.token_blacklist` app installed.",
        )
        .actions(actions)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let (token, now) = refresh_from_body(&req).await?;
    let state = &req.state;
    let owner = match tokens::claimed_user(state, &token.claims).await? {
        tokens::Claimed::User(id) => Some(id),
        _ => None,
    };
    // simplejwt's get_or_create: blacklisting twice at once is still one blacklisting.
    let blacklisted = state
        .store()
        .tokens()
        .jwt_blacklist(&token.jti, owner, token.exp)
        .await?;
    if blacklisted {
        let detail = json!({ "kind": "jwt", "via": "blacklist" });
        audit::record(&req, Event::TokenRevoked, owner, "", detail).await;
    }
    tokens::purge_expired(state, now).await?;
    Ok(json_response(StatusCode::OK, &json!({})))
}

fn actions(_: &crate::config::Config) -> Value {
    json!({ "POST": {
        "refresh": field_info("string", "Refresh", true, false, Value::Null),
    }})
}
