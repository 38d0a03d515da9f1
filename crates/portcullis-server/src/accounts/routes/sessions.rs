//! `GET /auth/sessions/` and `DELETE /auth/sessions/<id>/` (Portcullis only): what signs the
//! caller in — its DRF token, its knox tokens (kind "knox") and its refresh tokens neither blacklisted, expired nor revoked by
//! a newer epoch — each with an opaque id, its kind, when it was created and last used, and the
//! client address and user agent it was issued to. Never a key, a token or its digest: the id
//! is a keyed digest of the session's reference, useful only to end it.
//!
//! Ending a session: the DRF token or the knox token is deleted (the authentication cache forgets it at once, as
//! on logout); a refresh token is blacklisted, so it refreshes nothing more (access tokens
//! already issued from it live out their short lifetime, as with simplejwt's blacklist).
//! Another user's session, or an unknown id, is DRF's 404.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use crate::audit::{self, Event};
use crate::auth::jwt::now;
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Doc, Own};
use crate::http::json::{json_response, no_content};
use crate::http::{ApiError, ApiRequest};
use crate::state::AppState;
use crate::store::audit::SessionRow;
use crate::store::timestamp::{to_db, to_drf};

/// The list, declared.
pub(crate) fn list() -> Endpoint {
    Endpoint::new("Session List", &[Method::GET], handle_list).documented(Doc::Own(Own::Sessions))
}

/// One session, declared.
pub(crate) fn detail() -> Endpoint {
    Endpoint::new("Session Instance", &[Method::DELETE], handle_delete)
        .documented(Doc::Own(Own::Session))
}

/// The opaque id of a session: 32 hex characters of a keyed digest of its kind and reference.
fn session_id(state: &AppState, row: &SessionRow) -> String {
    let digest = state
        .token_keys()
        .digest(&format!("session:{}:{}", row.kind, row.reference));
    digest.chars().take(32).collect()
}

fn session_json(state: &AppState, row: &SessionRow) -> Value {
    let expires = row
        .expires_at
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .map(|at| to_drf(&to_db(at)));
    json!({
        "id": session_id(state, row),
        "kind": row.kind,
        "created": to_drf(&row.created_at),
        "last_used": row.last_used_at.as_deref().map(to_drf),
        "expires": expires,
        "client_addr": row.client_addr,
        "user_agent": row.user_agent,
    })
}

async fn sessions_of(req: &ApiRequest) -> Result<(i64, Vec<SessionRow>), ApiError> {
    let user = req.require_user()?.id;
    // Whatever this instance queued (the client of a token just issued) is written first.
    req.state.audit().flush().await;
    let rows = req.state.store().audit().user_sessions(user, now()).await?;
    Ok((user, rows))
}

async fn handle_list(req: ApiRequest) -> Result<Response, ApiError> {
    let (_, rows) = sessions_of(&req).await?;
    let body: Vec<Value> = rows.iter().map(|r| session_json(&req.state, r)).collect();
    Ok(json_response(StatusCode::OK, &Value::Array(body)))
}

async fn handle_delete(req: ApiRequest) -> Result<Response, ApiError> {
    let id = req.param("id").unwrap_or_default().to_string();
    let (user, rows) = sessions_of(&req).await?;
    let Some(row) = rows.iter().find(|r| session_id(&req.state, r) == id) else {
        return Err(ApiError::NotFound("Not found.".into()));
    };
    let tokens = req.state.store().tokens();
    match (row.kind.as_str(), row.expires_at) {
        ("jwt", Some(exp)) => {
            tokens
                .jwt_blacklist(&row.reference, Some(user), exp)
                .await?;
        }
        ("knox", _) => {
            let knox = req.state.store().knox();
            knox.knox_delete(user, &row.reference).await?;
        }
        _ => {
            tokens.token_delete(user).await?;
        }
    }
    let detail = json!({ "kind": row.kind });
    audit::events::own(&req, Event::SessionEnded, detail).await;
    let detail = json!({ "kind": row.kind, "via": "session_delete" });
    audit::events::own(&req, Event::TokenRevoked, detail).await;
    Ok(no_content())
}
