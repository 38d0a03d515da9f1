//! `/auth/users/`: djoser's user list (HIDE_USERS: a non-staff user sees only itself) and
//! registration (`UserCreateSerializer`: Django's username and email validators, then Django's
//! four password validators; the DRF token is created in the same transaction as the user).

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::accounts::djoser_serializers::Which;
use crate::accounts::own_fields::OwnValues;
use crate::accounts::user_serializer::{
    own_rows, profile_input, user_body, user_json, user_serializer_info,
};
use crate::accounts::{email_flows, login_identity, new_password, user_fields};
use crate::config::Config;
use crate::http::endpoint::{CheckFuture, Endpoint, Permission};
use crate::http::endpoint_doc::{Answer, Doc};
use crate::http::json::json_response;
use crate::http::pagination::{Style, limit_offset, page_for, paginated};
use crate::http::{ApiError, ApiRequest};
use crate::mail::djoser_mails::Kind;
use crate::serializer::{CharField, Errors, root_object};
use crate::store::{NewUser, User, UserUpdate};
use portcullis_passwords::validation::UserAttributes;

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    Endpoint::new("User List", &[Method::GET, Method::POST], handle)
        .documented(Doc::account(Answer::Users))
        .permission(Permission::custom(registration_is_open))
        .actions(actions)
}

/// Registration is open to anyone; everything else needs a user.
fn registration_is_open(req: &ApiRequest) -> CheckFuture<'_> {
    let verdict = if req.method == Method::POST {
        Ok(())
    } else {
        req.require_user().map(|_| ())
    };
    Box::pin(std::future::ready(verdict))
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    if req.method == Method::POST {
        create(req).await
    } else {
        list(req).await
    }
}

fn actions(config: &Config) -> Value {
    json!({ "POST": user_serializer_info(config) })
}

/// djoser's `UserViewSet` takes DEFAULT_PAGINATION_CLASS like any view.
async fn list(req: ApiRequest) -> Result<axum::response::Response, ApiError> {
    let user = req.require_user()?;
    let only = (!user.is_staff).then_some(user.id);
    let store = req.state.store();
    let count = store.accounts().count_users(only).await?;
    let size = u64::from(req.state.config().page_size);
    let body = match req.state.config().pagination {
        Style::None => {
            let users = store.accounts().list_users(only, count.max(1), 0).await?;
            Value::Array(rendered(&req, &users).await?)
        }
        Style::LimitOffsetPagination => {
            let window = limit_offset::Window::from_request(&req, size);
            let users = if window.is_past_end(count) {
                Vec::new()
            } else {
                store
                    .accounts()
                    .list_users(only, window.limit, window.offset)
                    .await?
            };
            let results = rendered(&req, &users).await?;
            limit_offset::paginated(&req, window, count, results)
        }
        // DRF's cursor needs a `created` field the user model lacks (Django answers 500):
        // Portcullis pages the users by number instead.
        Style::PageNumberPagination | Style::CursorPagination => {
            let page = page_for(req.query("page").as_deref(), count, size)?;
            let users = store
                .accounts()
                .list_users(only, page.size, page.offset())
                .await?;
            let results = rendered(&req, &users).await?;
            paginated(&req, page, count, results)
        }
    };
    Ok(json_response(StatusCode::OK, &body))
}

/// A page of users by djoser's `user` serializer, their own fields read in one query.
async fn rendered(req: &ApiRequest, users: &[User]) -> Result<Vec<Value>, ApiError> {
    let rows = own_rows(&req.state, Which::User, users).await?;
    let shape = req.state.users();
    Ok(users
        .iter()
        .map(|u| user_json(shape, Which::User, u, rows.get(&u.id)))
        .collect())
}

