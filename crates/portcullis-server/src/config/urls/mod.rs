//! `[[urls]]`: the project's `urls.py` as a table, one entry per `path(...)` line, in order.
//! An entry mounts one of djoser's URL modules (`include = "djoser.urls"`), one view
//! (`view = "TokenObtainPairView"`) or a router over the declared resources
//! (`router = "DefaultRouter"`). Without any entry the layout is the reference project's
//! `urls.py` ([`default_layout`]); the older `[[extra_routes]]` are views added to either.
//!
//! This module reads the table into [`Mount`]s and says what is wrong with an entry; building the
//! routes from them is [`crate::http::layout`]'s job.

mod names;
mod reference;

use serde::{Deserialize, Serialize};

pub(crate) use names::{Include, View};
pub(crate) use reference::default_layout;

use super::generic_views::{GenericKind, GenericView, RegisterView};
use names::{resolve_include, resolve_view};

/// One `path(...)` of `urls.py`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct UrlPattern {
    /// Django's route, without the leading slash: `"api/auth/"`, `"api/token/"`, `""`.
    pub path: String,
    /// `include("djoser.urls")`, `"djoser.urls.authtoken"` or `"djoser.urls.jwt"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include: Option<String>,
    /// A view class (`TokenObtainPairView`, ...) or `obtain_auth_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// `include(router.urls)` of a `DefaultRouter` or a `SimpleRouter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<String>,
    /// The router's `trailing_slash` argument (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailing_slash: Option<bool>,
    /// The resources the router registers, in order (default: every declared resource).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
    /// A view's own throttle scope (a subclass with `ScopedRateThrottle` and `throttle_scope`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle_scope: Option<String>,
    /// A view subclass's `get_view_name()`, shown by OPTIONS (default: the view's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A view subclass's docstring, OPTIONS' `description` (default: the view's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A generic view's resource (the model of its queryset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// A registration `CreateAPIView`'s model: `"User"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// A generic view's `permission_classes`, DRF's names (default: IsAuthenticated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_classes: Option<Vec<String>>,
    /// A generic view's `get_queryset()` as `filter(...)` terms:
    /// `{ owner = "request.user" }`, `{ published = true }`, `{ project = "<project_id>" }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queryset: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    /// A generic view's `lookup_field` (default `pk`), captured by the path's keyword of the
    /// same name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_field: Option<String>,
    /// A registration serializer's `Meta.fields`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    /// A registration serializer's write-only fields (`["password"]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_only: Option<Vec<String>>,
    /// `"model"` (default: the model's password field, max_length 128) or `"CharField"` (a
    /// `serializers.CharField` declared on the registration serializer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_field: Option<String>,
    /// Whether the password field has `validators=[validate_password]` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_validators: Option<bool>,
    /// A registration's answer: `"user"` (default) or `"user_and_token"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
}

/// DRF's two routers, as `(root view and format suffixes, trailing slash)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RouterKind {
    /// `DefaultRouter`: the API root at the prefix and `.json`/`.api` suffix routes.
    pub(crate) default: bool,
    pub(crate) trailing_slash: bool,
}

/// One entry, understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mount {
    Include {
        prefix: String,
        include: Include,
    },
    View {
        path: String,
        view: View,
        throttle_scope: Option<String>,
        name: Option<String>,
        description: Option<String>,
    },
    Router {
        prefix: String,
        kind: RouterKind,
        /// `None`: every declared resource.
        resources: Option<Vec<String>>,
    },
    /// A DRF generic view over a resource.
    Generic(GenericView),
    /// A `CreateAPIView` over Django's user model: registration.
    Register(RegisterView),
}

