//! DRF's OPTIONS metadata for a resource's serializer (`SimpleMetadata.get_serializer_info`).

use serde_json::{Map, Value, json};

use crate::config::Config;
use crate::resources::owner_user;
use crate::resources::schema::{Field, FieldKind, Related, Resource, Schema, Wire};

fn info(kind: &str, required: bool, read_only: bool, label: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), json!(kind));
    m.insert("required".into(), json!(required));
    m.insert("read_only".into(), json!(read_only));
    m.insert("label".into(), json!(label));
    m
}

/// A numeric bound as Django's validator holds it: the schema's `max = 5` is the integer 5 in
/// the model DRF reads (shown as `5`, not `5.0`); a fractional bound stays a float.
fn bound(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// `SimpleMetadata.get_serializer_info`: each of the serializer's fields in its order. `schema`
/// holds the targets whose serializers a nested field describes (`children`); `config` the
/// user model a nested owner's serializer describes.
pub(super) fn serializer_info(config: &Config, schema: &Schema, resource: &Resource) -> Value {
    let mut fields = Map::new();
    for entry in &resource.wire {
        match entry {
            Wire::Id => {
                fields.insert(
                    resource.id_field.clone(),
                    Value::Object(info("integer", false, true, "ID")),
                );
            }
            // HyperlinkedIdentityField: a read-only field of no more specific type.
            Wire::Url => {
                fields.insert(
                    "url".into(),
                    Value::Object(info("field", false, true, "Url")),
                );
            }
            Wire::Field(i) => {
                if let Some(field) = resource.fields.get(*i) {
                    fields.insert(field.name.clone(), field_entry(config, schema, field));
                }
            }
        }
    }
    Value::Object(fields)
}

fn field_entry(config: &Config, schema: &Schema, field: &Field) -> Value {
    described(Some((config, schema)), field, field.read_only)
}

/// One plain field's entry (it has no relation to describe), read-only as its serializer says:
/// the user model's own fields under djoser's serializers.
pub(crate) fn field_info(field: &Field, read_only: bool) -> Value {
    described(None, field, read_only)
}

/// `related` holds what a nested field's `children` are described from.
fn described(related: Option<(&Config, &Schema)>, field: &Field, read_only: bool) -> Value {
    let kind = match field.kind {
        _ if !field.choices.is_empty() => "choice",
        _ if field.slug => "slug",
        FieldKind::Reference if field.related == Related::Nested => "nested object",
        _ if owner_user::is_nested_owner(field) => "nested object",
        FieldKind::String | FieldKind::Text => "string",
        FieldKind::Integer => "integer",
        FieldKind::Float => "float",
        FieldKind::Boolean => "boolean",
        FieldKind::Date => "date",
        FieldKind::DateTime => "datetime",
        FieldKind::Json => "json",
        // Every related field (pk, slug, string, hyperlink) is a plain `Field` to SimpleMetadata,
        // `ManyRelatedField` included, which shows no `child` (that is a ListField's attribute).
        FieldKind::Owner | FieldKind::Reference | FieldKind::ManyToMany => "field",
    };
    let mut m = info(kind, field.required && !read_only, read_only, &field.label);
    // DRF's ModelSerializer turns a CharField with choices into a ChoiceField, which has
    // no length limits to show.
    // SimpleMetadata writes its attributes in a fixed order: min_length before max_length.
    if field.choices.is_empty() {
        if let Some(min) = field.min_length {
            m.insert("min_length".into(), json!(min));
        }
        if let Some(max) = field.max_length {
            m.insert("max_length".into(), json!(max));
        }
    }
    if let Some(min) = field.min {
        m.insert("min_value".into(), bound(min));
    }
    if let Some(max) = field.max {
        m.insert("max_value".into(), bound(max));
    }
    // A nested serializer lists its own fields under `children`, after the attributes.
    if let Some((config, schema)) = related {
        if field.related == Related::Nested
            && let Some(target) = field.to.as_deref().and_then(|t| schema.resource(t))
        {
            m.insert("children".into(), serializer_info(config, schema, target));
        }
        if owner_user::is_nested_owner(field) {
            m.insert("children".into(), owner_user::children_info(config, field));
        }
    }
    // SimpleMetadata lists choices for writable fields only.
    if !field.choices.is_empty() && !read_only {
        let choices: Vec<Value> = field
            .choices
            .iter()
            .map(|c| json!({"value": c, "display_name": c}))
            .collect();
        m.insert("choices".into(), Value::Array(choices));
    }
    Value::Object(m)
}
