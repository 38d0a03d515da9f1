//! The OpenAPI 3.1 document of the project's API, as drf-spectacular writes it for a Django
//! project: generated from the same declarations the dispatcher and the OPTIONS metadata read
//! (the endpoints mounted by [`crate::http::layout`] for the configuration, their
//! authentication, permission and parsers, and the schema's resources), served at
//! `/api/schema/` with Swagger UI at `/api/docs/` ([`serve`]) and printed by `portcullis openapi`.
//!
//! The document covers the project's own URLs (`[[urls]]`) and the account views Portcullis
//! adds beside them (a user's sessions, the staff's audit log); the rest of Portcullis's admin
//! API, its web app and these two pages are not part of the Django project it stands for, so
//! they are left out.

mod accounts;
mod components;
#[cfg(test)]
mod coverage_tests;
mod errors;
mod fields;
mod operation;
mod own;
mod paths;
mod resources;
mod security;
pub(crate) mod serve;

use serde_json::{Map, Value, json};

use crate::config::Config;
use crate::resources::schema::Schema;

/// How the document is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// The document for `config` and its `schema`, as a JSON value.
pub fn document(config: &Config, schema: &Schema) -> Value {
    let mut components = components::Components::default();
    let paths = paths::paths(config, schema, &mut components);
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.1.0"));
    out.insert(
        "info".into(),
        json!({
            "title": "Portcullis API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The project's REST API (DRF authtoken, djoser, simplejwt and the \
                            schema's resources), generated from Portcullis's declarations."
        }),
    );
    out.insert("paths".into(), Value::Object(paths));
    let mut parts = Map::new();
    // djangorestframework-camel-case renders and parses every body in camelCase.
    let camel = crate::http::wire::ProjectWire::new(config).camel_renderers;
    let schemas = components.into_schemas(|schema| {
        if camel {
            camelize(schema);
        }
    });
    parts.insert("schemas".into(), Value::Object(schemas));
    parts.insert("responses".into(), errors::responses());
    parts.insert("securitySchemes".into(), security::schemes(config));
    out.insert("components".into(), Value::Object(parts));
    Value::Object(out)
}

/// The document written as YAML (drf-spectacular's default) or JSON.
pub fn render(config: &Config, schema: &Schema, format: Format) -> Result<String, String> {
    let document = document(config, schema);
    match format {
        Format::Json => serde_json::to_string_pretty(&document).map_err(|e| e.to_string()),
        Format::Yaml => serde_norway::to_string(&document).map_err(|e| e.to_string()),
    }
}

/// The property names (and the `required` lists naming them) of every schema under `value`,
/// camelized as the camel-case renderer and parser write and read them.
fn camelize(value: &mut Value) {
    use crate::http::camel_case::keys::camelize as key;
    match value {
        Value::Object(m) => {
            if let Some(Value::Object(properties)) = m.get_mut("properties") {
                let renamed: Map<String, Value> = std::mem::take(properties)
                    .into_iter()
                    .map(|(k, v)| (key(&k).into_owned(), v))
                    .collect();
                *properties = renamed;
            }
            if let Some(Value::Array(required)) = m.get_mut("required") {
                for name in required.iter_mut() {
                    if let Value::String(text) = name {
                        *text = key(text).into_owned();
                    }
                }
            }
            m.values_mut().for_each(camelize);
        }
        Value::Array(items) => items.iter_mut().for_each(camelize),
        _ => {}
    }
}