impl UrlPattern {
    /// What the entry mounts, or why it cannot be served as Django would.
    pub(crate) fn resolve(&self) -> Result<Mount, String> {
        let kinds = [&self.include, &self.view, &self.router]
            .iter()
            .filter(|k| k.is_some())
            .count();
        if kinds != 1 {
            return Err(
                "needs exactly one of include, view or router (a path() takes one \
                        include(...), one view or one router's urls)"
                    .into(),
            );
        }
        if let Some(kind) = self.view.as_deref().and_then(GenericKind::parse) {
            return self.resolve_generic(kind);
        }
        check_path(&self.path)?;
        if let Some(include) = &self.include {
            self.only_for("include", &[])?;
            check_prefix(&self.path)?;
            return resolve_include(include).map(|include| Mount::Include {
                prefix: self.path.clone(),
                include,
            });
        }
        if let Some(view) = &self.view {
            self.only_for("view", &["throttle_scope", "name", "description"])?;
            return Ok(Mount::View {
                path: self.path.clone(),
                view: resolve_view(view)?,
                throttle_scope: self.throttle_scope.clone(),
                name: self.name.clone(),
                description: self.description.clone(),
            });
        }
        self.only_for("router", &["trailing_slash", "resources"])?;
        check_prefix(&self.path)?;
        let router = self.router.as_deref().unwrap_or_default();
        let default = match router.trim_start_matches("rest_framework.routers.") {
            "DefaultRouter" => true,
            "SimpleRouter" => false,
            other => {
                return Err(format!(
                    "router {other:?} is unknown; one of: DefaultRouter, SimpleRouter"
                ));
            }
        };
        if let Some(names) = &self.resources
            && let Some(twice) = names
                .iter()
                .enumerate()
                .find(|(i, n)| names[..*i].contains(*n))
        {
            return Err(format!(
                "resource {:?} is registered twice on this router (DRF refuses a basename \
                 registered twice)",
                twice.1
            ));
        }
        Ok(Mount::Router {
            prefix: self.path.clone(),
            kind: RouterKind {
                default,
                trailing_slash: self.trailing_slash.unwrap_or(true),
            },
            resources: self.resources.clone(),
        })
    }

    /// A generic view: over a resource, or registration over the user model.
    fn resolve_generic(&self, kind: GenericKind) -> Result<Mount, String> {
        check_path(&self.path.replace(['<', '>'], ""))?;
        const COMMON: &[&str] = &["name", "description", "permission_classes"];
        match self.model.as_deref() {
            Some("User" | "auth.User" | "django.contrib.auth.models.User") => {
                if kind != GenericKind::Create {
                    return Err(
                        "the user model is served by a CreateAPIView only (registration); \
                                djoser's users URLs serve the rest"
                            .into(),
                    );
                }
                self.only_for(
                    "registration",
                    &[
                        COMMON,
                        &[
                            "model",
                            "fields",
                            "write_only",
                            "password_field",
                            "password_validators",
                            "response",
                        ],
                    ]
                    .concat(),
                )?;
                if self.path.contains(['<', '>']) {
                    return Err(format!(
                        "path {:?}: a registration URL captures nothing",
                        self.path
                    ));
                }
                self.register_view().map(Mount::Register)
            }
            Some(other) => Err(format!(
                "model {other:?}: only \"User\" (Django's user model) is a model of its own; \
                 a declared resource is resource = \"<name>\""
            )),
            None => {
                self.only_for(
                    "generic view",
                    &[COMMON, &["resource", "queryset", "lookup_field"]].concat(),
                )?;
                self.generic_view(kind).map(Mount::Generic)
            }
        }
    }

    /// Refuse the keys that belong to another kind of entry.
    fn only_for(&self, kind: &str, allowed: &[&str]) -> Result<(), String> {
        let set = [
            ("trailing_slash", self.trailing_slash.is_some()),
            ("resources", self.resources.is_some()),
            ("throttle_scope", self.throttle_scope.is_some()),
            ("name", self.name.is_some()),
            ("description", self.description.is_some()),
            ("resource", self.resource.is_some()),
            ("model", self.model.is_some()),
            ("permission_classes", self.permission_classes.is_some()),
            ("queryset", self.queryset.is_some()),
            ("lookup_field", self.lookup_field.is_some()),
            ("fields", self.fields.is_some()),
            ("write_only", self.write_only.is_some()),
            ("password_field", self.password_field.is_some()),
            ("password_validators", self.password_validators.is_some()),
            ("response", self.response.is_some()),
        ];
        match set
            .iter()
            .find(|(key, given)| *given && !allowed.contains(key))
        {
            Some((key, _)) => Err(format!("{key} does not apply to a {kind} entry")),
            None => Ok(()),
        }
    }
}

