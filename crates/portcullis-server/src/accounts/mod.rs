//! Accounts: users, their DRF tokens, and the endpoints of DRF's authtoken and djoser.

pub(crate) mod authority;
pub mod credentials;
pub(crate) mod jwt_views;
pub mod manage;
pub mod new_password;
pub(crate) mod permissions;
pub(crate) mod routes;
pub(crate) mod user_fields;
pub(crate) mod user_serializer;
pub(crate) mod validators;

use crate::config::Config;
use crate::http::routing::Group;

/// djoser's users router (`/auth/` in the built-in layout): its API root, the users and
/// their actions.
pub(crate) fn djoser_users() -> Group {
    use routes::*;
    Group::new()
        .at("", auth_root::endpoint())
        .at("users/", users::endpoint())
        .at("users/me/", user_detail::me())
        .at("users/set_password/", set_password::endpoint())
        .at("users/set_username/", set_username::endpoint())
        .at("users/{id}/", user_detail::by_id())
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

/// simplejwt's views as its documentation mounts them (`/api/token/` in the built-in layout).
pub(crate) fn simplejwt() -> Group {
    use routes::*;
    Group::new()
        .at("", jwt_create::endpoint())
        .at("refresh/", jwt_refresh::endpoint())
        .at("verify/", jwt_verify::endpoint())
        .at("blacklist/", jwt_blacklist::endpoint())
}

/// DRF's `obtain_auth_token` (`/api-token-auth/` in the built-in layout).
pub(crate) fn authtoken() -> Group {
    Group::new().at("", routes::obtain_token::endpoint())
}

/// The accounts URLs of the built-in layout, and the extra mounts from the configuration.
pub(crate) fn group(config: &Config) -> Group {
    let mut group = authtoken()
        .mount("/api-token-auth/")
        .merge(djoser_users().mount("/auth/"))
        .merge(djoser_token().mount("/auth/"))
        .merge(simplejwt().mount("/api/token/"))
        .merge(djoser_jwt().mount("/auth/"))
        .merge(Group::new().at("/auth/logout_all/", routes::logout_all::endpoint()));
    for extra in &config.extra_routes {
        let endpoint = match extra.endpoint.as_str() {
            "token_login" => routes::token_login::endpoint(),
            _ => routes::obtain_token::endpoint(),
        };
        group = group.at(&extra.path, endpoint.scoped(extra.throttle_scope.clone()));
    }
    group
}
