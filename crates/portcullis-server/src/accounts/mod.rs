//! Accounts: users, their DRF tokens, and the endpoints of DRF's authtoken and djoser.

pub mod credentials;
pub mod manage;
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
        .route("/auth/users/{id}/", route(user_detail::UserDetail::by_id()));
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
