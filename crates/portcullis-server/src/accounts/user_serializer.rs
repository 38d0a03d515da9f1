//! djoser's `UserSerializer` as the project's user model shapes it: the model's
//! `REQUIRED_FIELDS` (`[user_model] required_fields`), then the id and djoser's `LOGIN_FIELD`
//! (the username, or the email of a model whose `USERNAME_FIELD` is the email; read-only there:
//! djoser changes it through `set_username` only). The same fields, writable but the login
//! field, are what `PUT`/`PATCH /auth/users/me/` accept.

use serde_json::{Map, Value, json};

use super::routes::field_info;
use super::user_fields;
use crate::config::{Config, LoginField, UserField};
use crate::serializer::{CharField, Errors};
use crate::store::{User, UserUpdate};

/// The body of a user: `{"email", "id", "username"}` for Django's `User`. The login field
/// comes after the id; when `REQUIRED_FIELDS` already lists it (`LOGIN_FIELD = "email"` on
/// Django's `User`), DRF's serializer keeps it once, in its first place.
pub(crate) fn user_json(config: &Config, user: &User) -> Value {
    let mut body = required_fields_json(config, user);
    body.insert("id".into(), json!(user.id));
    let (login, value) = login_json(config, user);
    body.insert(login.into(), value);
    Value::Object(body)
}

/// The body of a new user, as djoser's `UserCreateSerializer` writes it: its `fields` are
/// `REQUIRED_FIELDS + (LOGIN_FIELD, USER_ID_FIELD, "password")`, so the login field comes
/// *before* the id there (`{"email", "username", "id"}`), unlike `UserSerializer`'s.
pub(crate) fn created_user_json(config: &Config, user: &User) -> Value {
    let mut body = required_fields_json(config, user);
    let (login, value) = login_json(config, user);
    // Already in `REQUIRED_FIELDS`: the serializer keeps the field once, in its first place.
    body.entry(login).or_insert(value);
    body.insert("id".into(), json!(user.id));
    Value::Object(body)
}

/// The login field's name and value.
fn login_json(config: &Config, user: &User) -> (&'static str, Value) {
    let login = config.djoser.login_field(&config.user_model);
    let value = match login {
        LoginField::Username => &user.username,
        LoginField::Email => &user.email,
    };
    (login.name(), json!(value))
}

/// The model's `REQUIRED_FIELDS`, in their order.
fn required_fields_json(config: &Config, user: &User) -> Map<String, Value> {
    let mut body = Map::new();
    for field in &config.user_model.required_fields {
        let value = match field {
            UserField::Email => &user.email,
            UserField::FirstName => &user.first_name,
            UserField::LastName => &user.last_name,
        };
        body.insert(field.name().into(), json!(value));
    }
    body
}

/// The `OPTIONS` metadata of the serializer.
pub(crate) fn user_serializer_info(config: &Config) -> Value {
    let login = config.djoser.login_field(&config.user_model);
    let mut info = Map::new();
    for field in &config.user_model.required_fields {
        let shown = if field.name() == login.name() {
            login_field_info(login)
        } else {
            profile_field_info(*field)
        };
        info.insert(field.name().into(), shown);
    }
    info.insert(
        "id".into(),
        field_info("integer", "ID", false, true, Value::Null),
    );
    info.insert(login.name().into(), login_field_info(login));
    Value::Object(info)
}

/// The login field in `UserSerializer`'s `read_only_fields`: a read-only field keeps its help
/// text but, in DRF, not its max_length.
fn login_field_info(login: LoginField) -> Value {
    match login {
        LoginField::Username => field_info(
            "string",
            "Username",
            false,
            true,
            json!({
                "help_text": "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."
            }),
        ),
        LoginField::Email => field_info("email", "Email address", false, true, Value::Null),
    }
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
/// in the model's `REQUIRED_FIELDS`, and for the login field (read-only, as in djoser's
/// `UserSerializer`). Errors go to `errors` under the field's name.
pub(crate) fn profile_input(
    config: &Config,
    data: &Map<String, Value>,
    partial: bool,
    errors: &mut Errors,
) -> UserUpdate {
    let login = config.djoser.login_field(&config.user_model);
    let mut update = UserUpdate::default();
    for field in &config.user_model.required_fields {
        let key = field.name();
        if key == login.name() {
            continue;
        }
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
