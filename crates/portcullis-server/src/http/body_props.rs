//! Property tests of the body parsers (`body.rs`): no body and no media type panics, with the
//! camel-case parsers too; JSON reads a valid document as `serde_json` does; a form reads as a
//! plain decoder written from the HTML form rules does (split on `&`, then the first `=`, `+` is
//! a space, percent escapes, lossy UTF-8, the last value of a key wins); a multipart body built
//! from fields gives those fields back; the field limits are kept.

use percent_encoding::percent_decode;
use proptest::prelude::*;
use serde_json::{Map, Value};

use super::body::{DEFAULT_PARSES, RequestData, parse};
use super::{ApiError, body};
use crate::config::CamelCaseConfig;

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data; boundary=";
/// A boundary as browsers write them.
const BOUNDARY: &str = "----PropBoundary7MA4YWxkTrZu0gW";

fn parsed(content_type: &str, body: &[u8], max_fields: usize) -> Result<RequestData, ApiError> {
    parse(content_type, body, DEFAULT_PARSES, max_fields, None)
}

/// The form decoding model: `(name, value)` pairs in order.
fn decode_form(body: &[u8]) -> Vec<(String, String)> {
    let decode = |raw: &[u8]| {
        let spaced: Vec<u8> = raw
            .iter()
            .map(|&b| if b == b'+' { b' ' } else { b })
            .collect();
        let bytes: Vec<u8> = percent_decode(&spaced).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    body.split(|&b| b == b'&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| match piece.iter().position(|&b| b == b'=') {
            Some(at) => (decode(&piece[..at]), decode(&piece[at + 1..])),
            None => (decode(piece), String::new()),
        })
        .collect()
}

fn last_wins(pairs: &[(String, String)]) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.insert(k.clone(), Value::String(v.clone()));
    }
    Value::Object(map)
}

/// Any JSON document: scalars of every kind (large and fractional numbers, any text) nested in
/// arrays and objects.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC*".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("\\PC{0,8}", inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Bytes that look like a form: names, `=`, `&`, `+`, escapes (whole, cut short, invalid).
fn form_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        "[a-z_]{1,6}".prop_map(String::into_bytes),
        prop::sample::select(vec![
            "=", "&", "&&", "+", "%", "%2", "%zz", "%C3%A9", "%FF", "%26"
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        "\\PC{1,4}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 1..4),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

/// A multipart body of `fields`, and a file part the parser drops.
fn multipart(fields: &[(String, String)]) -> Vec<u8> {
    let mut body = b"preamble\r\n".to_vec();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"up\"; filename=\"a.bin\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n\x00\x01\r\n--{BOUNDARY}--\r\n"
        )
        .as_bytes(),
    );
    body
}

fn field_value() -> impl Strategy<Value = String> {
    any::<String>().prop_filter("no boundary inside", |v| !v.contains(BOUNDARY))
}

proptest! {
    #[test]
    fn no_body_panics_under_any_media_type(
        content_type in prop_oneof![
            Just("application/json".to_string()),
            Just(FORM.to_string()),
            Just(format!("{MULTIPART}{BOUNDARY}")),
            "multipart/form-data(; boundary=\\PC{0,80})?",
            "\\PC{0,40}",
        ],
        body in prop::collection::vec(any::<u8>(), 0..2048),
        camel in any::<bool>(),
    ) {
        let options = CamelCaseConfig::default();
        let _ = parse(&content_type, &body, DEFAULT_PARSES, 50, camel.then_some(&options));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed(
        depth in 1usize..5000,
        open in prop::sample::select(vec!["[", "{\"aB\":"]),
        camel in any::<bool>(),
    ) {
        let body = open.repeat(depth);
        let options = CamelCaseConfig::default();
        let answer = parse("application/json", body.as_bytes(), DEFAULT_PARSES, 50, camel.then_some(&options));
        prop_assert!(matches!(answer, Err(ApiError::ParseError(_))));
    }

    #[test]
    fn json_reads_a_valid_document_as_serde_json_does(value in json_value()) {
        let text = serde_json::to_string(&value).unwrap_or_default();
        // serde_json's reading of the text (a float may come back one unit in the last place
        // off what was written: its fast float parser, which the server uses too).
        let reference: Value = serde_json::from_str(&text).unwrap_or_default();
        let data = parsed("application/json", text.as_bytes(), 1000);
        prop_assert_eq!(data.map(|d| d.value).ok(), Some(reference));
    }

    #[test]
    fn json_refuses_exactly_what_serde_json_refuses(body in prop::collection::vec(any::<u8>(), 1..256)) {
        let reference = serde_json::from_slice::<Value>(&body);
        match parsed("application/json", &body, 1000) {
            Ok(data) => prop_assert_eq!(Some(data.value), reference.ok()),
            Err(ApiError::ParseError(detail)) => {
                prop_assert!(reference.is_err(), "refused {:?}", body);
                prop_assert!(detail.starts_with("JSON parse error - "));
            }
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn a_form_reads_as_the_plain_decoder_does(body in form_bytes()) {
        let expected = decode_form(&body);
        match parsed(FORM, &body, 1000) {
            Ok(data) => {
                prop_assert!(data.is_form || body.is_empty());
                prop_assert_eq!(data.value, last_wins(&expected));
                prop_assert_eq!(data.form_pairs, expected);
            }
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn a_form_past_the_field_limit_is_refused(count in 1usize..40, max in 1usize..40) {
        let body = vec!["a=1"; count].join("&");
        let refused = matches!(
            parsed(FORM, body.as_bytes(), max),
            Err(ApiError::ParseError(d)) if d == body::TOO_MANY_FIELDS
        );
        prop_assert_eq!(refused, count > max);
    }

    #[test]
    fn a_multipart_body_gives_its_fields_back(
        fields in prop::collection::vec(("[a-z_]{1,10}", field_value()), 0..8),
    ) {
        let content_type = format!("{MULTIPART}{BOUNDARY}");
        let data = parsed(&content_type, &multipart(&fields), 1000);
        prop_assert_eq!(data.map(|d| d.value).ok(), Some(last_wins(&fields)));
    }

    #[test]
    fn a_multipart_body_past_the_field_limit_is_refused(count in 0usize..12, max in 1usize..12) {
        let fields: Vec<_> = (0..count).map(|i| (format!("f{i}"), "v".to_string())).collect();
        let content_type = format!("{MULTIPART}{BOUNDARY}");
        let refused = matches!(
            parsed(&content_type, &multipart(&fields), max),
            Err(ApiError::ParseError(d)) if d == body::TOO_MANY_FIELDS
        );
        prop_assert_eq!(refused, count > max);
    }
}
