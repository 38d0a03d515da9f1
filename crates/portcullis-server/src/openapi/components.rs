//! `components/schemas`: the named bodies operations refer to with `$ref`, collected while the
//! paths are built (so only what some operation uses is there).

use serde_json::{Map, Value, json};

#[derive(Default)]
pub(super) struct Components {
    schemas: Map<String, Value>,
    /// The schemas of bodies rendered by DRF's own renderers whatever the project's are
    /// (Portcullis's admin API): never camelized.
    verbatim: std::collections::HashSet<String>,
}

impl Components {
    /// Add (or replace: two mounts of one view describe the same body) `name`, and refer to it.
    pub(super) fn add(&mut self, name: &str, schema: Value) -> Value {
        self.schemas.insert(name.to_string(), schema);
        reference(name)
    }

    /// [`Components::add`] for a body the camel-case renderer never touches.
    pub(super) fn add_verbatim(&mut self, name: &str, schema: Value) -> Value {
        self.verbatim.insert(name.to_string());
        self.add(name, schema)
    }

    /// Whether `name` is already there (a resource's components are built once).
    pub(super) fn has(&self, name: &str) -> bool {
        self.schemas.contains_key(name)
    }

    /// The schemas, sorted by name as drf-spectacular writes them; `rename` is applied to each
    /// but the verbatim ones.
    pub(super) fn into_schemas(self, rename: impl Fn(&mut Value)) -> Map<String, Value> {
        let verbatim = self.verbatim;
        let mut sorted: Vec<(String, Value)> = self
            .schemas
            .into_iter()
            .map(|(name, mut schema)| {
                if !verbatim.contains(&name) {
                    rename(&mut schema);
                }
                (name, schema)
            })
            .collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        sorted.into_iter().collect()
    }
}

/// `{"$ref": "#/components/schemas/<name>"}`.
pub(super) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// `schema`, or null (OpenAPI 3.1 spells nullable as a union with `null`).
pub(super) fn nullable(schema: Value) -> Value {
    match schema {
        Value::Object(mut m) if m.get("type").is_some_and(Value::is_string) => {
            let kind = m.remove("type").unwrap_or(Value::Null);
            m.insert("type".into(), json!([kind, "null"]));
            if let Some(Value::Array(values)) = m.get_mut("enum") {
                values.push(Value::Null);
            }
            Value::Object(m)
        }
        other => json!({ "oneOf": [other, { "type": "null" }] }),
    }
}

/// A name as drf-spectacular derives component names: words joined, each capitalized
/// ("Token Create" → `TokenCreate`, "notes" → `Notes`).
pub(super) fn pascal(words: &str) -> String {
    words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// An object schema of `properties`, with `required` when any are.
pub(super) fn object(properties: Map<String, Value>, required: Vec<String>) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    m.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        m.insert("required".into(), json!(required));
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_nulls_follow_drf_spectacular() {
        assert_eq!(pascal("Token Create"), "TokenCreate");
        assert_eq!(pascal("api-token-auth"), "ApiTokenAuth");
        assert_eq!(
            nullable(json!({"type": "integer"})),
            json!({"type": ["integer", "null"]})
        );
        assert_eq!(
            nullable(reference("Note")),
            json!({"oneOf": [{"$ref": "#/components/schemas/Note"}, {"type": "null"}]})
        );
    }
}
