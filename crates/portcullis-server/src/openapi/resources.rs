//! A resource's components (`Note`, `NoteRequest`, `PatchedNoteRequest`, `PaginatedNoteList`,
//! drf-spectacular's names) and the query parameters of its list: pagination, search,
//! ordering and the exact filters the schema declares.

use serde_json::{Map, Value, json};

use super::components::{Components, object, pascal, reference};
use super::fields::{Side, field_schema};
use crate::http::pagination::Style;
use crate::resources::schema::{FieldKind, Resource, Schema, Wire};

/// The component names of one resource.
pub(super) struct Names {
    pub(super) answer: String,
    pub(super) request: String,
    pub(super) patched: String,
}

/// Add the resource's components (and those of the resources it nests), once.
pub(super) fn ensure(components: &mut Components, schema: &Schema, resource: &Resource) -> Names {
    let base = pascal(&resource.label);
    let names = Names {
        request: format!("{base}Request"),
        patched: format!("Patched{base}Request"),
        answer: base,
    };
    if components.has(&names.answer) {
        return names;
    }
    // Claimed first: a resource nesting itself (or one nesting it back) stops here.
    components.add(&names.answer, json!({}));
    components.add(&names.answer, answer(schema, resource));
    components.add(&names.request, request(schema, resource, false));
    components.add(&names.patched, request(schema, resource, true));
    for field in &resource.fields {
        if let Some(target) = field.to.as_deref().and_then(|t| schema.resource(t))
            && field.related == crate::resources::schema::Related::Nested
        {
            ensure(components, schema, target);
        }
    }
    names
}

/// A row as the serializer renders it: every field of `Meta.fields` but the write-only ones,
/// all of them always there.
fn answer(schema: &Schema, resource: &Resource) -> Value {
    let mut properties = Map::new();
    for entry in &resource.wire {
        let (name, value) = match entry {
            Wire::Id => (
                resource.id_field.clone(),
                json!({ "type": "integer", "readOnly": true }),
            ),
            Wire::Url => (
                "url".to_string(),
                json!({ "type": "string", "format": "uri", "readOnly": true }),
            ),
            Wire::Field(i) => match resource.fields.get(*i) {
                Some(field) if !field.write_only => (
                    field.name.clone(),
                    field_schema(schema, field, Side::Answer),
                ),
                _ => continue,
            },
        };
        properties.insert(name, value);
    }
    let required = properties.keys().cloned().collect();
    object(properties, required)
}

/// A request body: the writable fields, the required ones required unless `partial` (PATCH).
fn request(schema: &Schema, resource: &Resource, partial: bool) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for entry in &resource.wire {
        let Wire::Field(i) = entry else { continue };
        let Some(field) = resource.fields.get(*i) else {
            continue;
        };
        if !field.writable() {
            continue;
        }
        properties.insert(
            field.name.clone(),
            field_schema(schema, field, Side::Request),
        );
        if field.required && !partial {
            required.push(field.name.clone());
        }
    }
    object(properties, required)
}

/// The answer of a list: a page of rows in the pagination's shape, or a plain array.
pub(super) fn list_answer(components: &mut Components, style: Style, item: &str) -> Value {
    let items = json!({ "type": "array", "items": reference(item) });
    let link = json!({ "type": ["string", "null"], "format": "uri" });
    let (properties, required) = match style {
        Style::None => return items,
        Style::CursorPagination => (
            json!({ "next": link, "previous": link, "results": items }),
            vec!["results"],
        ),
        Style::PageNumberPagination | Style::LimitOffsetPagination => (
            json!({
                "count": { "type": "integer", "example": 123 },
                "next": link,
                "previous": link,
                "results": items
            }),
            vec!["count", "results"],
        ),
    };
    let schema = json!({ "type": "object", "required": required, "properties": properties });
    components.add(&format!("Paginated{item}List"), schema)
}

/// The query parameters of a pagination style (`page_size` names the page size parameter
/// when the view has one).
pub(super) fn pagination_params(style: Style, page_size: Option<&str>) -> Vec<Value> {
    let mut out = match style {
        Style::None => return Vec::new(),
        Style::PageNumberPagination => vec![query(
            "page",
            "A page number within the paginated result set.",
            json!({ "type": "integer" }),
        )],
        Style::LimitOffsetPagination => vec![
            query(
                "limit",
                "Number of results to return per page.",
                json!({ "type": "integer" }),
            ),
            query(
                "offset",
                "The initial index from which to return the results.",
                json!({ "type": "integer" }),
            ),
        ],
        Style::CursorPagination => vec![query(
            "cursor",
            "The pagination cursor value.",
            json!({ "type": "string" }),
        )],
    };
    if let Some(name) = page_size {
        out.push(query(
            name,
            "Number of results to return per page.",
            json!({ "type": "integer" }),
        ));
    }
    out
}

/// The list's query parameters: pagination, then DRF's filter backends' (django-filter's exact
/// filters, `OrderingFilter`, `SearchFilter`), sorted by name as drf-spectacular lists them.
pub(super) fn list_params(resource: &Resource, style: Style) -> Vec<Value> {
    let mut out = pagination_params(style, resource.page_size_query_param.as_deref());
    for name in &resource.filter_fields {
        let kind = match resource.model_field(name).map(|f| f.kind) {
            Some(FieldKind::Boolean) => "boolean",
            Some(FieldKind::Integer | FieldKind::Owner | FieldKind::Reference) => "integer",
            Some(FieldKind::Float) => "number",
            _ => "string",
        };
        out.push(query(name, "", json!({ "type": kind })));
    }
    if !resource.ordering_fields.is_empty() {
        out.push(query(
            "ordering",
            "Which field to use when ordering the results.",
            json!({ "type": "string" }),
        ));
    }
    if !resource.search_fields.is_empty() {
        out.push(query(
            "search",
            "A search term.",
            json!({ "type": "string" }),
        ));
    }
    out.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    out
}

/// An optional query parameter.
fn query(name: &str, description: &str, schema: Value) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    m.insert("in".into(), json!("query"));
    if !description.is_empty() {
        m.insert("description".into(), json!(description));
    }
    m.insert("required".into(), json!(false));
    m.insert("schema".into(), schema);
    Value::Object(m)
}
