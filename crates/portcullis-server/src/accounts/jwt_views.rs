//! What simplejwt's token views share (`TokenViewBase`): their declaration — no authentication,
//! no permissions, DRF's default renderers and parsers, and their own `Bearer` challenge — and
//! the `refresh` field that the refresh and blacklist views read.

use axum::http::Method;
use axum::response::Response;
use std::future::Future;

use crate::auth::jwt::errors::TokenError;
use crate::auth::jwt::{now, tokens};
use crate::http::endpoint::{Authentication, Endpoint, Permission};
use crate::http::{ApiError, ApiRequest};
use crate::serializer::{CharField, Errors, root_object};

/// A simplejwt token view: `POST` only, `authentication_classes = ()`,
/// `permission_classes = ()`.
pub(crate) fn token_view<F, Fut>(name: &'static str, handler: F) -> Endpoint
where
    F: Fn(ApiRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Response, ApiError>> + Send + 'static,
{
    Endpoint::new(name, &[Method::POST], handler)
        .authentication(Authentication::JwtTokenView)
        .permission(Permission::AllowAny)
}

/// The `refresh` field of a body, validated as a refresh token (simplejwt's
/// `TokenRefreshSerializer` and `TokenBlacklistSerializer`), with the time it was checked at.
pub(crate) async fn refresh_from_body(
    req: &ApiRequest,
) -> Result<(tokens::Validated, i64), ApiError> {
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    let field = CharField::default();
    let raw = errors.take("refresh", field.validate(data, "refresh", false));
    errors.check()?;
    let raw = raw.and_then(|r| r.into_option()).unwrap_or_default();
    let now = now();
    let token = tokens::validate(
        &req.state,
        raw.as_bytes(),
        tokens::TokenKind::Refresh,
        now,
        TokenError::on_token_view,
    )
    .await?;
    Ok((token, now))
}
