//! `[user_model]` and `[djoser]`: the shape of the project's user model as djoser's serializers
//! see it (Django's `REQUIRED_FIELDS`), and djoser's settings that change the wire.

use serde::{Deserialize, Serialize};

/// A field of Django's `AbstractUser` that a project can list in `REQUIRED_FIELDS`.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum UserField {
    Email,
    FirstName,
    LastName,
}

impl UserField {
    pub(crate) fn name(self) -> &'static str {
        match self {
            UserField::Email => "email",
            UserField::FirstName => "first_name",
            UserField::LastName => "last_name",
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
}

impl Default for UserModelConfig {
    fn default() -> Self {
        UserModelConfig {
            required_fields: vec![UserField::Email],
        }
    }
}

/// djoser's `DJOSER` settings, under their names in lowercase.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct DjoserConfig {
    /// `USER_CREATE_PASSWORD_RETYPE`: registration also takes `re_password`, which must match.
    pub user_create_password_retype: bool,
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
    }
}
