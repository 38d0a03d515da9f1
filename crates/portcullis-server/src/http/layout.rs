//! The URL layout built from the configuration's `[[urls]]` (see [`crate::config::urls`]): each
//! entry's endpoint group mounted at its path, then Portcullis's own URLs (the admin API under
//! `/api/admin/`, a user's sessions under `/auth/sessions/`, the web app), which stay where
//! they are. The same construction feeds
//! `portcullis check`, so a layout that starts is one whose URLs were all checked.

use std::collections::HashMap;

use crate::accounts;
use crate::config::Config;
use crate::config::urls::{Include, Mount};
use crate::http::routing::{Group, Lookup, RouteTable, Routes};
use crate::resources::schema::Schema;

/// The application's routes.
pub(crate) fn routes(state: &crate::state::AppState) -> Routes {
    let (config, schema) = (state.config(), state.schema());
    let mut routes = Routes::default();
    for pattern in config.url_patterns() {
        // A configuration with problems does not start (`problems` below); nothing to skip here
        // but in tests that build an application from a hand-made configuration.
        if let Ok(mount) = pattern.1.resolve() {
            routes = routes.mount(group(config, &mount, schema));
        }
    }
    let routes = routes.mount(crate::admin::group().mount("/api/admin/"));
    let routes = routes.mount(accounts::sessions().mount("/auth/"));
    crate::operations::routes(
        crate::web::routes(crate::openapi::serve::routes(routes)),
        state,
    )
}

/// The project's own URLs (`[[urls]]`, without Portcullis's admin API and web app), as
/// Django's `resolve` sees them.
pub(crate) fn project_routes(config: &Config, schema: &Schema) -> RouteTable {
    RouteTable::of(
        config
            .url_patterns()
            .into_iter()
            .filter_map(|(_, pattern)| pattern.resolve().ok())
            .map(|mount| group(config, &mount, schema)),
    )
}

/// One entry's URLs at their full paths.
fn group(config: &Config, mount: &Mount, schema: &Schema) -> Group {
    match mount {
        Mount::Include { prefix, include } => {
            let group = match include {
                Include::Users => accounts::djoser_users(config),
                Include::Authtoken => accounts::djoser_token(),
                Include::Jwt => accounts::djoser_jwt(),
                Include::Knox => accounts::knox_urls(),
            };
            group.mount(&format!("/{prefix}"))
        }
        Mount::View {
            path,
            view,
            throttle_scope,
            name,
            description,
        } => {
            let mut endpoint = accounts::view(*view).scoped(throttle_scope.clone());
            if let Some(name) = name {
                endpoint = endpoint.named(name.clone());
            }
            if let Some(description) = description {
                endpoint = endpoint.describe(description.clone());
            }
            // A view's path is the whole route, slash or not (`path("api/login", view)`).
            Group::new().at(format!("/{path}"), endpoint)
        }
        Mount::Router {
            prefix,
            kind,
            resources,
        } => {
            let indices = registered(schema, resources.as_deref());
            crate::resources::routes::router(schema, *kind, &indices).mount(&format!("/{prefix}"))
        }
        Mount::Generic(view) => {
            let Some(index) = schema
                .resources
                .iter()
                .position(|r| r.name == view.resource)
            else {
                // Refused by `problems`; nothing to mount in a hand-made configuration.
                return Group::new();
            };
            let endpoint =
                crate::resources::routes::generic::endpoint(index, &schema.resources[index], view);
            let path = format!("/{}", view.route.route);
            if view.route.kwargs.is_empty() {
                Group::new().at(path, endpoint)
            } else {
                Group::new().at_with(
                    path,
                    endpoint,
                    Lookup::Converted(view.route.kwargs.clone().into()),
                )
            }
        }
        Mount::Register(view) => Group::new().at(
            format!("/{}", view.path),
            accounts::routes::register::endpoint(view),
        ),
    }
}

/// The schema indices a router registers: the named resources in order, or all of them.
fn registered(schema: &Schema, names: Option<&[String]>) -> Vec<usize> {
    match names {
        None => (0..schema.resources.len()).collect(),
        Some(names) => names
            .iter()
            .filter_map(|n| schema.resources.iter().position(|r| &r.name == n))
            .collect(),
    }
}

/// The path of a resource's list under the first router that registers it (the admin console
/// reads rows there); `None` when no router does.
pub(crate) fn resource_list_path(config: &Config, name: &str) -> Option<String> {
    let (path, slash) = resource_route(config, name)?;
    Some(format!("{path}{}", if slash { "/" } else { "" }))
}

/// The path of a row's detail route under the first router registering its resource (what
/// DRF's `reverse("<basename>-detail")` gives); `None` when no router does.
pub(crate) fn resource_detail_path(config: &Config, name: &str, id: i64) -> Option<String> {
    let (path, slash) = resource_route(config, name)?;
    Some(format!("{path}/{id}{}", if slash { "/" } else { "" }))
}

/// The path of a user's detail under the first `djoser.urls` include (djoser's router names it
/// `user-detail` and looks users up by `id`); `None` when the layout has none.
pub(crate) fn user_detail_path(config: &Config, id: i64) -> Option<String> {
    config
        .url_patterns()
        .into_iter()
        .find_map(|(_, pattern)| match pattern.resolve().ok()? {
            Mount::Include {
                prefix,
                include: Include::Users,
            } => Some(format!("/{prefix}users/{id}/")),
            _ => None,
        })
}

