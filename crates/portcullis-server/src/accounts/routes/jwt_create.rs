//! `POST /auth/jwt/create/` (djoser) and `POST /api/token/` (simplejwt): `TokenObtainPairView`.
//! Username and password → `{"refresh", "access"}`; any failure to log in is simplejwt's 401
//! "No active account found with the given credentials" with `WWW-Authenticate: Bearer
//! realm="api"`. The refresh token is recorded as outstanding by its `jti`.

use std::borrow::Cow;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::field_info;
use crate::accounts::credentials;
use crate::auth::jwt::errors::no_active_account;
use crate::auth::jwt::{now, tokens};
use crate::http::ApiRequest;
use crate::http::body::DEFAULT_PARSES;
use crate::http::json::json_response;
use crate::http::view::{CheckFuture, Throttle, View, ViewFuture, ViewSpec};

pub struct JwtCreate;

/// simplejwt's token views: `authentication_classes = ()`, `permission_classes = ()`, DRF's
/// default renderers and parsers, and their own challenge.
pub(crate) const fn token_view_spec(name: &'static str, throttle: Throttle) -> ViewSpec {
    ViewSpec {
        name: Cow::Borrowed(name),
        methods: &[Method::POST],
        browsable: true,
        authenticate: false,
        www_authenticate: Some("Bearer realm=\"api\""),
        parses: DEFAULT_PARSES,
        throttle,
    }
}

/// A login endpoint: the login throttles apply, as on the DRF token logins.
static SPEC: ViewSpec = token_view_spec("Token Obtain Pair", Throttle::Login);

/// The `refresh` field of a body, validated as a refresh token (simplejwt's
/// `TokenRefreshSerializer` and `TokenBlacklistSerializer`), with the time it was checked at.
pub(crate) async fn refresh_from_body(
    req: &ApiRequest,
) -> Result<(tokens::Validated, i64), crate::http::ApiError> {
    let data = req.data()?;
    let data = crate::serializer::root_object(&data)?;
    let mut errors = crate::serializer::Errors::default();
    let field = crate::serializer::CharField::default();
    let raw = errors.take("refresh", field.validate(data, "refresh", false));
    errors.check()?;
    let raw = raw.and_then(|r| r.into_option()).unwrap_or_default();
    let now = now();
    let token = tokens::validate(
        &req.state,
        raw.as_bytes(),
        tokens::TokenKind::Refresh,
        now,
        crate::auth::jwt::errors::TokenError::on_token_view,
    )
    .await?;
    Ok((token, now))
}

/// `permission_classes = ()` of every simplejwt token view.
pub(crate) fn allow_any<'a>() -> CheckFuture<'a> {
    Box::pin(async { Ok(()) })
}

impl View for JwtCreate {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn check_permissions<'a>(&'a self, _req: &'a ApiRequest) -> CheckFuture<'a> {
        allow_any()
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let (username, password) = credentials::login_fields(&req)?;
            let (Some(username), Some(password)) = (username, password) else {
                return Err(no_active_account());
            };
            let user = credentials::authenticate(&req.state, &username, &password)
                .await?
                .ok_or_else(no_active_account)?;
            let state = &req.state;
            let (refresh, access) = tokens::obtain_pair(state, user.id, now()).await?;
            let body = json!({ "refresh": refresh, "access": access });
            if state.jwt().config().update_last_login {
                state.store().touch_last_login(user.id).await?;
            }
            Ok(json_response(StatusCode::OK, &body))
        })
    }

    fn metadata_actions(&self, _req: &ApiRequest) -> Option<Value> {
        Some(json!({ "POST": {
            "username": field_info("string", "Username", true, false, Value::Null),
            "password": field_info("string", "Password", true, false, Value::Null),
        }}))
    }
}
