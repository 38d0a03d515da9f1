//! Property tests of the resource validator (`values.rs`, errors gathered by
//! `serializer::Errors` as `routes/input.rs` gathers them): any JSON value in any field, as JSON
//! or form input, created or patched, never panics; values each type documents as valid are
//! accepted as the value the column stores; the error map's keys are the failing fields' names;
//! and a schema's `default` of any JSON value is checked without panicking.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::schema::{Field, Schema};
use super::values::{Outcome, Typed, validate};
use crate::http::ApiError;
use crate::serializer::Errors;

/// One field of each type and of each rule that changes validation.
const FIELDS: &str = r#"
[[resources]]
name = "others"
[[resources.fields]]
name = "title"
type = "string"
max_length = 20

[[resources]]
name = "things"
[[resources.fields]]
name = "name"
type = "string"
max_length = 12
min_length = 2
[[resources.fields]]
name = "code"
type = "string"
max_length = 30
slug = true
blank = true
[[resources.fields]]
name = "body"
type = "text"
blank = true
trim = false
[[resources.fields]]
name = "colour"
type = "string"
choices = ["red", "green"]
null = true
[[resources.fields]]
name = "count"
type = "integer"
min = -5
max = 1000000
[[resources.fields]]
name = "ratio"
type = "float"
null = true
[[resources.fields]]
name = "done"
type = "boolean"
[[resources.fields]]
name = "due"
type = "date"
required = false
[[resources.fields]]
name = "at"
type = "datetime"
null = true
[[resources.fields]]
name = "extra"
type = "json"
null = true
[[resources.fields]]
name = "other"
type = "reference"
to = "others"
null = true
"#;

