//! Accounts: users, their DRF tokens, and the endpoints of DRF's authtoken and djoser.

pub mod authority;
pub mod credentials;
pub mod manage;
pub mod passwords;
pub mod routes;
pub mod user_fields;
pub mod validators;

use serde_json::{Value, json};

use crate::config::Config;
use crate::http::routing::Routes;
use crate::http::view::route;
use crate::store::User;

/// djoser's `UserSerializer` body: `{"email", "id", "username"}`.
pub fn user_json(user: &User) -> Value {
    json!({ "email": user.email, "id": user.id, "username": user.username })
}

/// The accounts URLs, with djoser's no-slash variants of the token routes (`^token/login/?$`),
/// and the extra mounts from the configuration.
pub fn routes(mut r: Routes, config: &Config) -> Routes {
    use routes::*;
    r = r
        .route("/api-token-auth/", route(obtain_token::ObtainAuthToken))
        .route("/auth/", route(auth_root::AuthRoot))
        .route("/auth/token/login/", route(token_login::TokenLogin))
        .route("/auth/token/login", route(token_login::TokenLogin))
        .route("/auth/token/logout/", route(token_logout::TokenLogout))
        .route("/auth/token/logout", route(token_logout::TokenLogout))
        .route("/auth/users/", route(users::UserList))
        .route("/auth/users/me/", route(user_detail::UserDetail::me()))
        .route(
            "/auth/users/set_password/",
            route(set_password::SetPassword),
        )
        .route(
            "/auth/users/set_username/",
            route(set_username::SetUsername),
        )
        .route("/auth/users/{id}/", route(user_detail::UserDetail::by_id()));
    r = jwt_routes(r);
    for extra in &config.extra_routes {
        let mut mount = match extra.endpoint.as_str() {
            "token_login" => route(token_login::TokenLogin),
            _ => route(obtain_token::ObtainAuthToken),
        };
        if let Some(scope) = &extra.throttle_scope {
            mount = mount.layer(axum::Extension(crate::http::throttle::ScopeOverride(
                scope.clone(),
            )));
        }
        r = r.route(&extra.path, mount);
    }
    r
}

/// simplejwt's views at simplejwt's URLs and at djoser's (`^jwt/create/?`: also without the
/// slash, but anchored — `/auth/jwt/createXYZ` is no route here), and logout-all.
fn jwt_routes(r: Routes) -> Routes {
    use routes::*;
    r.route("/api/token/", route(jwt_create::JwtCreate))
        .route("/api/token/refresh/", route(jwt_refresh::JwtRefresh))
        .route("/api/token/verify/", route(jwt_verify::JwtVerify))
        .route("/api/token/blacklist/", route(jwt_blacklist::JwtBlacklist))
        .route("/auth/jwt/create/", route(jwt_create::JwtCreate))
        .route("/auth/jwt/create", route(jwt_create::JwtCreate))
        .route("/auth/jwt/refresh/", route(jwt_refresh::JwtRefresh))
        .route("/auth/jwt/refresh", route(jwt_refresh::JwtRefresh))
        .route("/auth/jwt/verify/", route(jwt_verify::JwtVerify))
        .route("/auth/jwt/verify", route(jwt_verify::JwtVerify))
        .route("/auth/logout_all/", route(logout_all::LogoutAll))
}
