//! DRF's OPTIONS metadata for a resource's serializer (`SimpleMetadata.get_serializer_info`).

use serde_json::{Map, Value, json};

use crate::resources::schema::{FieldKind, Resource};

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

pub(super) fn serializer_info(resource: &Resource) -> Value {
    let mut fields = Map::new();
    fields.insert(
        resource.id_field.clone(),
        Value::Object(info("integer", false, true, "ID")),
    );
    for field in &resource.fields {
        let kind = match field.kind {
            _ if !field.choices.is_empty() => "choice",
            _ if field.slug => "slug",
            FieldKind::String | FieldKind::Text => "string",
            FieldKind::Integer => "integer",
            FieldKind::Float => "float",
            FieldKind::Boolean => "boolean",
            FieldKind::Date => "date",
            FieldKind::DateTime => "datetime",
            FieldKind::Json => "json",
            // SimpleMetadata has no entry for related fields, `ManyRelatedField` included, and
            // shows no `child` for it (that is a ListField's attribute).
            FieldKind::Owner | FieldKind::Reference | FieldKind::ManyToMany => "field",
        };
        let mut m = info(kind, field.required, field.read_only, &field.label);
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
        // SimpleMetadata lists choices for writable fields only.
        if !field.choices.is_empty() && !field.read_only {
            let choices: Vec<Value> = field
                .choices
                .iter()
                .map(|c| json!({"value": c, "display_name": c}))
                .collect();
            m.insert("choices".into(), Value::Array(choices));
        }
        fields.insert(field.name.clone(), Value::Object(m));
    }
    if resource.timestamps {
        fields.insert(
            "created_at".into(),
            Value::Object(info("datetime", false, true, "Created at")),
        );
        fields.insert(
            "updated_at".into(),
            Value::Object(info("datetime", false, true, "Updated at")),
        );
    }
    Value::Object(fields)
}
