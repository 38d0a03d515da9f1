//! A resource field as a JSON Schema, as drf-spectacular maps DRF's fields: types, formats,
//! lengths, bounds, choices, nullability and defaults; read-only fields only in answers and
//! write-only fields only in requests (the request and answer components are separate, as
//! drf-spectacular's `COMPONENT_SPLIT_REQUEST` makes them).

use serde_json::{Map, Value, json};

use super::components::{nullable, pascal, reference};
use crate::resources::schema::{Field, FieldKind, OwnerSource, Related, Schema};

/// Which body a schema is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Answer,
    Request,
}

/// The schema of `field` in an answer or a request.
pub(super) fn field_schema(schema: &Schema, field: &Field, side: Side) -> Value {
    let mut out = match field.kind {
        FieldKind::Owner => owner(field),
        FieldKind::Reference => related(schema, field, side),
        FieldKind::ManyToMany => json!({ "type": "array", "items": related(schema, field, side) }),
        _ => plain(field, side),
    };
    if field.null && field.kind != FieldKind::ManyToMany {
        out = nullable(out);
    }
    if let Value::Object(m) = &mut out {
        if field.read_only || field.kind == FieldKind::Owner {
            m.insert("readOnly".into(), json!(true));
        }
        if field.write_only {
            m.insert("writeOnly".into(), json!(true));
        }
        if let Some(default) = &field.default
            && side == Side::Request
        {
            m.insert("default".into(), default.clone());
        }
    }
    out
}

/// A field of a column type.
fn plain(field: &Field, side: Side) -> Value {
    let mut m = Map::new();
    let kind = match field.kind {
        FieldKind::Integer => "integer",
        FieldKind::Float => "number",
        FieldKind::Boolean => "boolean",
        FieldKind::Json => return json!({}),
        _ => "string",
    };
    m.insert("type".into(), json!(kind));
    match field.kind {
        FieldKind::Date => {
            m.insert("format".into(), json!("date"));
        }
        FieldKind::DateTime => {
            m.insert("format".into(), json!("date-time"));
        }
        FieldKind::Float => {
            m.insert("format".into(), json!("double"));
        }
        _ => {}
    }
    if !field.choices.is_empty() {
        m.insert("enum".into(), json!(field.choices));
    } else if matches!(field.kind, FieldKind::String | FieldKind::Text) {
        if let Some(max) = field.max_length {
            m.insert("maxLength".into(), json!(max));
        }
        // DRF refuses a blank value of a field that may not be blank (drf-spectacular writes
        // `minLength: 1` in request components).
        let min = field
            .min_length
            .or((side == Side::Request && !field.blank).then_some(1));
        if let Some(min) = min {
            m.insert("minLength".into(), json!(min));
        }
        if field.slug {
            m.insert("pattern".into(), json!("^[-a-zA-Z0-9_]+$"));
        }
    }
    if let Some(min) = field.min {
        m.insert("minimum".into(), json!(min));
    }
    if let Some(max) = field.max {
        m.insert("maximum".into(), json!(max));
    }
    Value::Object(m)
}

/// What an owner field renders of the user (it is always read-only).
fn owner(field: &Field) -> Value {
    match field.owner_source {
        OwnerSource::Username => json!({ "type": "string" }),
        OwnerSource::Email => json!({ "type": "string", "format": "email" }),
        OwnerSource::Id => json!({ "type": "integer" }),
        OwnerSource::Hyperlink => json!({ "type": "string", "format": "uri" }),
        OwnerSource::Nested => {
            let properties: Map<String, Value> = field
                .owner_fields
                .iter()
                .map(|name| (name.clone(), json!({})))
                .collect();
            json!({ "type": "object", "properties": properties })
        }
    }
}

/// A foreign key (or one item of a many-to-many field) as its serializer field renders it.
fn related(schema: &Schema, field: &Field, side: Side) -> Value {
    let target = field.to.as_deref().and_then(|t| schema.resource(t));
    match &field.related {
        Related::Pk => json!({ "type": "integer" }),
        Related::Slug(_) | Related::Str => json!({ "type": "string" }),
        Related::Hyperlink => json!({ "type": "string", "format": "uri" }),
        Related::Nested => match (target, side) {
            (Some(target), Side::Answer) => reference(&pascal(&target.label)),
            _ => json!({ "type": "object" }),
        },
    }
}
