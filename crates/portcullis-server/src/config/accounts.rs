//! `[user_model]` and `[djoser]`: the shape of the project's user model as djoser's serializers
//! see it (Django's `REQUIRED_FIELDS`), and djoser's settings that change the wire.

use serde::{Deserialize, Serialize};

/// A field a project can list in `REQUIRED_FIELDS`: one of `AbstractUser`'s, or a field of
/// the model's own (`[[user_model.fields]]`, named as declared).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(from = "String", into = "String")]
pub enum UserField {
    Email,
    FirstName,
    LastName,
    /// A field of the custom user model (checked against `[[user_model.fields]]`).
    Own(String),
}

impl UserField {
    pub(crate) fn name(&self) -> &str {
        match self {
            UserField::Email => "email",
            UserField::FirstName => "first_name",
            UserField::LastName => "last_name",
            UserField::Own(name) => name,
        }
    }
}

impl From<String> for UserField {
    fn from(name: String) -> UserField {
        match name.as_str() {
            "email" => UserField::Email,
            "first_name" => UserField::FirstName,
            "last_name" => UserField::LastName,
            _ => UserField::Own(name),
        }
    }
}

impl From<UserField> for String {
    fn from(field: UserField) -> String {
        field.name().to_string()
    }
}

/// The field a user logs in with: Django's `USERNAME_FIELD`, or djoser's `LOGIN_FIELD`.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LoginField {
    /// `AbstractUser.username`.
    #[default]
    Username,
    /// The email address.
    Email,
}

impl LoginField {
    pub(crate) fn name(self) -> &'static str {
        match self {
            LoginField::Username => "username",
            LoginField::Email => "email",
        }
    }
}

/// The user model, as `AUTH_USER_MODEL` declares it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct UserModelConfig {
    /// `REQUIRED_FIELDS`: the fields djoser's user serializers carry besides the id and the
    /// username, in this order (Django's `User` has `["email"]`). On `AbstractUser` each may be
    /// blank, so listing one makes it accepted and shown, not mandatory.
    pub required_fields: Vec<UserField>,
    /// `USERNAME_FIELD`: `"email"` for a model that logs in with a unique email and has no
    /// username (`username = None`). The store then keeps the email in the unique `username`
    /// column as well as in `email` (see `accounts::login_identity`).
    pub username_field: LoginField,
    /// The custom user model's own fields (`phone = models.CharField(...)` on a subclass of
    /// `AbstractUser`), each with the keys of a resource's field (`[[resources.fields]]`).
    /// Kept as written here and checked by `accounts::own_fields`.
    pub fields: Vec<serde_json::Value>,
}

impl Default for UserModelConfig {
    fn default() -> Self {
        UserModelConfig {
            required_fields: vec![UserField::Email],
            username_field: LoginField::Username,
            fields: Vec::new(),
        }
    }
}

