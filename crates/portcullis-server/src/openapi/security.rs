//! The authentication schemes (DRF's `Authorization: Token <key>` as an `apiKey` header, and
//! simplejwt's bearer JWT) and each operation's `security`: the configured schemes, and `{}`
//! (no credentials) where an anonymous caller is let through.

use axum::http::Method;
use serde_json::{Value, json};

use crate::auth::classes::AuthenticationClass;
use crate::config::Config;
use crate::http::endpoint::{Authentication, Endpoint, Permission};
use crate::http::endpoint_doc::Doc;
use crate::resources::schema::Schema;

/// The scheme of an authentication class, by drf-spectacular's name.
fn scheme(class: AuthenticationClass, config: &Config) -> (&'static str, Value) {
    match class {
        AuthenticationClass::Token => (
            "tokenAuth",
            json!({
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "Token-based authentication with required prefix \"Token\""
            }),
        ),
        // drf-spectacular's extension for knox: `knoxApiToken`, an apiKey header.
        AuthenticationClass::Knox => (
            "knoxApiToken",
            json!({
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": format!(
                    "Token-based authentication with required prefix \"{}\"",
                    config.knox.auth_header_prefix
                )
            }),
        ),
        AuthenticationClass::Jwt => {
            let keyword = config
                .jwt
                .auth_header_types
                .first()
                .map_or("Bearer", String::as_str);
            let mut scheme = json!({ "type": "http", "scheme": "bearer", "bearerFormat": "JWT" });
            // A keyword other than `Bearer` is not HTTP's bearer scheme: an apiKey header then.
            if keyword != "Bearer" {
                scheme = json!({
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": format!("JWT authentication with required prefix \"{keyword}\"")
                });
            }
            ("jwtAuth", scheme)
        }
    }
}

/// `components/securitySchemes`.
pub(super) fn schemes(config: &Config) -> Value {
    let mut out = serde_json::Map::new();
    for class in &config.authentication_classes {
        let (name, scheme) = scheme(*class, config);
        out.insert(name.into(), scheme);
    }
    // knox's logout views authenticate with knox's class whatever the default classes are.
    if knox_mounted(config) {
        let (name, scheme) = scheme(AuthenticationClass::Knox, config);
        out.insert(name.into(), scheme);
    }
    Value::Object(out)
}

fn knox_mounted(config: &Config) -> bool {
    use crate::config::urls::{Include, Mount};
    config.url_patterns().into_iter().any(|(_, pattern)| {
        matches!(
            pattern.resolve(),
            Ok(Mount::Include {
                include: Include::Knox,
                ..
            })
        )
    })
}

/// The `security` of one operation.
pub(super) fn security(
    config: &Config,
    schema: &Schema,
    endpoint: &Endpoint,
    method: &Method,
) -> Value {
    if endpoint.authentication == Authentication::JwtTokenView {
        // `authentication_classes = ()`: credentials are never read.
        return json!([{}]);
    }
    if endpoint.authentication == Authentication::Knox {
        let name = scheme(AuthenticationClass::Knox, config).0;
        return json!([{ name: [] }]);
    }
    let mut out: Vec<Value> = config
        .authentication_classes
        .iter()
        .map(|class| json!({ scheme(*class, config).0: [] }))
        .collect();
    if anonymous(schema, endpoint, method) {
        out.push(json!({}));
    }
    Value::Array(out)
}

/// Whether an anonymous caller passes the endpoint's permission for `method`.
fn anonymous(schema: &Schema, endpoint: &Endpoint, method: &Method) -> bool {
    match &endpoint.permission {
        Permission::AllowAny => true,
        Permission::IsAuthenticatedOrReadOnly => *method == Method::GET,
        Permission::PostForAnyone => *method == Method::POST,
        Permission::IsAuthenticated | Permission::IsAdminUser => false,
        Permission::Custom(_) => match &endpoint.doc {
            Doc::Resource { index, detail } => {
                schema.resources.get(*index).is_some_and(|resource| {
                    let access = &resource.access;
                    let rule = match (*detail, method.clone()) {
                        (false, Method::POST) => &access.create,
                        (false, _) => &access.list,
                        (true, Method::PUT | Method::PATCH) => &access.update,
                        (true, Method::DELETE) => &access.destroy,
                        (true, _) => &access.retrieve,
                    };
                    rule.allows_anonymous()
                })
            }
            _ => false,
        },
    }
}
