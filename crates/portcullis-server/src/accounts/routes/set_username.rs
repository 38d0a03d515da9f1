//! `POST /auth/users/set_username/`: djoser's `SetUsernameSerializer` — `new_username` with the
//! rules of a new user's name (Django's validators, unique, at most 150 characters) and the
//! user's `current_password`; all field errors together, then 204. A wrong `current_password`
//! counts as a failed login of the account (see `credentials::check_current_password`).

use axum::http::Method;
use axum::response::Response;

use crate::accounts::{credentials, user_fields};
use crate::http::endpoint::Endpoint;
use crate::http::json::no_content;
use crate::http::{ApiError, ApiRequest};
use crate::serializer::{CharField, Errors, root_object};
use crate::store::StoreError;

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    Endpoint::new("Set username", &[Method::POST], handle)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let user = req.require_user()?.clone();
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    let new = user_fields::username_field(&req.state, data, "new_username").await?;
    let new = errors.take("new_username", new);
    // Portcullis compares passwords exactly as sent (djoser trims them).
    let field = CharField {
        trim_whitespace: false,
        ..CharField::default()
    };
    match field.validate(data, "current_password", false) {
        Ok(current) => {
            let current = current.into_option().unwrap_or_default();
            if !credentials::check_current_password(&req.state, &user, &current).await? {
                errors.add("current_password", vec!["Invalid password.".into()]);
            }
        }
        Err(messages) => errors.add("current_password", messages),
    }
    errors.check()?;
    let Some(new) = new else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "validated field missing"
        )));
    };
    match req.state.store().set_username(user.id, &new).await {
        Ok(()) => Ok(no_content()),
        // Lost a race with a registration of the same name.
        Err(StoreError::UsernameTaken) => Err(ApiError::field("new_username", user_fields::TAKEN)),
        Err(e) => Err(e.into()),
    }
}
