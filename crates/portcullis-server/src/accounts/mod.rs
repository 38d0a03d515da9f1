//! Accounts: users, their DRF tokens, and the endpoints of DRF's authtoken and djoser.

pub(crate) mod authority;
pub mod credentials;
pub(crate) mod jwt_views;
pub(crate) mod login_identity;
pub mod manage;
pub mod new_password;
pub(crate) mod permissions;
pub(crate) mod routes;
pub(crate) mod user_fields;
pub(crate) mod user_serializer;
pub(crate) mod validators;

use crate::config::urls::{RouterKind, View};
use crate::http::endpoint::Endpoint;
use crate::http::router::RouterUrls;
use crate::http::routing::Group;

/// djoser's `djoser.urls`: a `DefaultRouter` with its `UserViewSet` (`/auth/` in the built-in
/// layout): the API root, the users, their list actions and the detail, with format suffixes.
pub(crate) fn djoser_users(config: &crate::config::Config) -> Group {
    use routes::*;
    // djoser's `@action(url_path=f"set_{User.USERNAME_FIELD}")`.
    let set_username = format!("users/set_{}", login_identity::username_key(config));
    RouterUrls::new(RouterKind {
        default: true,
        trailing_slash: true,
    })
    .root(vec!["users".into()])
    .fixed("users", users::endpoint())
    .fixed("users/me", user_detail::me())
    .fixed("users/set_password", set_password::endpoint())
    .fixed(&set_username, set_username::endpoint())
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