/// Django's route text: matched against the path without its leading slash, literally.
fn check_path(path: &str) -> Result<(), String> {
    if path.starts_with('/') {
        // Django's check urls.W002: the path Django matches has no leading slash, so this
        // route would never match.
        return Err(format!(
            "path {path:?} begins with '/': Django matches routes against the path without its \
             leading slash, so it would never match; write {:?}",
            path.trim_start_matches('/')
        ));
    }
    if path.contains(['<', '>', '{', '}']) {
        return Err(format!(
            "path {path:?} has a converter or a parameter; only a generic view's path \
             (view = \"RetrieveAPIView\", ...) captures keywords"
        ));
    }
    if path.contains("//")
        || path.contains(['?', '#', '%', '*', '\\'])
        || path.contains(char::is_whitespace)
    {
        return Err(format!("path {path:?} is not a plain URL path"));
    }
    Ok(())
}

/// An include's or a router's prefix is joined to the included routes as text.
fn check_prefix(path: &str) -> Result<(), String> {
    if path.is_empty() || path.ends_with('/') {
        return Ok(());
    }
    Err(format!(
        "prefix {path:?} must end with '/' (or be empty): Django joins it to the included \
         routes as text, so {path:?} + \"users/\" would be {:?}",
        format!("{path}users/")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> UrlPattern {
        UrlPattern {
            path: path.into(),
            ..UrlPattern::default()
        }
    }

    #[test]
    fn the_default_layout_resolves() {
        for pattern in default_layout() {
            assert!(pattern.resolve().is_ok(), "{pattern:?}");
        }
    }

    #[test]
    fn each_refusal_says_why() {
        let cases = [
            (
                UrlPattern {
                    include: Some("djoser.urls".into()),
                    ..entry("/auth/")
                },
                "begins with '/'",
            ),
            (
                UrlPattern {
                    include: Some("djoser.urls".into()),
                    ..entry("auth")
                },
                "must end with '/'",
            ),
            (
                UrlPattern {
                    include: Some("rest_framework.urls".into()),
                    ..entry("x/")
                },
                "no sessions",
            ),
            (
                UrlPattern {
                    view: Some("LoginView".into()),
                    ..entry("x/")
                },
                "view \"LoginView\" is unknown",
            ),
            (
                UrlPattern {
                    router: Some("ExtendedRouter".into()),
                    ..entry("x/")
                },
                "DefaultRouter, SimpleRouter",
            ),
            (
                UrlPattern {
                    view: Some("obtain_auth_token".into()),
                    trailing_slash: Some(false),
                    ..entry("x/")
                },
                "trailing_slash does not apply",
            ),
            (entry("x/"), "exactly one of"),
            (
                UrlPattern {
                    view: Some("obtain_auth_token".into()),
                    ..entry("users/<int:pk>/")
                },
                "converter",
            ),
            (
                UrlPattern {
                    router: Some("SimpleRouter".into()),
                    resources: Some(vec!["a".into(), "a".into()]),
                    ..entry("x/")
                },
                "registered twice",
            ),
        ];
        for (pattern, why) in cases {
            let err = pattern.resolve().expect_err(why);
            assert!(err.contains(why), "{err} lacks {why}");
        }
    }

    #[test]
    fn dotted_view_names_are_the_same_views() {
        let pattern = UrlPattern {
            view: Some("rest_framework_simplejwt.views.TokenRefreshView".into()),
            ..entry("refresh/")
        };
        assert!(matches!(
            pattern.resolve(),
            Ok(Mount::View {
                view: View::TokenRefresh,
                ..
            })
        ));
    }
}
