//! `/client/settings.json`: what the built-in web app (and any frontend served by Portcullis)
//! must know of the project's settings to talk to it as its own frontend would — which login
//! to use (a DRF token from djoser's token login, or a JWT pair from djoser's JWT views, in
//! the order of `authentication_classes`), simplejwt's header keyword, the user model's
//! `USERNAME_FIELD`, djoser's `LOGIN_FIELD`, the `REQUIRED_FIELDS` registration carries,
//! djoser's `USER_CREATE_PASSWORD_RETYPE`, and two settings the account flows depend on:
//! `SEND_ACTIVATION_EMAIL` (a new user must open the mailed link first, so the app says so
//! instead of offering a login that would fail) and `PASSWORD_RESET_CONFIRM_RETYPE` (the reset
//! form then asks for the new password twice). A Django project's frontend has these written into
//! its code; Portcullis's own app reads them here instead, as it reads the pagination style
//! from the lists' shape. Nothing secret is in it: each is visible from the wire anyway.

use serde_json::{Value, json};

use crate::auth::classes::AuthenticationClass;
use crate::config::Config;
use crate::config::urls::{Include, Mount};

/// The document.
pub(crate) fn settings(config: &Config) -> Value {
    let login = config.djoser.login_field(&config.user_model);
    let required: Vec<&str> = config
        .user_model
        .required_fields
        .iter()
        .map(|f| f.name())
        .collect();
    json!({
        "auth": auth_mode(config),
        "jwt_header_type": config.jwt.auth_header_types.first(),
        "username_field": config.user_model.username_field.name(),
        "login_field": login.name(),
        "required_fields": required,
        "user_create_password_retype": config.djoser.user_create_password_retype,
        "send_activation_email": config.djoser.send_activation_email,
        "password_reset_confirm_retype": config.djoser.password_reset_confirm_retype,
    })
}

/// The first authentication class the web app can obtain a credential for at the URLs its
/// client calls (`/auth/token/login/`, `/auth/jwt/create/`): `"token"`, `"jwt"`, or null
/// when the layout offers neither (the web app then says it cannot log in here).
fn auth_mode(config: &Config) -> Option<&'static str> {
    let mounted = |wanted: Include| {
        config.url_patterns().into_iter().any(|(_, pattern)| {
            matches!(pattern.resolve(), Ok(Mount::Include { prefix, include }) if prefix == "auth/" && include == wanted)
        })
    };
    config
        .authentication_classes
        .iter()
        .find_map(|class| match class {
            AuthenticationClass::Token if mounted(Include::Authtoken) => Some("token"),
            AuthenticationClass::Jwt if mounted(Include::Jwt) => Some("jwt"),
            _ => None,
        })
}
