//! A page of rows rendered straight from their cells, for the resources whose bodies hold
//! nothing but their own columns (no `url`, no owner or foreign key rendered from another
//! table, no many-to-many field).
//!
//! [`super::rows::render_row`] builds a `serde_json::Map` per row so that related fields can
//! be filled in by key afterwards. A plain list page never looks a key up: each row's entries
//! are kept in a `Vec` in the serializer's order, the keys borrowed from the schema, and
//! serialized as the map would be. That saves a hash table, a copied key per cell and their
//! frees for every row of every page; the bytes written are the same.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};

use super::related::needs_expansion;
use super::rows::field_values;
use super::schema::{FieldKind, Resource, Wire};
use crate::store::Cell;

/// One row's body: its entries in the serializer's order.
pub(crate) struct FlatRow<'r> {
    entries: Vec<(&'r str, Value)>,
}

/// Whether a body of `resource` is its own columns only, each key once (a map would keep one
/// entry per key; the schema check already refuses a key listed twice).
pub(crate) fn applies(resource: &Resource) -> bool {
    if needs_expansion(resource)
        || resource
            .fields
            .iter()
            .any(|f| f.kind == FieldKind::ManyToMany)
    {
        return false;
    }
    let keys: Vec<&str> = resource.wire.iter().map(|w| key(resource, w)).collect();
    keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k))
}

fn key<'r>(resource: &'r Resource, entry: &Wire) -> &'r str {
    match entry {
        Wire::Id => &resource.id_field,
        Wire::Url => "url",
        Wire::Field(i) => resource.fields.get(*i).map_or("", |f| f.name.as_str()),
    }
}

/// The body of a row read with [`super::query::read_columns`], as `render_row` would make it
/// (only for a resource [`applies`] holds for).
pub(crate) fn render<'r>(resource: &'r Resource, cells: Vec<Cell>) -> FlatRow<'r> {
    let (id, _, mut values) = field_values(resource, cells);
    let mut entries = Vec::with_capacity(resource.wire.len());
    for entry in &resource.wire {
        let value = match entry {
            Wire::Id => json!(id),
            Wire::Url => Value::Null,
            Wire::Field(i) => match (resource.fields.get(*i), values.get_mut(*i)) {
                (Some(field), Some(value)) if !field.write_only => std::mem::take(value),
                _ => continue,
            },
        };
        entries.push((key(resource, entry), value));
    }
    FlatRow { entries }
}

impl Serialize for FlatRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in &self.entries {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// The results of a list page: bodies built as values (related fields filled in), or rows
/// rendered flat. Serialized as the JSON array of either.
pub(crate) enum Results<'r> {
    Bodies(Vec<Value>),
    Flat(Vec<FlatRow<'r>>),
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Results::Bodies(bodies) => bodies.serialize(serializer),
            Results::Flat(rows) => {
                let mut seq = serializer.serialize_seq(Some(rows.len()))?;
                for row in rows {
                    seq.serialize_element(row)?;
                }
                seq.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::rows::render_row;
    use crate::resources::schema::Schema;

    fn notes() -> Schema {
        Schema::parse(include_str!("default_schema.toml")).expect("schema")
    }

    #[test]
    fn a_flat_row_serializes_as_the_rendered_map() {
        let schema = notes();
        let resource = &schema.resources[0];
        assert!(applies(resource));
        let cells = || {
            vec![
                Cell::Int(7),
                Cell::Text("a \"quoted\" title é".into()),
                Cell::Text("body\n".into()),
                Cell::Int(1),
                Cell::Int(3),
                Cell::Text("bob".into()),
                Cell::Text("2025-01-31 12:34:56.120000".into()),
                Cell::Text("2025-01-31 12:34:56.000000".into()),
            ]
        };
        let flat = serde_json::to_string(&Results::Flat(vec![render(resource, cells())]));
        let map = serde_json::to_string(&Value::Array(vec![render_row(resource, cells()).json]));
        assert_eq!(flat.ok(), map.ok());
    }
}
