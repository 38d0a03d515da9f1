//! `POST /auth/jwt/create/` (djoser) and `POST /api/token/` (simplejwt): `TokenObtainPairView`.
//! Username and password → `{"refresh", "access"}`; any failure to log in is simplejwt's 401
//! "No active account found with the given credentials" with `WWW-Authenticate: Bearer
//! realm="api"`. The refresh token is recorded as outstanding by its `jti`.

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
use crate::serializer::{CharField, Errors, root_object};

pub struct JwtCreate;

/// simplejwt's token views: `authentication_classes = ()`, `permission_classes = ()`, DRF's
/// default renderers and parsers, and their own challenge.
pub(crate) const fn token_view_spec(name: &'static str, throttle: Throttle) -> ViewSpec {
    ViewSpec {
        name,
        methods: &[Method::POST],
        browsable: true,
        authenticate: false,
        www_authenticate: Some("Bearer realm=\"api\""),
        parses: DEFAULT_PARSES,
        throttle,
    }
}

/// A login endpoint: the login throttles apply, as on the DRF token logins.
const SPEC: ViewSpec = token_view_spec("Token Obtain Pair", Throttle::Login);

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
            let data = req.data()?;
            let data = root_object(&data)?;
            let mut errors = Errors::default();
            let username = errors.take(
                "username",
                CharField::default().validate(data, "username", false),
            );
            // simplejwt's PasswordField trims; Portcullis compares passwords exactly as sent.
            let password_field = CharField {
                trim_whitespace: false,
                ..CharField::default()
            };
            let password =
                errors.take("password", password_field.validate(data, "password", false));
            errors.check()?;
            let (Some(username), Some(password)) = (
                username.and_then(|u| u.into_option()),
                password.and_then(|p| p.into_option()),
            ) else {
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
