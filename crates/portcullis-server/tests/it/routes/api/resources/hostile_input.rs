//! Hostile request data on schema-defined resources never costs a connection: values out of
//! every range (64-bit integers and beyond, floats beyond f64, NaN and infinities, offsets of a
//! day or more, instants past year 9999) sent to every field type and every list parameter get
//! a 2xx or a 4xx in DRF's shape. Under `oneshot` a panic in a handler fails the test itself.
#![allow(clippy::unwrap_used)]

use crate::harness::Response;
use crate::harness::resources::{ResourceApp, field_error};
use axum::http::StatusCode;
use serde_json::{Value, json};

const DATETIME_FORMAT: &str = "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";

/// One resource with every field type, a float filter and an uncapped `page_size` parameter.
const MEASURES: &str = r#"
[[resources]]
name = "measures"
ordering = ["id"]
search_fields = ["label"]
ordering_fields = ["label", "count", "ratio", "at"]
filter_fields = ["count", "ratio", "flag", "label", "parent"]
page_size = 2
page_size_query_param = "page_size"

[resources.access]
list = "anyone"
retrieve = "anyone"
create = "anyone"
update = "anyone"
destroy = "anyone"

[[resources.fields]]
name = "label"
type = "string"
max_length = 20
blank = true
default = ""

[[resources.fields]]
name = "notes"
type = "text"
blank = true
default = ""

[[resources.fields]]
name = "count"
type = "integer"
null = true

[[resources.fields]]
name = "ratio"
type = "float"
null = true

[[resources.fields]]
name = "flag"
type = "boolean"
default = false

[[resources.fields]]
name = "day"
type = "date"
null = true

[[resources.fields]]
name = "at"
type = "datetime"
null = true

[[resources.fields]]
name = "extra"
type = "json"
null = true

[[resources.fields]]
name = "parent"
type = "reference"
to = "measures"
null = true
on_delete = "cascade"
"#;

async fn measures() -> ResourceApp {
    let app = ResourceApp::with_schema(MEASURES).await;
    for n in 1..=5 {
        let body = json!({"label": format!("m{n}"), "count": n});
        let reply = app.anon().post("/api/measures/", body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json);
    }
    app
}

async fn patch(app: &ResourceApp, body: Value) -> Response {
    app.anon().patch("/api/measures/1/", body).await
}

/// A 2xx, or a 400 whose body is `{field: [message, ...]}` for the field sent.
fn assert_drf_answer(reply: &Response, field: &str, what: &str) {
    if reply.status.is_success() {
        return;
    }
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "{what}: {}",
        reply.json
    );
    let messages = reply.json[field].as_array();
    assert!(
        messages.is_some_and(|m| !m.is_empty() && m.iter().all(Value::is_string)),
        "{what}: {}",
        reply.json
    );
}

#[tokio::test]
async fn datetime_offsets_and_instants_out_of_range_are_field_errors() {
    let app = measures().await;
    // Python refuses offsets of a day or more: a wrong format, not an instant past 9999.
    for text in ["9999-12-31T23:59:59-25:00", "2025-01-31T10:00+24:00"] {
        let reply = patch(&app, json!({ "at": text })).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{text}");
        assert_eq!(reply.json, field_error("at", DATETIME_FORMAT), "{text}");
    }
    // A valid offset that carries the instant out of Python's years: DRF's `overflow`.
    for text in ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00+01:00"] {
        let reply = patch(&app, json!({ "at": text })).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{text}");
        assert_eq!(
            reply.json,
            field_error("at", "Datetime value out of range."),
            "{text}"
        );
    }
    let edge = patch(&app, json!({ "at": "9999-12-31T23:59:59.999999Z" })).await;
    assert_eq!(edge.status, StatusCode::OK, "{}", edge.json);
    assert_eq!(edge.json["at"], "9999-12-31T23:59:59.999999Z");
}

#[tokio::test]
async fn a_page_size_beyond_64_bits_is_served() {
    let app = measures().await;
    for size in [
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "99999999999999999999999",
    ] {
        let reply = app
            .anon()
            .get(&format!("/api/measures/?page_size={size}"))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{size}: {}", reply.json);
        assert_eq!(reply.results().len(), 5, "{size}");
        assert_eq!(reply.json["next"], Value::Null, "{size}");
    }
    // page × page_size beyond 64 bits is just a page that does not exist.
    let reply = app
        .anon()
        .get("/api/measures/?page=9223372036854775807&page_size=9223372036854775807")
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json, json!({ "detail": "Invalid page." }));
}

