//! `POST /auth/logout_all/` (Portcullis only): log the user out everywhere. Every JWT issued to
//! the user so far — access and refresh, on every device — stops working at once (the user's
//! revocation epoch moves on), and the DRF token is deleted as `/auth/token/logout/` deletes it.
//! Authenticated with either kind of credential; 204, like djoser's token logout.

use std::borrow::Cow;

use axum::http::Method;

use crate::auth::jwt::revoke;
use crate::http::body::DEFAULT_PARSES;
use crate::http::json::no_content;
use crate::http::view::{Throttle, View, ViewFuture, ViewSpec};
use crate::http::{ApiError, ApiRequest};

pub struct LogoutAll;

static SPEC: ViewSpec = ViewSpec {
    name: Cow::Borrowed("Logout All"),
    methods: &[Method::POST],
    browsable: true,
    authenticate: true,
    www_authenticate: Some("Token"),
    parses: DEFAULT_PARSES,
    throttle: Throttle::Default,
};

impl View for LogoutAll {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let user = req.require_user()?;
            revoke::revoke_all(&req.state, user.id)
                .await
                .map_err(ApiError::from)?;
            Ok(no_content())
        })
    }
}