async fn create(req: ApiRequest) -> Result<axum::response::Response, ApiError> {
    let config = req.state.config();
    let body = req.data()?;
    let data = root_object(&body)?;
    if login_identity::login_key(config) != login_identity::username_key(config) {
        // djoser's `UserCreateSerializer` carries `LOGIN_FIELD` but no `USERNAME_FIELD`, and
        // `create_user()` needs the latter: Django answers 500. Portcullis answers djoser's
        // own refusal to create the account instead.
        return Err(cannot_create());
    }
    let mut errors = Errors::default();
    let (profile, own) = other_fields(&req, data, body.is_form, &mut errors).await?;
    let username = if login_identity::email_is_username(config) {
        login_identity::new_email(&req.state, data, "email").await?
    } else {
        user_fields::new_username(&req.state, data).await?
    };
    let username = errors.take(login_identity::username_key(config), username);
    // Portcullis keeps the password exactly as sent (djoser trims it), and so the retyped one.
    let password_field = CharField {
        trim_whitespace: false,
        ..CharField::default()
    };
    let password = errors.take("password", password_field.validate(data, "password", false));
    let retyped = config
        .djoser
        .user_create_password_retype
        .then(|| {
            errors.take(
                "re_password",
                password_field.validate(data, "re_password", false),
            )
        })
        .map(|r| r.and_then(|p| p.into_option()));
    errors.check()?;
    let (Some(username), Some(password)) = (username, password.and_then(|p| p.into_option()))
    else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let mut new_user = new_user(config, username, profile, password);
    // The model's own fields: one row written in the user's transaction.
    let own_fields = &req.state.users().own;
    new_user.own = own_fields.table().map(|_| own_fields.row(own));
    let who = UserAttributes {
        // A model without a username has no such attribute to compare with.
        username: if login_identity::email_is_username(config) {
            ""
        } else {
            &new_user.username
        },
        first_name: &new_user.first_name,
        last_name: &new_user.last_name,
        email: &new_user.email,
    };
    new_password::validate("password", &new_user.password, &who)?;
    // djoser's UserCreatePasswordRetypeSerializer compares after the password validators.
    if let Some(retyped) = retyped
        && retyped.as_deref() != Some(new_user.password.as_str())
    {
        return Err(ApiError::Validation(json!({
            "non_field_errors": ["The two password fields didn't match."]
        })));
    }
    let user = match new_password::create_user(&req.state, new_user).await {
        // An email that differs from a taken one only in its domain's letter case passes DRF's
        // `UniqueValidator` (an exact match) and collides once normalized: djoser catches the
        // `IntegrityError` as "Unable to create account.".
        Err(ApiError::Validation(_)) if login_identity::email_is_username(config) => {
            return Err(cannot_create());
        }
        other => other?,
    };
    let body = user_body(&req.state, Which::UserCreate, &user).await?;
    if config.djoser.send_activation_email {
        email_flows::send(&req, Kind::Activation, &user);
    } else if config.djoser.send_confirmation_email {
        email_flows::send(&req, Kind::Confirmation, &user);
    }
    Ok(json_response(StatusCode::CREATED, &body))
}

/// The create serializer's fields besides the login field and the password (`REQUIRED_FIELDS`
/// with djoser's own), the model's own unique fields checked against the other users.
async fn other_fields(
    req: &ApiRequest,
    data: &Map<String, Value>,
    is_form: bool,
    errors: &mut Errors,
) -> Result<(UserUpdate, OwnValues), ApiError> {
    let shape = req.state.users();
    let which = Which::UserCreate;
    let (profile, own) = profile_input(shape, which, data, is_form, false, errors);
    (shape.own)
        .check_unique(req.state.store(), None, &own, errors)
        .await?;
    Ok((profile, own))
}

/// djoser's `CANNOT_CREATE_USER_ERROR`, raised from the serializer's `create()`, outside
/// validation: DRF renders that `ValidationError` as a bare list.
fn cannot_create() -> ApiError {
    ApiError::Validation(json!(["Unable to create account."]))
}

/// The active user `create_user()` makes of the validated fields: `name` is the username, or
/// the email of a model that logs in with it.
fn new_user(config: &Config, name: String, profile: UserUpdate, password: String) -> NewUser {
    let (username, email) = if login_identity::email_is_username(config) {
        // The manager's `create_user(email, ...)` normalizes the email; the store keeps it in
        // the unique username column too (see `login_identity`).
        let email = user_fields::normalize_email(&name);
        (email.clone(), email)
    } else {
        let email = user_fields::normalize_email(&profile.email.unwrap_or_default());
        (name, email)
    };
    NewUser {
        username,
        email,
        first_name: profile.first_name.unwrap_or_default(),
        last_name: profile.last_name.unwrap_or_default(),
        password,
        // djoser's `perform_create`: with SEND_ACTIVATION_EMAIL a user waits for activation.
        is_active: !config.djoser.send_activation_email,
        ..NewUser::default()
    }
}
