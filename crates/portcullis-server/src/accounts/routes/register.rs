//! Registration as the tutorials write it: a `CreateAPIView` on Django's `User` with a
//! `ModelSerializer` of the project's own (`[[urls]]` with `view = "CreateAPIView"` and
//! `model = "User"`). Its `Meta.fields`, a write-only password (the model's field, or a
//! `CharField` declared on the serializer), Django's password validators only when the field
//! names them, and `create()` calling `User.objects.create_user(**validated_data)`. The answer
//! is `serializer.data`, or `{"user": serializer.data, "token": token.key}`.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use portcullis_passwords::validation::validate_password;
use serde_json::{Map, Value, json};

use super::field_info;
use crate::accounts::user_serializer::{name, profile_field_info};
use crate::accounts::{credentials, new_password, user_fields};
use crate::config::UserField;
use crate::config::generic_views::RegisterView;
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Answer, Doc, Takes};
use crate::http::json::json_response;
use crate::http::{ApiError, ApiRequest};
use crate::resources::routes::generic::{may_write, permission};
use crate::serializer::{CharField, Errors, root_object};
use crate::store::{NewUser, User};

/// The endpoint of a registration view.
pub(crate) fn endpoint(view: &RegisterView) -> Endpoint {
    let view = Arc::new(view.clone());
    let handler_view = Arc::clone(&view);
    Endpoint::new(
        view.name.clone().unwrap_or_else(|| "Create User".into()),
        &[Method::POST],
        move |req| {
            let view = Arc::clone(&handler_view);
            async move { create(req, &view).await }
        },
    )
    .describe(view.description.clone().unwrap_or_default())
    .documented(Doc::Account(Answer::Registered, {
        let view = Arc::clone(&view);
        Takes::Described(Arc::new(move || serializer_info(&view)))
    }))
    .permission(permission(view.permissions.as_deref()))
    .checked_actions(move |req| {
        let view = Arc::clone(&view);
        Box::pin(async move {
            may_write(view.permissions.as_deref(), req.user())
                .then(|| json!({ "POST": serializer_info(&view) }))
        })
    })
}

fn has(view: &RegisterView, field: &str) -> bool {
    view.fields.iter().any(|f| f == field)
}

/// The password field: the model's `CharField(max_length=128)` or a declared `CharField()`;
/// both trim whitespace, as any DRF `CharField` does (djoser's does not).
fn password_field(view: &RegisterView) -> CharField {
    CharField {
        max_length: (!view.declared_password).then_some(128),
        ..CharField::default()
    }
}

async fn create(req: ApiRequest, view: &RegisterView) -> Result<Response, ApiError> {
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    let username = user_fields::new_username(&req.state, data).await?;
    let username = errors.take("username", username);
    let optional = |key: &str, errors: &mut Errors, value: Result<Option<String>, Vec<String>>| {
        if has(view, key) {
            errors.take(key, value).flatten()
        } else {
            None
        }
    };
    let email = optional("email", &mut errors, user_fields::email(data, false));
    let first_name = optional("first_name", &mut errors, name(data, "first_name", false));
    let last_name = optional("last_name", &mut errors, name(data, "last_name", false));
    let password = password_field(view)
        .validate(data, "password", false)
        .and_then(|present| {
            let password = present.into_option().unwrap_or_default();
            // `validators=[validate_password]` on the field: run without a user (the
            // field's validator sees none), so the similarity validator never applies.
            let problems = if view.password_validators {
                validate_password(&password, None)
            } else {
                Vec::new()
            };
            if problems.is_empty() {
                Ok(password)
            } else {
                Err(problems)
            }
        });
    let password = errors.take("password", password);
    errors.check()?;
    let (Some(username), Some(password)) = (username, password) else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let new_user = NewUser {
        username,
        // `create_user` normalizes the email as djoser's registration does.
        email: user_fields::normalize_email(&email.unwrap_or_default()),
        first_name: first_name.unwrap_or_default(),
        last_name: last_name.unwrap_or_default(),
        password,
        is_active: true,
        ..NewUser::default()
    };
    let user = new_password::create_user(&req.state, new_user).await?;
    let body = user_data(view, &user);
    let body = if view.with_token {
        // `Token.objects.get_or_create(user=user)`: the token stored with the user.
        let (token, created) = credentials::issue_token(&req.state, &user).await?;
        crate::audit::events::token_issued(&req, &user, &token, created).await;
        json!({ "user": body, "token": token })
    } else {
        body
    };
    Ok(json_response(StatusCode::CREATED, &body))
}

/// `serializer.data`: the listed fields but the write-only password.
fn user_data(view: &RegisterView, user: &User) -> Value {
    let mut body = Map::new();
    for field in &view.fields {
        let value = match field.as_str() {
            "id" => json!(user.id),
            "username" => json!(user.username),
            "email" => json!(user.email),
            "first_name" => json!(user.first_name),
            "last_name" => json!(user.last_name),
            _ => continue,
        };
        body.insert(field.clone(), value);
    }
    Value::Object(body)
}

/// The OPTIONS description of the serializer's fields.
fn serializer_info(view: &RegisterView) -> Value {
    let mut info = Map::new();
    for field in &view.fields {
        let value = match field.as_str() {
            "id" => field_info("integer", "ID", false, true, Value::Null),
            "username" => field_info(
                "string",
                "Username",
                true,
                false,
                // SimpleMetadata's attribute order: help_text before max_length.
                json!({
                    "help_text": "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                    "max_length": 150
                }),
            ),
            "password" if view.declared_password => {
                field_info("string", "Password", true, false, Value::Null)
            }
            "password" => field_info(
                "string",
                "Password",
                true,
                false,
                json!({"max_length": 128}),
            ),
            "email" => profile_field_info(UserField::Email),
            "first_name" => profile_field_info(UserField::FirstName),
            "last_name" => profile_field_info(UserField::LastName),
            _ => continue,
        };
        info.insert(field.clone(), value);
    }
    Value::Object(info)
}
