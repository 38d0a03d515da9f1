//! `POST /auth/token/logout/`: djoser's `TokenDestroyView` deletes the user's token; the next
//! login creates a new one.

use std::borrow::Cow;

use axum::http::Method;

use crate::http::body::DEFAULT_PARSES;
use crate::http::json::no_content;
use crate::http::view::{Throttle, View, ViewFuture, ViewSpec};
use crate::http::{ApiError, ApiRequest};

pub struct TokenLogout;

static SPEC: ViewSpec = ViewSpec {
    name: Cow::Borrowed("Token Destroy"),
    methods: &[Method::POST],
    browsable: true,
    authenticate: true,
    www_authenticate: Some("Token"),
    parses: DEFAULT_PARSES,
    throttle: Throttle::Default,
};

impl View for TokenLogout {
    fn spec(&self) -> &ViewSpec {
        &SPEC
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let user = req.require_user()?;
            req.state
                .store()
                .token_delete(user.id)
                .await
                .map_err(ApiError::from)?;
            Ok(no_content())
        })
    }
}
