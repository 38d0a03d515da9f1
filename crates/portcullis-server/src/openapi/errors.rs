//! DRF's error bodies as `components/responses`: `{"detail": "..."}` for 401, 403, 404, 405,
//! 406, 415 and 429 (with the `WWW-Authenticate` and `Allow` headers DRF always sends on a 401
//! and a 405), and the map of field errors of a 400.

use serde_json::{Map, Value, json};

/// The error answers every operation may give, by status: (status, component, description).
const ERRORS: [(&str, &str, &str); 8] = [
    (
        "400",
        "ValidationError",
        "Invalid input: a map of each field to its errors (`non_field_errors` for the body as \
         a whole), or `{\"detail\": ...}` for a body that cannot be parsed.",
    ),
    (
        "401",
        "NotAuthenticated",
        "No credentials, or invalid ones (a bad token is refused even where anyone may call).",
    ),
    ("403", "PermissionDenied", "Authenticated, but not allowed."),
    ("404", "NotFound", "Not found."),
    ("405", "MethodNotAllowed", "The method is not allowed here."),
    (
        "406",
        "NotAcceptable",
        "No renderer satisfies the `Accept` header or the `format` parameter.",
    ),
    (
        "415",
        "UnsupportedMediaType",
        "No parser for the request's `Content-Type`.",
    ),
    ("429", "Throttled", "Too many requests: try again later."),
];

/// The statuses of the errors an operation lists: every one but 400 and 415 when it takes no
/// body and no query parameter.
pub(super) fn refs(takes_body: bool, takes_query: bool) -> Vec<(&'static str, Value)> {
    ERRORS
        .iter()
        .filter(|(status, _, _)| match *status {
            "400" => takes_body || takes_query,
            "415" => takes_body,
            _ => true,
        })
        .map(|(status, name, _)| {
            (
                *status,
                json!({ "$ref": format!("#/components/responses/{name}") }),
            )
        })
        .collect()
}

/// `components/responses`.
pub(super) fn responses() -> Value {
    let detail = json!({
        "type": "object",
        "properties": { "detail": { "type": "string" } },
        "required": ["detail"]
    });
    let fields = json!({
        "type": "object",
        "additionalProperties": true
    });
    let mut out = Map::new();
    for (status, name, description) in ERRORS {
        let schema = if status == "400" { &fields } else { &detail };
        let mut response = Map::new();
        response.insert("description".into(), json!(description));
        let header = match status {
            "401" => Some(("WWW-Authenticate", "The authentication scheme to use.")),
            "405" => Some(("Allow", "The methods the URL allows.")),
            _ => None,
        };
        if let Some((header, description)) = header {
            response.insert(
                "headers".into(),
                json!({ header: {
                    "description": description,
                    "required": true,
                    "schema": { "type": "string" }
                }}),
            );
        }
        response.insert(
            "content".into(),
            json!({ "application/json": { "schema": schema } }),
        );
        out.insert(name.to_string(), Value::Object(response));
    }
    Value::Object(out)
}
