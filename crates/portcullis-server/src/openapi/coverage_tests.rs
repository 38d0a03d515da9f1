//! The document against the routes the layout mounts, for the default configuration and every
//! reference project's (tests/projects): each mounted route (and each of Portcullis's own
//! account views: sessions, audit log) is described (format-suffix copies
//! aside, a slash-optional view at one spelling), and each `$ref` names a component.

use serde_json::Value;

use crate::config::Config;
use crate::http::routing::Lookup;
use crate::resources::schema::{DEFAULT_SCHEMA, Schema};

/// Each project's configuration and schema file (the built-in schema when it has none).
const PROJECTS: &[(&str, &str, Option<&str>)] = &[
    ("default", "", None),
    (
        "camel_case",
        include_str!("../../../../tests/projects/camel_case/portcullis.toml"),
        None,
    ),
    (
        "email_login",
        include_str!("../../../../tests/projects/email_login/portcullis.toml"),
        Some(include_str!(
            "../../../../tests/projects/email_login/schema.toml"
        )),
    ),
    (
        "generic_views",
        include_str!("../../../../tests/projects/generic_views/portcullis.toml"),
        Some(include_str!(
            "../../../../tests/projects/generic_views/schema.toml"
        )),
    ),
    (
        "login_field",
        include_str!("../../../../tests/projects/login_field/portcullis.toml"),
        None,
    ),
    (
        "many_to_many",
        include_str!("../../../../tests/projects/many_to_many/portcullis.toml"),
        Some(include_str!(
            "../../../../tests/projects/many_to_many/schema.toml"
        )),
    ),
    (
        "owner_shapes",
        include_str!("../../../../tests/projects/owner_shapes/portcullis.toml"),
        Some(include_str!(
            "../../../../tests/projects/owner_shapes/schema.toml"
        )),
    ),
    (
        "pagination",
        include_str!("../../../../tests/projects/pagination/portcullis.toml"),
        Some(include_str!(
            "../../../../tests/projects/pagination/schema.toml"
        )),
    ),
    (
        "serializer_shapes",
        include_str!("../../../../tests/projects/serializer_shapes/portcullis.toml"),
        Some(include_str!(
            "../../../../tests/projects/serializer_shapes/schema.toml"
        )),
    ),
    (
        "urls_layout",
        include_str!("../../../../tests/projects/urls_layout/portcullis.toml"),
        None,
    ),
    (
        "user_profile",
        include_str!("../../../../tests/projects/user_profile/portcullis.toml"),
        None,
    ),
];

fn project(config: &str, schema: Option<&str>) -> (Config, Schema) {
    let config: Config = toml::from_str(config).expect("the project's portcullis.toml");
    let schema = Schema::parse(schema.unwrap_or(DEFAULT_SCHEMA)).expect("the project's schema");
    (config, schema)
}

/// Every `$ref` under `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r);
            }
            m.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_mounted_route_is_described_and_every_ref_resolves() {
    for (name, config, schema) in PROJECTS {
        let (config, schema) = project(config, *schema);
        let document = super::document(&config, &schema);
        assert_eq!(document["openapi"], "3.1.0", "{name}");
        let paths = document["paths"].as_object().expect("paths");
        let table = crate::http::layout::project_routes(&config, &schema);
        // Portcullis's own account views beside the project's: the sessions and the audit log.
        let own = crate::http::routing::RouteTable::of(super::own::routes());
        let entries = [table.endpoints(), own.endpoints()].concat();
        for entry in &entries {
            if matches!(entry.lookup, Lookup::Format(_)) {
                continue;
            }
            let (bare, slashed) = (entry.path.trim_end_matches('/'), entry.path.clone());
            let described = paths.contains_key(&slashed)
                || paths.contains_key(bare)
                || paths.contains_key(&format!("{bare}/"));
            assert!(described, "{name}: {} is not in the document", entry.path);
        }
        let mut found = Vec::new();
        refs(&document, &mut found);
        assert!(!found.is_empty(), "{name}");
        for r in found {
            let pointer = r.strip_prefix('#').expect("a local reference");
            assert!(
                document.pointer(pointer).is_some(),
                "{name}: {r} names no component"
            );
        }
    }
}

#[test]
fn every_operation_has_a_unique_id_a_tag_and_an_answer() {
    for (name, config, schema) in PROJECTS {
        let (config, schema) = project(config, *schema);
        let document = super::document(&config, &schema);
        let mut ids = std::collections::HashSet::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("a path item") {
                let id = op["operationId"].as_str().expect("an operationId");
                assert!(ids.insert(id.to_string()), "{name}: {id} twice");
                assert!(op["tags"][0].is_string(), "{name}: {method} {path}");
                let responses = op["responses"].as_object().expect("responses");
                assert!(
                    responses.keys().any(|s| s.starts_with('2')),
                    "{name}: {method} {path} has no success"
                );
            }
        }
    }
}
