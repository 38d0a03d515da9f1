//! One operation (a path and a method) of the document: its id and tag, parameters, request
//! body in each media type the view parses, its answer and DRF's error answers, and security.

use axum::http::Method;
use serde_json::{Map, Value, json};

use super::components::Components;
use super::resources::{ensure, list_answer, list_params};
use super::{accounts, errors, security};
use crate::config::Config;
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::Doc;
use crate::resources::schema::Schema;

/// What an operation takes and answers on success.
pub(super) struct Bodies {
    /// The request body's schema (for POST, PUT and PATCH).
    pub(super) request: Option<Value>,
    /// The status of success and its body's schema (`None`: no body).
    pub(super) success: (&'static str, Option<Value>),
    /// The query parameters.
    pub(super) params: Vec<Value>,
    /// Whether the success is a list (its operation id ends in `_list`).
    pub(super) list: bool,
    /// Whether the path's parameters are opaque strings, whatever their names.
    pub(super) opaque_ids: bool,
    /// Whether a 400 may come without a body (then no content is documented for it).
    pub(super) bare_bad_request: bool,
}

impl Default for Bodies {
    fn default() -> Self {
        Bodies {
            request: None,
            success: ("200", Some(json!({ "type": "object" }))),
            params: Vec::new(),
            list: false,
            opaque_ids: false,
            bare_bad_request: false,
        }
    }
}

/// What builds an operation: the configuration, the schema, and the components so far.
pub(super) struct Context<'a> {
    pub(super) config: &'a Config,
    pub(super) schema: &'a Schema,
    pub(super) components: Components,
    /// The operation ids given so far.
    pub(super) ids: std::collections::HashSet<String>,
}

/// The operation of `endpoint` for `method` at `path`, named `id`.
pub(super) fn operation(
    cx: &mut Context<'_>,
    endpoint: &Endpoint,
    method: &Method,
    path_params: &[String],
    (words, tag): (&str, &str),
) -> Value {
    let bodies = bodies(cx, endpoint, method);
    let id = operation_id(cx, words, method, bodies.list);
    let mut op = Map::new();
    op.insert("operationId".into(), json!(id));
    if !endpoint.description.is_empty() {
        op.insert("description".into(), json!(endpoint.description));
    }
    op.insert("summary".into(), json!(endpoint.name));
    let mut parameters: Vec<Value> = path_params
        .iter()
        .map(|name| {
            let schema = if bodies.opaque_ids {
                json!({ "type": "string" })
            } else {
                path_schema(name)
            };
            json!({ "name": name, "in": "path", "required": true, "schema": schema })
        })
        .collect();
    let takes_query = !bodies.params.is_empty() || !path_params.is_empty();
    parameters.extend(bodies.params);
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }
    op.insert("tags".into(), json!([tag]));
    let takes_body = bodies.request.is_some();
    if let Some(request) = bodies.request {
        let parses = endpoint
            .parses
            .map(<[&str]>::to_vec)
            .unwrap_or_else(|| crate::http::wire::ProjectWire::new(cx.config).parses);
        let content: Map<String, Value> = parses
            .iter()
            .map(|media| (media.to_string(), json!({ "schema": request })))
            .collect();
        op.insert("requestBody".into(), json!({ "content": content }));
    }
    op.insert(
        "security".into(),
        security::security(cx.config, cx.schema, endpoint, method),
    );
    let mut responses = Map::new();
    let (status, body) = bodies.success;
    let mut success = Map::new();
    success.insert("description".into(), json!(""));
    if let Some(body) = body {
        success.insert(
            "content".into(),
            json!({ "application/json": { "schema": body } }),
        );
    }
    responses.insert(status.into(), Value::Object(success));
    for (status, error) in errors::refs(takes_body, takes_query) {
        responses.insert(status.into(), error);
    }
    if bodies.bare_bad_request {
        let description = "Invalid input (a map of field errors), or no body at all where the \
                           view refuses the request as a whole.";
        responses.insert("400".into(), json!({ "description": description }));
    }
    op.insert("responses".into(), Value::Object(responses));
    Value::Object(op)
}

/// drf-spectacular's operation id: the path's words and the action (`notes_list`,
/// `notes_partial_update`), made unique with a number when two mounts share their words.
fn operation_id(cx: &mut Context<'_>, words: &str, method: &Method, list: bool) -> String {
    let action = match *method {
        Method::GET if list => "list",
        Method::GET => "retrieve",
        Method::POST => "create",
        Method::PUT => "update",
        Method::PATCH => "partial_update",
        Method::DELETE => "destroy",
        _ => "call",
    };
    // A router's API root at the stripped prefix has no words of its own.
    let words = if words.is_empty() { "root" } else { words };
    let base = format!("{words}_{action}");
    let mut id = base.clone();
    let mut n = 2;
    while !cx.ids.insert(id.clone()) {
        id = format!("{base}_{n}");
        n += 1;
    }
    id
}

/// A path parameter: a row's id is an integer (DRF's router lookup), anything else a string.
fn path_schema(name: &str) -> Value {
    if name == "id" || name == "pk" || name.ends_with("_id") {
        json!({ "type": "integer" })
    } else {
        json!({ "type": "string" })
    }
}

fn bodies(cx: &mut Context<'_>, endpoint: &Endpoint, method: &Method) -> Bodies {
    match &endpoint.doc {
        Doc::Plain => Bodies {
            request: matches!(*method, Method::POST | Method::PUT | Method::PATCH)
                .then(|| json!({ "type": "object" })),
            ..Bodies::default()
        },
        Doc::ApiRoot => Bodies {
            success: (
                "200",
                Some(json!({
                    "type": "object",
                    "additionalProperties": { "type": "string", "format": "uri" }
                })),
            ),
            ..Bodies::default()
        },
        Doc::Account(answer, takes) => accounts::bodies(
            &mut cx.components,
            cx.config,
            endpoint,
            (*answer, takes),
            method,
        ),
        Doc::Resource { index, detail } => resource_bodies(cx, *index, *detail, method),
        Doc::Own(view) => super::own::bodies(&mut cx.components, *view),
    }
}

fn resource_bodies(cx: &mut Context<'_>, index: usize, detail: bool, method: &Method) -> Bodies {
    let Some(resource) = cx.schema.resources.get(index) else {
        return Bodies::default();
    };
    let names = ensure(&mut cx.components, cx.schema, resource);
    let answer = || Some(super::components::reference(&names.answer));
    let style = resource.pagination.unwrap_or(cx.config.pagination);
    match (detail, method.clone()) {
        (false, Method::GET) => Bodies {
            success: (
                "200",
                Some(list_answer(&mut cx.components, style, &names.answer)),
            ),
            params: list_params(resource, style),
            list: true,
            ..Bodies::default()
        },
        (false, _) => Bodies {
            request: Some(super::components::reference(&names.request)),
            success: ("201", answer()),
            ..Bodies::default()
        },
        (true, Method::DELETE) => Bodies {
            success: ("204", None),
            ..Bodies::default()
        },
        (true, Method::PATCH) => Bodies {
            request: Some(super::components::reference(&names.patched)),
            success: ("200", answer()),
            ..Bodies::default()
        },
        (true, Method::PUT) => Bodies {
            request: Some(super::components::reference(&names.request)),
            success: ("200", answer()),
            ..Bodies::default()
        },
        (true, _) => Bodies {
            success: ("200", answer()),
            ..Bodies::default()
        },
    }
}