/// djoser's `DJOSER` settings, under their names in lowercase.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct DjoserConfig {
    /// `USER_CREATE_PASSWORD_RETYPE`: registration also takes `re_password`, which must match.
    pub user_create_password_retype: bool,
    /// `LOGIN_FIELD` (default: the model's `USERNAME_FIELD`): the field djoser's token login
    /// reads and its user serializers show read-only; with `"email"` on Django's `User`, logins
    /// look the user up by email, as djoser's `LoginFieldBackend` does.
    pub login_field: Option<LoginField>,
    /// `SET_USERNAME_RETYPE`: `set_<USERNAME_FIELD>` also takes `re_new_<LOGIN_FIELD>`.
    pub set_username_retype: bool,
    /// `SERIALIZERS`: the project's own `user`, `current_user` and `user_create` serializers,
    /// each by its `Meta.fields` and `Meta.read_only_fields`.
    pub serializers: DjoserSerializers,
    /// `SEND_ACTIVATION_EMAIL`: a registered user is inactive until `activation`.
    pub send_activation_email: bool,
    /// `SEND_CONFIRMATION_EMAIL`: mail the user after registration (or activation).
    pub send_confirmation_email: bool,
    /// `PASSWORD_CHANGED_EMAIL_CONFIRMATION`: mail the user after a password change.
    pub password_changed_email_confirmation: bool,
    /// `USERNAME_CHANGED_EMAIL_CONFIRMATION`: mail the user after a username change.
    pub username_changed_email_confirmation: bool,
    /// `PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND`: `reset_password` answers 400 for an unknown email.
    pub password_reset_show_email_not_found: bool,
    /// `USERNAME_RESET_SHOW_EMAIL_NOT_FOUND`: the same for `reset_username` (djoser reads
    /// either setting for both views).
    pub username_reset_show_email_not_found: bool,
    /// `PASSWORD_RESET_CONFIRM_RETYPE`: `reset_password_confirm` also takes `re_new_password`.
    pub password_reset_confirm_retype: bool,
    /// `USERNAME_RESET_CONFIRM_RETYPE`: `reset_<USERNAME_FIELD>_confirm` also takes
    /// `re_new_<LOGIN_FIELD>`, which must match.
    pub username_reset_confirm_retype: bool,
    /// `SET_PASSWORD_RETYPE`: `set_password` also takes `re_new_password`, which must match.
    pub set_password_retype: bool,
    /// `LOGOUT_ON_PASSWORD_CHANGE`: `set_password` deletes the user's DRF token (djoser's
    /// `logout_user`).
    pub logout_on_password_change: bool,
    /// `TOKEN_MODEL`: DRF's `Token` (the default), or `"none"` for a project that signs in with
    /// JWTs alone (djoser's token URLs then cannot be mounted, and logging out deletes no token).
    pub token_model: TokenModel,
    /// `ACTIVATION_URL`, with `{uid}` and `{token}` (default the reference project's).
    pub activation_url: Option<String>,
    /// `PASSWORD_RESET_CONFIRM_URL`, with `{uid}` and `{token}`.
    pub password_reset_confirm_url: Option<String>,
    /// `USERNAME_RESET_CONFIRM_URL`, with `{uid}` and `{token}`.
    pub username_reset_confirm_url: Option<String>,
    /// `EMAIL_FRONTEND_DOMAIN` (or Django's `DOMAIN`): the links' host; the request's by default.
    pub domain: Option<String>,
    /// `EMAIL_FRONTEND_SITE_NAME` (or `SITE_NAME`): the name the mails sign with; the
    /// request's host by default.
    pub site_name: Option<String>,
    /// `EMAIL_FRONTEND_PROTOCOL`: the links' scheme; `http` by default.
    pub protocol: Option<String>,
    /// The replaced Django project's `SECRET_KEY`: the links it mailed keep working, and new
    /// ones are made with it. Portcullis's own secret when absent.
    pub django_secret_key: Option<String>,
    /// Django's `SECRET_KEY_FALLBACKS`: older keys whose links are still accepted.
    pub django_secret_key_fallbacks: Vec<String>,
    /// Django's `PASSWORD_RESET_TIMEOUT` in seconds (default three days).
    pub password_reset_timeout: Option<u64>,
}

/// djoser's `TOKEN_MODEL`.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub enum TokenModel {
    /// `rest_framework.authtoken.models.Token`.
    #[default]
    #[serde(rename = "rest_framework.authtoken.models.Token")]
    Authtoken,
    /// `None`: stateless tokens (JWT) only.
    #[serde(rename = "none")]
    None,
}

/// djoser's `SERIALIZERS` that change the user's fields; an absent one is djoser's own.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct DjoserSerializers {
    /// `user`: the user list and `/users/<id>/`.
    pub user: Option<UserSerializerConfig>,
    /// `current_user`: `/users/me/`.
    pub current_user: Option<UserSerializerConfig>,
    /// `user_create`: registration (`POST /users/`).
    pub user_create: Option<UserSerializerConfig>,
}

/// A subclass of djoser's serializer with its own `class Meta`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct UserSerializerConfig {
    /// `Meta.fields`, in the order they are rendered.
    pub fields: Vec<String>,
    /// `Meta.read_only_fields`.
    pub read_only_fields: Vec<String>,
}

impl DjoserConfig {
    /// djoser's `LOGIN_FIELD`, its default resolved.
    pub(crate) fn login_field(&self, model: &UserModelConfig) -> LoginField {
        self.login_field.unwrap_or(model.username_field)
    }

    pub(crate) fn check(&self, model: &UserModelConfig, bad: &mut impl FnMut(&str, String)) {
        if model.username_field == LoginField::Email
            && self.login_field == Some(LoginField::Username)
        {
            bad(
                "djoser.login_field",
                "\"username\" names no field: the user model's username_field is \"email\" (it has no username)".into(),
            );
        }
    }
}

impl UserModelConfig {
    pub(crate) fn check(&self, bad: &mut impl FnMut(&str, String)) {
        for (i, field) in self.required_fields.iter().enumerate() {
            if self.required_fields[..i].contains(field) {
                bad(
                    "user_model.required_fields",
                    format!("{} is listed twice", field.name()),
                );
            }
        }
        // Django's auth.E002: the USERNAME_FIELD must not be listed in REQUIRED_FIELDS.
        if self.username_field == LoginField::Email
            && self.required_fields.contains(&UserField::Email)
        {
            bad(
                "user_model.required_fields",
                "must not contain \"email\" when username_field is \"email\" (Django's auth.E002)"
                    .into(),
            );
        }
    }
}
