//! A response read to the end, with accessors for what the tests compare: headers as text,
//! the body as text and as JSON, DRF's `detail` and paginated `results`.

use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

/// A response, read to the end.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The body as text (invalid UTF-8 replaced).
    pub text: String,
    /// The body as JSON; `Null` when it is empty or not JSON.
    pub json: Value,
}

impl Response {
    /// A response from its parts, whichever way they were read.
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Vec<u8>) -> Response {
        Response {
            status,
            headers,
            text: String::from_utf8_lossy(&body).into_owned(),
            json: serde_json::from_slice(&body).unwrap_or(Value::Null),
            body,
        }
    }

    /// A header as text (`None` when absent).
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }

    /// `Vary`, lowercased, as the oracle transcripts compare it.
    pub(crate) fn vary(&self) -> Option<String> {
        self.header("vary").map(|v| v.to_ascii_lowercase())
    }

    /// `{"detail": ...}`'s text.
    pub(crate) fn detail(&self) -> &str {
        self.json["detail"].as_str().unwrap_or("")
    }

    /// A string member of the JSON body (empty when absent).
    pub(crate) fn str(&self, key: &str) -> String {
        self.json[key].as_str().unwrap_or_default().to_string()
    }

    /// The `results` of a paginated list.
    pub(crate) fn results(&self) -> Vec<Value> {
        self.json["results"].as_array().cloned().unwrap_or_default()
    }

    /// One field of each listed row.
    pub(crate) fn listed(&self, field: &str) -> Vec<Value> {
        self.results().iter().map(|r| r[field].clone()).collect()
    }
}
