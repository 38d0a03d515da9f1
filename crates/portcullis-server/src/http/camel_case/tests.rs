//! The rules checked against djangorestframework-camel-case 1.4.2's own answers (each expected
//! value below was printed by the package's `camelize`, `camel_to_underscore` and
//! `underscoreize`).

use serde_json::json;

use super::keys::{camelize, underscoreize};
use super::parse::{form_fields, parse_json};
use super::render::camelize_json;
use crate::config::CamelCaseConfig;

#[test]
fn camelize_follows_the_package() {
    for (key, want) in [
        ("created_at", "createdAt"),
        ("is_public", "isPublic"),
        ("non_field_errors", "nonFieldErrors"),
        ("re_password", "rePassword"),
        ("a_1", "a1"),
        ("field_1_name", "field1Name"),
        ("_private", "Private"),
        ("__dunder__", "_Dunder__"),
        ("a__b", "a_B"),
        ("a_B", "a_B"),
        ("Foo_Bar", "Foo_Bar"),
        ("trailing_", "trailing_"),
        ("a_b_c", "aBC"),
        ("x_1_2", "x12"),
        ("HTTP_status", "HTTPStatus"),
        ("é_a", "éA"),
        ("a_é", "a_é"),
        ("already", "already"),
    ] {
        assert_eq!(camelize(key), want, "{key}");
    }
}

#[test]
fn underscoreize_follows_the_package() {
    // (key, default, no_underscore_before_number)
    for (key, want, letters_only) in [
        ("isPublic", "is_public", "is_public"),
        ("rePassword", "re_password", "re_password"),
        ("HTTPResponse", "http_response", "http_response"),
        ("ABc", "a_bc", "a_bc"),
        ("field1", "field_1", "field1"),
        ("field12Name", "field_12_name", "field12_name"),
        ("V2", "v_2", "v2"),
        ("simpleXML", "simple_xml", "simple_xml"),
        (
            "getHTTPResponseCode",
            "get_http_response_code",
            "get_http_response_code",
        ),
        ("Title", "_title", "_title"),
        ("is_public", "is_public", "is_public"),
        ("a1B", "a_1b", "a1_b"),
        ("aB1", "a_b_1", "a_b1"),
        ("ABC1", "ab_c_1", "abc1"),
        ("userID", "user_id", "user_id"),
        ("x\n", "x\n", "x\n"),
        ("éA", "éa", "éa"),
    ] {
        assert_eq!(underscoreize(key, false), want, "{key:?}");
        assert_eq!(underscoreize(key, true), letters_only, "{key:?}");
    }
}

fn options(ignore_fields: &[&str], ignore_keys: &[&str]) -> CamelCaseConfig {
    CamelCaseConfig {
        ignore_fields: ignore_fields.iter().map(|s| s.to_string()).collect(),
        ignore_keys: ignore_keys.iter().map(|s| s.to_string()).collect(),
        ..CamelCaseConfig::default()
    }
}

#[test]
fn rendering_rewrites_keys_at_every_depth_in_place() {
    let body = br#"{"user_name":{"first_name":"a_b","tag_list":[{"x_y":1}]},"raw_data":{"keep_me":1},"my_key":{"in_side":2},"n":[1,-2.5e3,true,null,"\"q_a\""]}"#;
    let out = camelize_json(body, &options(&["raw_data"], &["my_key"])).unwrap_or_default();
    assert_eq!(
        String::from_utf8_lossy(&out),
        r#"{"userName":{"firstName":"a_b","tagList":[{"xY":1}]},"rawData":{"keep_me":1},"my_key":{"inSide":2},"n":[1,-2.5e3,true,null,"\"q_a\""]}"#
    );
}

#[test]
fn keys_that_meet_keep_the_first_place_and_the_last_value() {
    let out = camelize_json(br#"{"a_b":1,"x":2,"aB":3}"#, &CamelCaseConfig::default());
    assert_eq!(out.as_deref(), Some(&br#"{"aB":3,"x":2}"#[..]));
}

#[test]
fn escaped_keys_and_non_json_bodies() {
    let out = camelize_json(br#"{"a_\u0062":[],"":{}}"#, &CamelCaseConfig::default());
    assert_eq!(out.as_deref(), Some(&br#"{"aB":[],"":{}}"#[..]));
    assert_eq!(
        camelize_json(b"{\"a_b\":", &CamelCaseConfig::default()),
        None
    );
    assert_eq!(
        camelize_json(b"\"just_text\"", &CamelCaseConfig::default()).as_deref(),
        Some(&b"\"just_text\""[..])
    );
}

#[test]
fn parsing_underscoreizes_with_the_package_options() {
    let value = parse_json(
        r#"{"userName":{"firstName":"aB","tagList":[{"xY":1}]},"rawData":{"keepMe":1},"myKey":{"inSide":2}}"#,
        &options(&["raw_data"], &["myKey"]),
    )
    .ok();
    assert_eq!(
        value,
        Some(
            json!({"user_name": {"first_name": "aB", "tag_list": [{"x_y": 1}]}, "raw_data": {"keepMe": 1}, "myKey": {"in_side": 2}})
        )
    );
}

#[test]
fn parsing_two_spellings_of_a_key_keeps_the_later_one() {
    let camel = CamelCaseConfig::default();
    // The package's dict keeps a repeated key's first place: `isPublic` (3) comes before
    // `is_public` (2), so `is_public` ends as 2.
    let value = parse_json(r#"{"isPublic":1,"is_public":2,"isPublic":3}"#, &camel).ok();
    assert_eq!(value, Some(json!({"is_public": 2})));
    let form = form_fields(
        vec![
            ("isPublic".into(), "1".into()),
            ("is_public".into(), "0".into()),
            ("isPublic".into(), "2".into()),
        ],
        &camel,
    );
    assert_eq!(form, json!({"is_public": "0"}));
}

#[test]
fn parse_errors_stay_serde_jsons() {
    let camel = CamelCaseConfig::default();
    assert!(parse_json("{\"a\": NaN}", &camel).is_err());
    assert!(parse_json("{\"a\": 1} x", &camel).is_err());
    assert!(parse_json(&"[".repeat(200), &camel).is_err());
}

#[test]
fn the_middleware_renames_query_names_as_a_query_dict() {
    let camel = CamelCaseConfig::default();
    let pairs = |raw: &[(&str, &str)]| -> Vec<(String, String)> {
        raw.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    // `is_public` was sent first, so `isPublic`'s list replaces its list whole.
    let out = super::parse::query_pairs(
        pairs(&[
            ("is_public", "true"),
            ("isPublic", "false"),
            ("is_public", "1"),
            ("ordering", "-createdAt"),
        ]),
        &camel,
    );
    assert_eq!(
        out,
        pairs(&[("is_public", "false"), ("ordering", "-createdAt")])
    );
}
