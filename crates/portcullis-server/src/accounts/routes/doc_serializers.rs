//! djoser's serializers of the views that show no OPTIONS `actions` of their own (the mailing
//! views, `set_password`, `set_<USERNAME_FIELD>`), described for the OpenAPI document under
//! drf-spectacular's component names. The settings choose the serializer as djoser's
//! `UserViewSet.get_serializer_class` does: a `*_RETYPE` setting swaps in the `*Retype` class,
//! which adds the `re_new_*` field.

use serde_json::{Map, Value, json};

use super::field_info;
use crate::accounts::login_identity::login_key;
use crate::config::Config;
use crate::http::endpoint_doc::Serializer;

/// A required `CharField` (djoser declares every one of these without options).
fn chars(label: &str) -> Value {
    field_info("string", label, true, false, Value::Null)
}

/// `ActivationSerializer` (`UidAndTokenSerializer`): `{uid, token}`.
pub(crate) fn activation(_: &Config) -> Serializer {
    Serializer {
        name: "Activation",
        fields: json!({ "uid": chars("Uid"), "token": chars("Token") }),
    }
}

/// `SendEmailResetSerializer`: `{email}` (`reset_password`, `reset_<USERNAME_FIELD>` and
/// `resend_activation`).
pub(crate) fn send_email_reset(_: &Config) -> Serializer {
    Serializer {
        name: "SendEmailReset",
        fields: json!({ "email": field_info("email", "Email", true, false, Value::Null) }),
    }
}

/// `PasswordResetConfirmSerializer`, or `PasswordResetConfirmRetypeSerializer` with
/// `PASSWORD_RESET_CONFIRM_RETYPE`.
pub(crate) fn password_reset_confirm(config: &Config) -> Serializer {
    let retype = config.djoser.password_reset_confirm_retype;
    let mut fields = Map::new();
    fields.insert("uid".into(), chars("Uid"));
    fields.insert("token".into(), chars("Token"));
    fields.insert("new_password".into(), chars("New password"));
    if retype {
        fields.insert("re_new_password".into(), chars("Re new password"));
    }
    Serializer {
        name: if retype {
            "PasswordResetConfirmRetype"
        } else {
            "PasswordResetConfirm"
        },
        fields: Value::Object(fields),
    }
}

/// `UsernameResetConfirmSerializer` (a `ModelSerializer` of `new_<LOGIN_FIELD>` alone: `uid`
/// and `token` are read from the data, not declared as its fields), or its `Retype` class with
/// `USERNAME_RESET_CONFIRM_RETYPE`.
pub(crate) fn username_reset_confirm(config: &Config) -> Serializer {
    let retype = config.djoser.username_reset_confirm_retype;
    let mut fields = Map::new();
    new_username(config, retype, &mut fields);
    Serializer {
        name: if retype {
            "UsernameResetConfirmRetype"
        } else {
            "UsernameResetConfirm"
        },
        fields: Value::Object(fields),
    }
}

/// `SetPasswordSerializer`, or `SetPasswordRetypeSerializer` with `SET_PASSWORD_RETYPE`.
pub(crate) fn set_password(config: &Config) -> Serializer {
    let retype = config.djoser.set_password_retype;
    let mut fields = Map::new();
    fields.insert("new_password".into(), chars("New password"));
    if retype {
        fields.insert("re_new_password".into(), chars("Re new password"));
    }
    fields.insert("current_password".into(), chars("Current password"));
    Serializer {
        name: if retype {
            "SetPasswordRetype"
        } else {
            "SetPassword"
        },
        fields: Value::Object(fields),
    }
}

/// `SetUsernameSerializer` (`current_password`, `new_<LOGIN_FIELD>`), or its `Retype` class
/// with `SET_USERNAME_RETYPE`.
pub(crate) fn set_username(config: &Config) -> Serializer {
    let retype = config.djoser.set_username_retype;
    let mut fields = Map::new();
    fields.insert("current_password".into(), chars("Current password"));
    new_username(config, retype, &mut fields);
    Serializer {
        name: if retype {
            "SetUsernameRetype"
        } else {
            "SetUsername"
        },
        fields: Value::Object(fields),
    }
}

/// `new_<LOGIN_FIELD>` (the model's field, renamed), and `re_new_<LOGIN_FIELD>` when retyped.
fn new_username(config: &Config, retype: bool, fields: &mut Map<String, Value>) {
    let login = login_key(config);
    let field = if login == "email" {
        field_info(
            "email",
            "Email address",
            true,
            false,
            json!({ "max_length": 254 }),
        )
    } else {
        field_info(
            "string",
            "Username",
            true,
            false,
            json!({ "max_length": 150 }),
        )
    };
    fields.insert(format!("new_{login}"), field);
    if retype {
        fields.insert(format!("re_new_{login}"), chars("Re new"));
    }
}
