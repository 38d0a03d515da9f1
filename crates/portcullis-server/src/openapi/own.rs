//! Portcullis's own account views in the document: a user's sessions (`/auth/sessions/`,
//! beside djoser's URLs, rendered as the project renders) and the staff's audit log
//! (`/api/admin/audit/`, rendered by DRF's own renderers, so its bodies are never camelized).
//! They have no Django counterpart, so their bodies are written down here, from what
//! `accounts::routes::sessions` and `admin::render::audit_json` answer.

use serde_json::{Value, json};

use super::components::{Components, nullable, object};
use super::operation::Bodies;
use super::resources::{list_answer, pagination_params};
use crate::audit::Event;
use crate::http::endpoint_doc::Own;
use crate::http::pagination::Style;
use crate::http::routing::Group;

/// The routes of these views, at the paths the built-in layout mounts them.
pub(super) fn routes() -> Vec<Group> {
    vec![
        crate::accounts::sessions().mount("/auth/"),
        Group::new()
            .at("audit/", crate::admin::routes::audit::endpoint())
            .mount("/api/admin/"),
    ]
}

/// The bodies of `view`.
pub(super) fn bodies(components: &mut Components, view: Own) -> Bodies {
    match view {
        Own::Sessions => {
            let item = components.add("Session", session());
            Bodies {
                success: ("200", Some(json!({ "type": "array", "items": item }))),
                list: true,
                ..Bodies::default()
            }
        }
        Own::Session => Bodies {
            success: ("204", None),
            opaque_ids: true,
            ..Bodies::default()
        },
        Own::AuditLog => {
            components.add_verbatim("AuditEvent", audit_event());
            let style = Style::PageNumberPagination;
            let mut params = pagination_params(style, None);
            params.extend(audit_filters());
            params.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
            Bodies {
                success: ("200", Some(list_answer(components, style, "AuditEvent"))),
                params,
                list: true,
                ..Bodies::default()
            }
        }
    }
}

fn datetime() -> Value {
    json!({ "type": "string", "format": "date-time", "readOnly": true })
}

fn text() -> Value {
    json!({ "type": "string", "readOnly": true })
}

/// One session: never a secret, only its opaque id.
fn session() -> Value {
    let properties = json!({
        "id": { "type": "string", "readOnly": true },
        "kind": { "type": "string", "enum": ["token", "jwt"], "readOnly": true },
        "created": datetime(),
        "last_used": nullable(datetime()),
        "expires": nullable(datetime()),
        "client_addr": nullable(text()),
        "user_agent": nullable(text()),
    });
    let required = properties_of(&properties);
    object(as_map(properties), required)
}

/// One event of the audit log.
fn audit_event() -> Value {
    let properties = json!({
        "id": { "type": "integer", "readOnly": true },
        "at": datetime(),
        "event": { "type": "string", "enum": event_names(), "readOnly": true },
        "user": nullable(json!({ "type": "integer", "readOnly": true })),
        "username": text(),
        "client_addr": text(),
        "user_agent": text(),
        "detail": { "type": "object", "readOnly": true },
    });
    let required = properties_of(&properties);
    object(as_map(properties), required)
}

/// django-filter's filters of the audit list: `user`, `event`, `since` and `until`.
fn audit_filters() -> Vec<Value> {
    let moment = "A date or a date and time (ISO 8601; a date is its midnight, UTC).";
    [
        ("user", "The user's id.", json!({ "type": "integer" })),
        (
            "event",
            "The event's name.",
            json!({ "type": "string", "enum": event_names() }),
        ),
        ("since", moment, json!({ "type": "string" })),
        ("until", moment, json!({ "type": "string" })),
    ]
    .into_iter()
    .map(|(name, description, schema)| {
        json!({
            "name": name,
            "in": "query",
            "description": description,
            "required": false,
            "schema": schema
        })
    })
    .collect()
}

fn event_names() -> Vec<&'static str> {
    Event::ALL.iter().map(|e| e.name()).collect()
}

fn as_map(value: Value) -> serde_json::Map<String, Value> {
    match value {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// Every property: each is always rendered.
fn properties_of(properties: &Value) -> Vec<String> {
    properties
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_filters_name_every_event() {
        let filters = audit_filters();
        let event = filters
            .iter()
            .find(|f| f["name"] == "event")
            .expect("the event filter");
        assert_eq!(
            event["schema"]["enum"].as_array().map(Vec::len),
            Some(Event::ALL.len())
        );
    }
}