fn fields() -> Vec<Field> {
    let schema = Schema::parse(FIELDS).expect("the test schema parses");
    let things = schema
        .resources
        .iter()
        .find(|r| r.name == "things")
        .expect("things");
    things.fields.clone()
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,40}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
        // Text each type reads specially: numbers, booleans, dates, times, NUL, blank.
        prop::sample::select(vec![
            "",
            " ",
            "0",
            "1",
            "2.0",
            "2.5",
            "-0",
            "1e3",
            "1e400",
            "NaN",
            "inf",
            "-Infinity",
            "yes",
            "off",
            "T",
            "2025-01-31",
            "2025-W05-1",
            "20250131",
            "2025-02-30",
            "2025-01-31T10:00:00Z",
            "2025-01-31 10:00+05:30",
            "24:00",
            "red",
            "\0",
            "a b",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z]{0,4}", inner), 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// A request body: some of the fields (and an unknown key) with any values.
fn body() -> impl Strategy<Value = Map<String, Value>> {
    let names = fields()
        .into_iter()
        .map(|f| f.name)
        .chain(["unknown".to_string()]);
    let entries: Vec<_> = names
        .map(|name| prop::option::of(json_value()).prop_map(move |v| (name.clone(), v)))
        .collect();
    entries.prop_map(|entries| {
        entries
            .into_iter()
            .filter_map(|(name, v)| v.map(|v| (name, v)))
            .collect()
    })
}

/// What a field stores from `value` given alone, or its messages.
fn one(field: &Field, value: Value) -> Result<Option<Typed>, Vec<String>> {
    let data = json!({ &field.name: value });
    let data = data.as_object().expect("an object");
    match validate(field, data, false, false)? {
        Outcome::Value(typed) => Ok(Some(typed)),
        Outcome::Reference(id) => Ok(Some(Typed::Int(id))),
        Outcome::Absent | Outcome::Related(_) => Ok(None),
    }
}

fn field(name: &str) -> Field {
    fields()
        .into_iter()
        .find(|f| f.name == name)
        .expect("a field of the test schema")
}

proptest! {
    #[test]
    fn any_body_validates_without_panic_and_errors_are_keyed_by_field_name(
        data in body(),
        is_form in any::<bool>(),
        partial in any::<bool>(),
    ) {
        let fields = fields();
        let mut errors = Errors::default();
        for field in fields.iter().filter(|f| f.writable()) {
            if let Err(messages) = validate(field, &data, is_form, partial) {
                prop_assert!(!messages.is_empty());
                errors.add(&field.name, messages);
            }
        }
        match errors.check() {
            Ok(()) => {}
            Err(ApiError::Validation(Value::Object(map))) => {
                for (key, messages) in &map {
                    prop_assert!(fields.iter().any(|f| &f.name == key), "key {}", key);
                    let messages = messages.as_array().expect("a list of messages");
                    prop_assert!(messages.iter().all(|m| m.as_str().is_some_and(|m| !m.is_empty())));
                }
            }
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn valid_strings_are_accepted_trimmed(name in "[ ]{0,2}[a-zA-Z0-9 ]{2,12}[ ]{0,2}") {
        let trimmed = name.trim().to_string();
        prop_assume!(trimmed.chars().count() >= 2);
        prop_assert_eq!(one(&field("name"), json!(name)), Ok(Some(Typed::Text(trimmed))));
    }

    #[test]
    fn valid_slugs_and_texts_are_accepted(code in "[a-zA-Z0-9_-]{0,30}", body in any::<String>()) {
        prop_assume!(!body.contains('\0'));
        prop_assert_eq!(one(&field("code"), json!(code)), Ok(Some(Typed::Text(code.clone()))));
        prop_assert_eq!(one(&field("body"), json!(body)), Ok(Some(Typed::Text(body.clone()))));
    }

    #[test]
    fn integers_in_bounds_are_accepted_as_numbers_and_as_text(n in -5i64..=1_000_000) {
        prop_assert_eq!(one(&field("count"), json!(n)), Ok(Some(Typed::Int(n))));
        prop_assert_eq!(one(&field("count"), json!(n.to_string())), Ok(Some(Typed::Int(n))));
    }

    #[test]
    fn finite_floats_are_accepted(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
        prop_assert_eq!(one(&field("ratio"), json!(f)), Ok(Some(Typed::Real(f))));
    }

    #[test]
    fn dates_and_datetimes_are_accepted(y in 1i32..=9999, m in 1u32..=12, d in 1u32..=28, h in 0u32..24) {
        let date = format!("{y:04}-{m:02}-{d:02}");
        prop_assert_eq!(one(&field("due"), json!(date.clone())), Ok(Some(Typed::Text(date.clone()))));
        let at = format!("{date}T{h:02}:30:00Z");
        prop_assert!(one(&field("at"), json!(at)).is_ok());
    }

    #[test]
    fn any_json_is_accepted_by_a_json_field(value in json_value()) {
        // A nullable field stores JSON's null as SQL's NULL.
        let stored = if value.is_null() { Typed::Null } else { Typed::Text(value.to_string()) };
        prop_assert_eq!(one(&field("extra"), value), Ok(Some(stored)));
    }

    #[test]
    fn a_schema_default_of_any_value_is_checked_without_panic(value in json_value(), kind in 0usize..6) {
        let (kind, extra) = [
            ("string", "max_length = 5"),
            ("integer", "min = 0"),
            ("float", ""),
            ("boolean", ""),
            ("date", ""),
            ("datetime", ""),
        ][kind];
        if let Some(text) = with_default(kind, extra, &value) {
            let _ = Schema::parse(&text);
        }
    }
}

/// A schema of one field of `kind` whose `default` is `value`; `None` where TOML cannot say it
/// (null).
fn with_default(kind: &str, extra: &str, value: &Value) -> Option<String> {
    let mut table = toml::Table::new();
    table.insert("default".into(), toml::Value::try_from(value).ok()?);
    Some(format!(
        "[[resources]]\nname = \"things\"\n[[resources.fields]]\nname = \"f\"\ntype = \"{kind}\"\n{extra}\n{table}"
    ))
}

#[test]
fn the_defaults_reach_their_check() {
    let parse =
        |value: Value| Schema::parse(&with_default("integer", "min = 0", &value).expect("toml"));
    assert!(parse(json!(3)).is_ok());
    assert!(parse(json!(-1)).is_err());
    assert!(parse(json!({"a": [1]})).is_err());
}
