//! `GET /api/admin/resources/`: every resource the schema declares, for the console's row
//! browser — its name, label, list URL, the columns a row has (the implicit `id` and
//! timestamps included, each with its type and flags), what its list can search, order and
//! filter by, and its four permissions. One unpaginated list: the schema is small and fixed.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use crate::http::endpoint::Endpoint;
use crate::http::json::json_response;
use crate::http::layout::resource_list_path;
use crate::http::{ApiError, ApiRequest};
use crate::resources::access::CODENAMES;
use crate::resources::schema::{Field, Resource};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    crate::admin::endpoint("Admin Resource List", &[Method::GET], handle)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let body: Vec<Value> = req
        .state
        .schema()
        .resources
        .iter()
        .map(|r| resource_json(&req, r))
        .collect();
    Ok(json_response(StatusCode::OK, &body))
}

/// A column the engine adds to every row (`id`, and the timestamps when declared).
fn implicit(name: &str, label: &str, kind: &str) -> Value {
    json!({
        "name": name, "label": label, "type": kind, "required": false, "read_only": true,
        "write_only": false, "null": false, "blank": false, "unique": kind == "integer",
        "max_length": null, "choices": [], "to": null,
    })
}

fn field_json(field: &Field) -> Value {
    json!({
        "name": field.name,
        "label": field.label,
        "type": field.kind.name(),
        "required": field.required,
        "read_only": field.read_only,
        "write_only": field.write_only,
        "null": field.null,
        "blank": field.blank,
        "unique": field.unique,
        "max_length": field.max_length,
        "choices": field.choices,
        "to": field.to,
    })
}

fn resource_json(req: &ApiRequest, resource: &Resource) -> Value {
    let mut fields = vec![implicit(&resource.id_field, "ID", "integer")];
    fields.extend(resource.fields.iter().map(field_json));
    let permissions: Vec<String> = CODENAMES
        .iter()
        .map(|c| format!("{}.{c}", resource.name))
        .collect();
    json!({
        "name": resource.name,
        "label": resource.label,
        // The primary key's name in the rows: `id`, or `pk` where the project's serializer says so.
        "id_field": resource.id_field,
        // Where the layout's first router registering the resource lists it.
        "url": resource_list_path(req.state.config(), &resource.name)
            .map(|path| req.absolute_uri(&path)),
        "fields": fields,
        "search_fields": resource.search_fields,
        "ordering_fields": resource.ordering_fields,
        "filter_fields": resource.filter_fields,
        "permissions": permissions,
    })
}
