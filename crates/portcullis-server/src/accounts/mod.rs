//! Accounts: users, their DRF tokens, and the endpoints of DRF's authtoken and djoser.

pub(crate) mod authority;
pub mod credentials;
pub(crate) mod django_tokens;
pub(crate) mod djoser_serializers;
pub(crate) mod email_flows;
pub(crate) mod jwt_views;
pub(crate) mod login_identity;
pub mod manage;
pub mod new_password;
pub(crate) mod own_fields;
pub(crate) mod permissions;
pub(crate) mod routes;
pub(crate) mod user_fields;
pub(crate) mod user_serializer;
pub(crate) mod validators;

use crate::config::urls::{RouterKind, View};
use crate::http::endpoint::Endpoint;
use crate::http::router::RouterUrls;
use crate::http::routing::Group;

/// The problems of the user model's own fields (`[[user_model.fields]]`), of the names in
/// `REQUIRED_FIELDS`, and of djoser's declared serializers, each under its key.
pub(crate) fn user_model_problems(
    config: &crate::config::Config,
    bad: &mut impl FnMut(&str, String),
) {
    let own = match own_fields::OwnFields::parse(&config.user_model) {
        Ok(own) => own,
        Err(problems) => {
            for (field, why) in problems {
                bad("user_model.fields", format!("field {field}: {why}"));
            }
            own_fields::OwnFields::default()
        }
    };
    // A field refused above is reported once, under its own key.
    let declared = |name: &str| {
        own.field(name).is_some() || own_fields::OwnFields::declares(&config.user_model, name)
    };
    for field in &config.user_model.required_fields {
        if let crate::config::UserField::Own(name) = field
            && !declared(name)
        {
            bad(
                "user_model.required_fields",
                format!(
                    "{name:?} is neither email, first_name, last_name nor a field of [[user_model.fields]]"
                ),
            );
        }
    }
    djoser_serializers::problems(config, &own, bad);
}

/// djoser's `djoser.urls`: a `DefaultRouter` with its `UserViewSet` (`/auth/` in the built-in
/// layout): the API root, the users, their list actions and the detail, with format suffixes.
pub(crate) fn djoser_users(config: &crate::config::Config) -> Group {
    use routes::*;
    // djoser's `@action(url_path=f"set_{User.USERNAME_FIELD}")`.
    let username = login_identity::username_key(config);
    let set_username = format!("users/set_{username}");
    let reset_username = format!("users/reset_{username}");
    let reset_username_confirm = format!("users/reset_{username}_confirm");
    RouterUrls::new(RouterKind {
        default: true,
        trailing_slash: true,
    })
    .root(vec!["users".into()])
    .fixed("users", users::endpoint())
    .fixed("users/me", user_detail::me())
    .fixed("users/set_password", set_password::endpoint())
    .fixed(&set_username, set_username::endpoint())
    .fixed("users/activation", activation::endpoint())
    .fixed("users/resend_activation", send_link::resend_activation())
    .fixed("users/reset_password", send_link::reset_password())
    .fixed("users/reset_password_confirm", reset_confirm::password())
    .fixed(&reset_username, send_link::reset_username())
    .fixed(&reset_username_confirm, reset_confirm::username())
    .detail("users", user_detail::by_id())
    .group()
}

/// djoser's token URLs (`^token/login/?$`: also without the slash).
pub(crate) fn djoser_token() -> Group {
    use routes::*;
    Group::new()
        .at_each(&["token/login/", "token/login"], token_login::endpoint())
        .at_each(&["token/logout/", "token/logout"], token_logout::endpoint())
}

/// djoser's JWT URLs (`^jwt/create/?`: also without the slash, but anchored —
/// `/auth/jwt/createXYZ` is no route here).
pub(crate) fn djoser_jwt() -> Group {
    use routes::*;
    Group::new()
        .at_each(&["jwt/create/", "jwt/create"], jwt_create::endpoint())
        .at_each(&["jwt/refresh/", "jwt/refresh"], jwt_refresh::endpoint())
        .at_each(&["jwt/verify/", "jwt/verify"], jwt_verify::endpoint())
}

/// django-rest-knox's URLs (`knox.urls`): `login/`, `logout/`, `logoutall/`.
pub(crate) fn knox_urls() -> Group {
    use routes::knox;
    Group::new()
        .at("login/", knox::login())
        .at("logout/", knox::logout())
        .at("logoutall/", knox::logout_all())
}

/// A user's own sessions (Portcullis only), mounted at `/auth/` beside djoser's URLs.
pub(crate) fn sessions() -> Group {
    use routes::sessions;
    Group::new()
        .at("sessions/", sessions::list())
        .at("sessions/{id}/", sessions::detail())
}

/// A view mountable at a path of its own (`[[urls]]` `view`).
pub(crate) fn view(view: View) -> Endpoint {
    use routes::*;
    match view {
        View::TokenObtainPair => jwt_create::endpoint(),
        View::TokenRefresh => jwt_refresh::endpoint(),
        View::TokenVerify => jwt_verify::endpoint(),
        View::TokenBlacklist => jwt_blacklist::endpoint(),
        View::ObtainAuthToken => obtain_token::endpoint(),
        View::TokenCreate => token_login::endpoint(),
        View::TokenDestroy => token_logout::endpoint(),
        View::LogoutAll => logout_all::endpoint(),
    }
}
