//! The bodies of the accounts views (djoser, authtoken, simplejwt). Their request bodies are
//! read from the OPTIONS `actions` the view declares (DRF's `SimpleMetadata` description of its
//! serializer), so that a field is written down once; what they answer is the declaration's
//! [`Answer`].

use axum::http::Method;
use serde_json::{Map, Value, json};

use super::components::{Components, object, pascal};
use super::operation::Bodies;
use super::resources::{list_answer, pagination_params};
use crate::accounts::user_serializer::user_create_info;
use crate::config::Config;
use crate::http::endpoint::{Actions, Endpoint};
use crate::http::endpoint_doc::{Answer, Takes};

/// The bodies of an accounts view for `method`.
pub(super) fn bodies(
    components: &mut Components,
    config: &Config,
    endpoint: &Endpoint,
    (answer, takes): (Answer, &Takes),
    method: &Method,
) -> Bodies {
    // djoser's user views share their serializers' names, whatever the view is called.
    let serializer = match takes {
        Takes::Serializer(describe) => Some(describe(config)),
        _ => None,
    };
    let base = match (answer, &serializer) {
        (_, Some(serializer)) => serializer.name.to_string(),
        (Answer::User, None) => "User".to_string(),
        // djoser's `get_serializer_class` for `create`.
        (Answer::Users, None) if config.djoser.user_create_password_retype => {
            "UserCreatePasswordRetype".to_string()
        }
        (Answer::Users, None) => "UserCreate".to_string(),
        _ => pascal(&endpoint.name),
    };
    let fields = match takes {
        // djoser's OPTIONS on the users list describes its fallback `user` serializer; a
        // registration takes `user_create`.
        Takes::Actions if answer == Answer::Users && *method == Method::POST => {
            user_create_info(config).as_object().cloned()
        }
        Takes::Actions => declared_fields(config, endpoint),
        Takes::Nothing => None,
        Takes::Described(describe) => describe().as_object().cloned(),
        Takes::Serializer(_) => serializer.and_then(|s| s.fields.as_object().cloned()),
    };
    let mut bodies = Bodies::default();
    let takes_body = !matches!(takes, Takes::Nothing);
    if takes_body && matches!(*method, Method::POST | Method::PUT | Method::PATCH) {
        bodies.request = Some(match &fields {
            Some(fields) => {
                let patched = *method == Method::PATCH;
                let name = if patched {
                    format!("Patched{base}Request")
                } else {
                    format!("{base}Request")
                };
                components.add(&name, request(fields, patched))
            }
            None => json!({ "type": "object" }),
        });
    }
    let user = || json!({ "$ref": "#/components/schemas/User" });
    bodies.success = match (answer, method.clone()) {
        (Answer::Strings(names), _) => {
            let properties = names
                .iter()
                .map(|n| (n.to_string(), json!({ "type": "string", "readOnly": true })))
                .collect();
            let required = names.iter().map(|n| n.to_string()).collect();
            (
                "200",
                Some(components.add(&base, object(properties, required))),
            )
        }
        (Answer::EmptyObject, _) => ("200", Some(json!({ "type": "object" }))),
        (Answer::NoContent, _) | (Answer::User, Method::DELETE) => ("204", None),
        (Answer::Resend, _) => {
            bodies.bare_bad_request = !config.djoser.send_activation_email;
            ("204", None)
        }
        (Answer::User, _) => {
            add_user(components, fields.as_ref());
            ("200", Some(user()))
        }
        (Answer::Users, Method::GET) => {
            add_user(components, fields.as_ref());
            bodies.params = pagination_params(config.pagination, None);
            bodies.list = true;
            (
                "200",
                Some(list_answer(components, config.pagination, "User")),
            )
        }
        (Answer::Users, _) => {
            let created = fields
                .as_ref()
                .map_or_else(|| json!({ "type": "object" }), |f| answer_of(f, false));
            ("201", Some(components.add(&base, created)))
        }
        (Answer::Registered, _) => {
            let created = fields
                .as_ref()
                .map_or_else(|| json!({ "type": "object" }), |f| answer_of(f, false));
            ("201", Some(components.add(&base, created)))
        }
    };
    bodies
}

/// `User`: djoser's user serializer as an answer, every field always there.
fn add_user(components: &mut Components, fields: Option<&Map<String, Value>>) {
    let schema = fields.map_or_else(|| json!({ "type": "object" }), |f| answer_of(f, true));
    components.add("User", schema);
}

/// The serializer fields of the view's OPTIONS `actions` (its POST or PUT), when they are the
/// same for every caller.
fn declared_fields(config: &Config, endpoint: &Endpoint) -> Option<Map<String, Value>> {
    let Actions::Fixed(describe) = &endpoint.actions else {
        return None;
    };
    let actions = describe(config);
    ["POST", "PUT"]
        .iter()
        .find_map(|m| actions.get(*m).and_then(Value::as_object).cloned())
}

/// A request body of the described fields: the writable ones, required as declared unless
/// `patched`.
fn request(fields: &Map<String, Value>, patched: bool) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (name, info) in fields {
        if info["read_only"] == json!(true) {
            continue;
        }
        properties.insert(name.clone(), field(info));
        if info["required"] == json!(true) && !patched {
            required.push(name.clone());
        }
    }
    object(properties, required)
}

/// An answer of the described fields: the readable ones (passwords are never answered), all
/// required when `always` (a serializer renders every field it has).
fn answer_of(fields: &Map<String, Value>, always: bool) -> Value {
    let mut properties = Map::new();
    for (name, info) in fields.iter().filter(|(n, _)| !n.contains("password")) {
        let mut schema = field(info);
        if info["read_only"] == json!(true)
            && let Value::Object(m) = &mut schema
        {
            m.insert("readOnly".into(), json!(true));
        }
        properties.insert(name.clone(), schema);
    }
    let required = if always {
        properties.keys().cloned().collect()
    } else {
        Vec::new()
    };
    object(properties, required)
}

/// One field of `SimpleMetadata` as a JSON Schema.
fn field(info: &Value) -> Value {
    let kind = info["type"].as_str().unwrap_or("field");
    let mut m = Map::new();
    let (base, format) = match kind {
        "string" | "slug" | "regex" => ("string", None),
        "email" => ("string", Some("email")),
        "url" => ("string", Some("uri")),
        "date" => ("string", Some("date")),
        "datetime" => ("string", Some("date-time")),
        "integer" => ("integer", None),
        "float" | "decimal" => ("number", None),
        "boolean" => ("boolean", None),
        "choice" => ("string", None),
        _ => return json!({}),
    };
    m.insert("type".into(), json!(base));
    match format {
        // Django's user model has `email = EmailField(blank=True)`: an empty one is stored and
        // answered as it is. A required email (djoser's `SendEmailResetSerializer`) is never
        // blank.
        Some("email") if info["required"] != json!(true) => {
            m.insert(
                "anyOf".into(),
                json!([{ "format": "email" }, { "maxLength": 0 }]),
            );
        }
        Some(format) => {
            m.insert("format".into(), json!(format));
        }
        None => {}
    }
    let attributes = [
        ("max_length", "maxLength"),
        ("min_length", "minLength"),
        ("max_value", "maximum"),
        ("min_value", "minimum"),
    ];
    for (from, to) in attributes {
        if let Some(value) = info.get(from) {
            m.insert(to.into(), value.clone());
        }
    }
    if let Some(Value::Array(choices)) = info.get("choices") {
        let values: Vec<Value> = choices.iter().map(|c| c["value"].clone()).collect();
        m.insert("enum".into(), Value::Array(values));
    }
    Value::Object(m)
}