/// `/<prefix><name>` and the router's trailing slash, for the first router registering `name`.
fn resource_route(config: &Config, name: &str) -> Option<(String, bool)> {
    routers(config)
        .into_iter()
        .find(|r| r.registers(name))
        .map(|r| (format!("/{}{name}", r.prefix), r.trailing_slash))
}

/// A router of the layout: where it is mounted and what it registers.
pub(crate) struct RouterMount {
    pub(crate) prefix: String,
    pub(crate) trailing_slash: bool,
    /// `DefaultRouter`: it has an API root view at its prefix.
    pub(crate) root: bool,
    resources: Option<Vec<String>>,
}

impl RouterMount {
    pub(crate) fn registers(&self, name: &str) -> bool {
        self.resources
            .as_ref()
            .is_none_or(|r| r.iter().any(|n| n == name))
    }
}

/// Every router of the layout, in the order of `[[urls]]`.
pub(crate) fn routers(config: &Config) -> Vec<RouterMount> {
    config
        .url_patterns()
        .into_iter()
        .filter_map(|(_, pattern)| match pattern.resolve().ok()? {
            Mount::Router {
                prefix,
                kind,
                resources,
            } => Some(RouterMount {
                prefix,
                trailing_slash: kind.trailing_slash,
                root: kind.default,
                resources,
            }),
            _ => None,
        })
        .collect()
}

/// What is wrong with the layout, as `(key, reason)`: an entry Portcullis cannot serve as
/// Django would, a router registering an undeclared resource, and a URL two entries serve.
pub(crate) fn problems(config: &Config, schema: &Schema) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut taken = Taken::default();
    // Portcullis's own URLs never clash among themselves (the application would not start).
    for path in crate::web::PATHS {
        let _ = taken.claim(path, "Portcullis's web app");
    }
    for path in crate::openapi::serve::PATHS {
        let _ = taken.claim(path, "Portcullis's API documentation");
    }
    for entry in crate::admin::group().mount("/api/admin/").entries {
        let _ = taken.claim(&entry.path, "Portcullis's admin API");
    }
    // The operations paths are the operator's choice: one that clashes is reported.
    for (key, path) in config.operations.paths() {
        if let Err(why) = taken.claim(path, key) {
            out.push((key.to_string(), why));
        }
    }
    for (key, pattern) in config.url_patterns() {
        let mount = match pattern.resolve() {
            Ok(mount) => mount,
            // `[[extra_routes]]` keep their own checks, in the configuration's.
            Err(_) if key.starts_with("extra_routes") => continue,
            Err(why) => {
                out.push((key, why));
                continue;
            }
        };
        if let Mount::Router {
            resources: Some(names),
            ..
        } = &mount
        {
            for name in names.iter().filter(|n| schema.resource(n).is_none()) {
                out.push((
                    key.clone(),
                    format!("resource {name:?} is not in the schema"),
                ));
            }
        }
        if let Mount::Generic(view) = &mount {
            out.extend(
                crate::resources::generic_check::problems(view, schema)
                    .into_iter()
                    .map(|why| (key.clone(), why)),
            );
        }
        // One report per entry: two routers at one prefix collide on every URL.
        let clash = group(config, &mount, schema)
            .entries
            .iter()
            .find_map(|entry| taken.claim(&entry.path, &key).err());
        if let Some(why) = clash {
            out.push((key, why));
        }
    }
    out.extend(hyperlink_problems(config, schema));
    out.extend(crate::resources::owner_user::problems(config, schema));
    out
}

/// Hyperlinks (a row's own `url`, a foreign key rendered as a hyperlink) reverse the detail
/// route of a router registering their target: without one, Django fails on every body with
/// a server error (`NoReverseMatch`), so the schema is refused instead.
fn hyperlink_problems(config: &Config, schema: &Schema) -> Vec<(String, String)> {
    use crate::resources::schema::{FieldKind, Related};
    let routed = |name: &str| routers(config).iter().any(|r| r.registers(name));
    let mut out = Vec::new();
    for resource in &schema.resources {
        if resource.has_url() && !routed(&resource.name) {
            out.push((
                "schema_file".to_string(),
                format!(
                    "resource {}: serializer_fields has \"url\", but no router in [[urls]] registers {} (its detail route is the link)",
                    resource.name, resource.name
                ),
            ));
        }
        for field in resource
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::Reference && f.related == Related::Hyperlink)
        {
            let target = field.to.as_deref().unwrap_or_default();
            if !routed(target) {
                out.push((
                    "schema_file".to_string(),
                    format!(
                        "resource {}, field {}: related = \"hyperlink\", but no router in [[urls]] registers {target} (its detail route is the link)",
                        resource.name, field.name
                    ),
                ));
            }
        }
    }
    out
}

/// The URLs claimed so far, and by which entry.
#[derive(Default)]
struct Taken {
    matcher: matchit::Router<()>,
    owners: HashMap<String, String>,
}

impl Taken {
    fn claim(&mut self, path: &str, owner: &str) -> Result<(), String> {
        if let Some(first) = self.owners.get(path) {
            // Django would answer with the first pattern and never reach this one; Portcullis
            // refuses the dead pattern instead of guessing which one was meant.
            return Err(format!(
                "{path} is already served by {first} (Django would only ever answer with the \
                 first of the two)"
            ));
        }
        self.matcher
            .insert(path, ())
            .map_err(|e| format!("{path} conflicts with a URL already served: {e}"))?;
        self.owners.insert(path.to_string(), owner.to_string());
        Ok(())
    }
}
