//! `paths`: every URL the configuration mounts for the project (`[[urls]]`: djoser, authtoken,
//! simplejwt, registration views, routers and generic views, at their prefixes), one path item
//! each. As DRF's schema generators do, the format-suffix copies (`notes.json`) are left out,
//! and a view routed both with and without its trailing slash (`^token/login/?$`) is described
//! once, at its first spelling.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::components::Components;
use super::operation::{Context, operation};
use crate::config::Config;
use crate::http::routing::{Entry, Lookup};
use crate::resources::schema::Schema;

/// The path items, sorted by path as drf-spectacular writes them.
pub(super) fn paths(
    config: &Config,
    schema: &Schema,
    components: &mut Components,
) -> Map<String, Value> {
    let project = crate::http::layout::project_routes(config, schema);
    let own = crate::http::routing::RouteTable::of(super::own::routes());
    let mut cx = Context {
        config,
        schema,
        components: std::mem::take(components),
        ids: HashSet::new(),
    };
    let mut items: Vec<(String, Value)> = Vec::new();
    let entries = [project.endpoints(), own.endpoints()].concat();
    for entry in documented(&entries) {
        let params = path_params(&entry.path);
        let (words, tag) = words_and_tag(&entry.path);
        let mut item = Map::new();
        for method in entry.endpoint.methods {
            let op = operation(&mut cx, &entry.endpoint, method, &params, (&words, &tag));
            item.insert(method.as_str().to_ascii_lowercase(), op);
        }
        items.push((entry.path.clone(), Value::Object(item)));
    }
    *components = cx.components;
    items.sort_by(|a, b| a.0.cmp(&b.0));
    items.into_iter().collect()
}

/// The entries a schema describes: no format-suffix routes, one spelling of each view.
pub(crate) fn documented(entries: &[Entry]) -> Vec<&Entry> {
    let mut seen = HashSet::new();
    entries
        .iter()
        .filter(|e| {
            !matches!(
                e.lookup,
                Lookup::Format(_) | Lookup::Id { plain: false, .. }
            )
        })
        .filter(|e| seen.insert(Arc::as_ptr(&e.endpoint)))
        .collect()
}

/// The names of the path's parameters (`{id}`), in order.
fn path_params(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_string)
        .collect()
}

/// The path's words (without parameters, and without a leading `api` or `api/v2`, as
/// drf-spectacular strips the common prefix) for the operation id, and its tag: the first word.
fn words_and_tag(path: &str) -> (String, String) {
    let mut segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .collect();
    if segments.first() == Some(&"api") {
        segments.remove(0);
        let version = segments.first().is_some_and(|s| {
            s.strip_prefix('v')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
        if version {
            segments.remove(0);
        }
    }
    let tag = segments.first().map_or("api", |s| s).to_string();
    let words = segments.join("_").replace(['-', '.'], "_");
    (words, tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_words_follow_drf_spectacular() {
        assert_eq!(
            words_and_tag("/api/notes/{id}/"),
            ("notes".into(), "notes".into())
        );
        assert_eq!(
            words_and_tag("/auth/token/login/"),
            ("auth_token_login".into(), "auth".into())
        );
        assert_eq!(
            words_and_tag("/api/v2/api-token-auth/"),
            ("api_token_auth".into(), "api-token-auth".into())
        );
        assert_eq!(words_and_tag("/api/"), (String::new(), "api".into()));
        assert_eq!(path_params("/p/{project_id}/t/{pk}/"), ["project_id", "pk"]);
    }
}
