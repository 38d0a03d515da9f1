//! djoser's `UserSerializer` as the project's user model shapes it: the model's
//! `REQUIRED_FIELDS` (`[user_model] required_fields`), then the id and the username (read-only
//! there: djoser changes it through `set_username` only). The same fields, writable, are what
//! registration and `PUT`/`PATCH /auth/users/me/` accept.

use serde_json::{Map, Value, json};

use super::routes::field_info;
use super::user_fields;
use crate::config::{UserField, UserModelConfig};
use crate::serializer::{CharField, Errors};
use crate::store::{User, UserUpdate};

/// The body of a user: `{"email", "id", "username"}` for Django's `User`.
pub(crate) fn user_json(model: &UserModelConfig, user: &User) -> Value {
    let mut body = Map::new();
    for field in &model.required_fields {
        let value = match field {
            UserField::Email => &user.email,
            UserField::FirstName => &user.first_name,
            UserField::LastName => &user.last_name,
        };
        body.insert(field.name().into(), json!(value));
    }
    body.insert("id".into(), json!(user.id));
    body.insert("username".into(), json!(user.username));
    Value::Object(body)
}

/// The `OPTIONS` metadata of the serializer.
pub(crate) fn user_serializer_info(model: &UserModelConfig) -> Value {
    let mut info = Map::new();
    for field in &model.required_fields {
        info.insert(field.name().into(), profile_field_info(*field));
    }
    info.insert(
        "id".into(),
        field_info("integer", "ID", false, true, Value::Null),
    );
    // A read-only field keeps its help text but, in DRF, not its max_length.
    info.insert(
        "username".into(),
        field_info(
            "string",
            "Username",
            false,
            true,
            json!({
                "help_text": "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."
            }),
        ),
    );
    Value::Object(info)
}

/// The OPTIONS metadata of one of `AbstractUser`'s profile fields (blank allowed, optional).
pub(crate) fn profile_field_info(field: UserField) -> Value {
    match field {
        UserField::Email => field_info(
            "email",
            "Email address",
            false,
            false,
            json!({"max_length": 254}),
        ),
        UserField::FirstName => field_info(
            "string",
            "First name",
            false,
            false,
            json!({"max_length": 150}),
        ),
        UserField::LastName => field_info(
            "string",
            "Last name",
            false,
            false,
            json!({"max_length": 150}),
        ),
    }
}

/// The writable fields of the serializer in a request body, validated (each may be blank, as
/// on `AbstractUser`), as a change to the user: `None` for a field absent from the body or not
/// in the model's `REQUIRED_FIELDS`. Errors go to `errors` under the field's name.
pub(crate) fn profile_input(
    model: &UserModelConfig,
    data: &Map<String, Value>,
    partial: bool,
    errors: &mut Errors,
) -> UserUpdate {
    let mut update = UserUpdate::default();
    for field in &model.required_fields {
        let key = field.name();
        match field {
            UserField::Email => {
                update.email = errors
                    .take(key, user_fields::email(data, partial))
                    .flatten();
            }
            UserField::FirstName => {
                update.first_name = errors.take(key, name(data, key, partial)).flatten()
            }
            UserField::LastName => {
                update.last_name = errors.take(key, name(data, key, partial)).flatten()
            }
        }
    }
    update
}

/// `first_name` or `last_name`: `CharField(max_length=150, blank=True)`; `None` when absent.
pub(crate) fn name(
    data: &Map<String, Value>,
    key: &str,
    partial: bool,
) -> Result<Option<String>, Vec<String>> {
    let field = CharField {
        allow_blank: true,
        max_length: Some(150),
        ..CharField::optional()
    };
    field
        .validate(data, key, partial)
        .map(|present| present.into_option())
}
