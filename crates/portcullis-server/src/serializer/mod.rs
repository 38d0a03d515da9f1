//! The parts of DRF's serializers every endpoint shares: the root "must be a dictionary" check,
//! an ordered error map, and `CharField`'s validation with DRF's messages.

pub(crate) mod char_field;

pub(crate) use char_field::CharField;

use serde_json::{Map, Value};

use crate::http::ApiError;
use crate::http::body::RequestData;

/// The root object of a request body, or DRF's `non_field_errors` for anything else.
pub(crate) fn root_object(data: &RequestData) -> Result<&Map<String, Value>, ApiError> {
    match &data.value {
        Value::Object(map) => Ok(map),
        Value::Null => Err(ApiError::non_field("No data provided")),
        other => Err(ApiError::non_field(&format!(
            "Invalid data. Expected a dictionary, but got {}.",
            python_type(other)
        ))),
    }
}

/// The Python type name DRF puts in its messages.
pub(crate) fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Field errors in the order the fields were validated.
#[derive(Debug, Default)]
pub(crate) struct Errors {
    map: Map<String, Value>,
}

impl Errors {
    pub(crate) fn add(&mut self, field: &str, messages: Vec<String>) {
        if messages.is_empty() {
            return;
        }
        let entry = self
            .map
            .entry(field.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.extend(messages.into_iter().map(Value::String));
        }
    }

    /// Record the outcome of one field's validation, keeping the value if it was valid.
    pub(crate) fn take<T>(&mut self, field: &str, result: Result<T, Vec<String>>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(messages) => {
                self.add(field, messages);
                None
            }
        }
    }

    /// `Err(ValidationError)` if any field failed.
    pub(crate) fn check(self) -> Result<(), ApiError> {
        if self.map.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(Value::Object(self.map)))
        }
    }
}
