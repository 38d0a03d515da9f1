//! `POST /auth/users/set_username/` (`set_email/` for a model that logs in with its email):
//! djoser's `SetUsernameSerializer` — `new_<LOGIN_FIELD>` with the rules of a new user's name
//! (Django's validators, unique, at most 150 characters; or the model's unique `EmailField`),
//! `re_new_<LOGIN_FIELD>` with `SET_USERNAME_RETYPE`, and the user's `current_password`; all
//! field errors together, then 204. A wrong `current_password` counts as a failed login of the
//! account (see `credentials::check_current_password`).

use axum::http::Method;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::accounts::user_serializer::user_serializer_info;
use crate::accounts::{credentials, email_flows, login_identity, user_fields};
use crate::audit::{self, Event};
use crate::config::LoginField;
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Answer, Doc, Takes};
use crate::http::json::no_content;
use crate::http::{ApiError, ApiRequest};
use crate::mail::djoser_mails::Kind;
use crate::serializer::{CharField, Errors, root_object};
use crate::state::AppState;
use crate::store::StoreError;

/// This endpoint, declared (DRF names an extra action after its method, `set_username`,
/// whatever its URL).
pub(crate) fn endpoint() -> Endpoint {
    // OPTIONS describes djoser's fallback serializer (`SERIALIZERS.user`): `get_serializer_class`
    // knows no `metadata` action.
    Endpoint::new("Set username", &[Method::POST], handle)
        .documented(Doc::Account(
            Answer::NoContent,
            Takes::Serializer(super::doc_serializers::set_username),
        ))
        .actions(|config| json!({ "POST": user_serializer_info(config) }))
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let user = req.require_user()?.clone();
    let config = req.state.config();
    let data = req.data()?;
    let data = root_object(&data)?;
    let login = config.djoser.login_field(&config.user_model);
    if login != config.user_model.username_field {
        // djoser saves `new_<LOGIN_FIELD>` into `USERNAME_FIELD` as well: with the email as
        // LOGIN_FIELD on Django's `User`, the username would become the email. Not reproduced:
        // the field a user logs in with is never changed through the other's endpoint.
        return Err(ApiError::non_field("Unable to change the login field."));
    }
    let key = format!("new_{}", login.name());
    let mut errors = Errors::default();
    // djoser's `SetUsernameSerializer` lists `current_password` first (`Meta.fields` is
    // `(LOGIN_FIELD, "current_password")` and its `__init__` moves the login field to the end
    // as `new_<LOGIN_FIELD>`), so its error comes first in `serializer.errors`.
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
    let new = new_value(&req.state, data, login, &key).await?;
    let new = errors.take(&key, new);
    let retyped = config
        .djoser
        .set_username_retype
        .then(|| retyped(data, login, &mut errors));
    errors.check()?;
    let Some(new) = new else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "validated field missing"
        )));
    };
    same_twice(retyped, &new, login)?;
    let answer = store(&req.state, user.id, login, &key, &new).await?;
    let detail = json!({ "field": login.name(), "new": new });
    audit::events::own(&req, Event::UsernameChanged, detail).await;
    if config.djoser.username_changed_email_confirmation {
        email_flows::send(&req, Kind::UsernameChangedConfirmation, &user);
    }
    Ok(answer)
}

/// `re_new_<LOGIN_FIELD>` of djoser's `UsernameRetypeSerializer` (a plain `CharField`), its
/// errors under its key.
pub(crate) fn retyped(
    data: &Map<String, Value>,
    login: LoginField,
    errors: &mut Errors,
) -> Option<String> {
    let key = format!("re_new_{}", login.name());
    errors
        .take(&key, CharField::default().validate(data, &key, false))
        .and_then(|r| r.into_option())
}

/// `UsernameRetypeSerializer.validate`, after the fields passed: the retyped value (when the
/// setting asks for one) must be the new one (djoser: `if new_username !=
/// attrs[f"re_new_{settings.LOGIN_FIELD}"]: self.fail("username_mismatch")`).
pub(crate) fn same_twice(
    retyped: Option<Option<String>>,
    new: &str,
    login: LoginField,
) -> Result<(), ApiError> {
    match retyped {
        Some(retyped) if retyped.as_deref() != Some(new) => Err(ApiError::non_field(&format!(
            "The two {} fields didn't match.",
            login.name()
        ))),
        _ => Ok(()),
    }
}

/// The new value, validated as the model's field is.
pub(crate) async fn new_value(
    state: &AppState,
    data: &Map<String, Value>,
    login: LoginField,
    key: &str,
) -> Result<Result<String, Vec<String>>, ApiError> {
    match login {
        LoginField::Username => user_fields::username_field(state, data, key).await,
        LoginField::Email => login_identity::new_email(state, data, key).await,
    }
}

pub(crate) async fn store(
    state: &AppState,
    id: i64,
    login: LoginField,
    key: &str,
    new: &str,
) -> Result<Response, ApiError> {
    let (done, taken) = match login {
        LoginField::Username => (
            state.store().accounts().set_username(id, new).await,
            user_fields::TAKEN,
        ),
        // A model's `save()` does not normalize: the email is stored as sent.
        LoginField::Email => (
            state.store().accounts().set_login_email(id, new).await,
            login_identity::EMAIL_TAKEN,
        ),
    };
    match done {
        Ok(()) => Ok(no_content()),
        // Lost a race with a registration of the same name.
        Err(StoreError::UsernameTaken) => Err(ApiError::field(key, taken)),
        Err(e) => Err(e.into()),
    }
}