#[tokio::test]
async fn filters_beyond_their_type_match_nothing_or_are_refused() {
    let app = measures().await;
    for big in ["9223372036854775808", "-99999999999999999999"] {
        let reply = app.anon().get(&format!("/api/measures/?count={big}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{big}: {}", reply.json);
        assert_eq!(reply.json["count"], 0, "{big}");
    }
    for bad in ["NaN", "inf", "-infinity", "1e400"] {
        let reply = app.anon().get(&format!("/api/measures/?ratio={bad}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(reply.json, field_error("ratio", "Enter a number."), "{bad}");
    }
}

/// Values that are out of some field's range or type.
fn hostile_values() -> Vec<Value> {
    let mut values = vec![
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1e308),
        json!(-1e308),
        json!(f64::MIN_POSITIVE),
        json!(9.3e18),
        json!(true),
        json!([]),
        json!({}),
        json!([[[[[[[[[[1]]]]]]]]]]),
        json!(""),
        json!(" "),
        json!("\u{0}"),
        json!("é".repeat(3000)),
        json!("ǅ\u{301}\u{10FFFF}"),
        Value::Null,
    ];
    for text in [
        "NaN",
        "-inf",
        "Infinity",
        "1e400",
        "-1e400",
        "9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999999999999999",
        "1_000",
        "0x10",
        "9999-12-31T23:59:59-25:00",
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00+23:59",
        "9999-12-31T23:59:59+99:99",
        "0000-01-01",
        "99999-01-01",
        "9999-W53-7",
        "2025-W99",
        "2025-02-30",
        "2025-01-31T10:00:00.99999999999999999999Z",
        "2025-01-31Té10:00",
        "2025-01-31T10:00+05:é",
    ] {
        values.push(json!(text));
    }
    values
}

#[tokio::test]
async fn hostile_values_to_every_field_type_get_drf_answers() {
    let app = measures().await;
    let fields = [
        "label", "notes", "count", "ratio", "flag", "day", "at", "extra",
    ];
    for field in fields {
        for value in hostile_values() {
            let what = format!("{field} = {value:.60}");
            let reply = patch(&app, json!({ field: value })).await;
            assert_drf_answer(&reply, field, &what);
            let created = app
                .anon()
                .post("/api/measures/", json!({ field: value }))
                .await;
            assert_drf_answer(&created, field, &what);
        }
    }
    // Numbers that JSON can write but no f64 holds are the parser's 400.
    let headers: &[(&str, &[u8])] = &[("content-type", b"application/json")];
    for raw in [&b"{\"ratio\": 1e400}"[..], b"{\"count\": -1e400}"] {
        let reply = app
            .anon()
            .raw("PATCH", "/api/measures/1/", headers, raw)
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(
            reply.detail().starts_with("JSON parse error - "),
            "{:?}",
            reply.json
        );
    }
}

#[tokio::test]
async fn hostile_list_parameters_and_ids_get_drf_answers() {
    let app = measures().await;
    let params = [
        "page",
        "page_size",
        "ordering",
        "search",
        "count",
        "ratio",
        "flag",
        "label",
    ];
    let values = [
        "99999999999999999999",
        "-99999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "NaN",
        "inf",
        "1e400",
        "last",
        "0",
        "-1",
        "1_0",
        "%00",
        "%ff%fe",
        "%C3%A9",
        "-",
        ",,,-,",
        "-count,-ratio,-at,label",
        "%22",
        "%27%5C",
        "%22a%20b",
    ];
    for param in params {
        for value in values {
            let path = format!("/api/measures/?{param}={value}");
            let reply = app.anon().get(&path).await;
            let ok = [
                StatusCode::OK,
                StatusCode::BAD_REQUEST,
                StatusCode::NOT_FOUND,
            ];
            assert!(ok.contains(&reply.status), "{path}: {}", reply.status);
            assert!(reply.json.is_object() || reply.json.is_array(), "{path}");
        }
    }
    for id in [
        "99999999999999999999",
        "-9223372036854775809",
        "9223372036854775807",
        "%C3%A9",
        "1e3",
        "0x1",
        "NaN",
    ] {
        let path = format!("/api/measures/{id}/");
        for method in ["GET", "PATCH", "DELETE"] {
            let reply = app.anon().call(method, &path, Some(json!({}))).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}");
            assert!(reply.json["detail"].is_string(), "{method} {path}");
        }
    }
}

#[tokio::test]
async fn header_values_that_are_not_utf8_get_drf_answers() {
    let app = measures().await;
    for name in [
        "authorization",
        "accept",
        "origin",
        "content-type",
        "x-forwarded-for",
        "if-none-match",
        "host",
    ] {
        for value in [
            &b"Token \xff\xfe"[..],
            b"\xe9t\xe9",
            b"application/json; q=\xff",
        ] {
            let headers: &[(&str, &[u8])] = &[(name, value)];
            for (method, path) in [("GET", "/api/measures/"), ("PATCH", "/api/measures/1/")] {
                let reply = app
                    .anon()
                    .raw(method, path, headers, "{\"count\": 2}")
                    .await;
                let what = format!("{method} {path} {name}: {value:?}");
                assert!(
                    reply.status.is_success() || reply.status.is_client_error(),
                    "{what}: {}",
                    reply.status
                );
                assert!(reply.json.is_object(), "{what}");
            }
        }
    }
}
