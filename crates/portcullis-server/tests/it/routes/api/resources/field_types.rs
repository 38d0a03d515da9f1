//! What each field type of a schema-defined resource accepts and how it renders, on the
//! projects schema (tests/fixtures/projects.toml): integers and floats with their bounds,
//! booleans in every spelling DRF takes, dates and datetimes as Django parses them, JSON.

use crate::harness::Client;
use crate::harness::resources::{ResourceApp, field_error};
use axum::http::StatusCode;
use serde_json::{Value, json};

const DATE_FORMAT: &str = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.";
const DATETIME_FORMAT: &str = "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";

/// PATCH one field of a project; the reply.
async fn patch(client: &Client<'_>, id: &Value, body: Value) -> crate::harness::Response {
    client.patch(&format!("/api/projects/{id}/"), body).await
}

#[tokio::test]
async fn numbers_as_drf_reads_them() {
    let app = ResourceApp::projects().await;
    let ann = app.user("ann").await;
    let project = ann
        .create("/api/projects/", json!({"name": "Numbers"}))
        .await;
    let id = &project["id"];

    let accepted: &[(&str, Value, Value)] = &[
        ("priority", json!(5), json!(5)),
        ("priority", json!("4"), json!(4)),
        ("priority", json!(2.0), json!(2)),
        ("priority", json!(" 1 "), json!(1)),
        ("budget", json!(12.5), json!(12.5)),
        ("budget", json!("7.25"), json!(7.25)),
        ("budget", json!(1000.5), json!(1000.5)),
        ("budget", json!(3), json!(3.0)),
        // float(True) is 1.0 in Python, and DRF's FloatField takes it.
        ("budget", json!(true), json!(1.0)),
        ("budget", Value::Null, Value::Null),
    ];
    for (field, input, shown) in accepted {
        let reply = patch(&ann, id, json!({ *field: input })).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{field} {input}: {}",
            reply.json
        );
        assert_eq!(&reply.json[*field], shown, "{field} {input}");
    }
    let refused: &[(&str, Value, &str)] = &[
        ("priority", json!(2.5), "A valid integer is required."),
        ("priority", json!("two"), "A valid integer is required."),
        ("priority", json!(true), "A valid integer is required."),
        (
            "priority",
            json!(0),
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            "priority",
            json!(6),
            "Ensure this value is less than or equal to 5.",
        ),
        ("priority", Value::Null, "This field may not be null."),
        ("budget", json!("lots"), "A valid number is required."),
        ("budget", json!("nan"), "A valid number is required."),
        (
            "budget",
            json!(-0.5),
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            "budget",
            json!(1000.6),
            "Ensure this value is less than or equal to 1000.5.",
        ),
    ];
    for (field, input, message) in refused {
        let reply = patch(&ann, id, json!({ *field: input })).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{field} {input}");
        assert_eq!(reply.json, field_error(field, message), "{field} {input}");
    }
}

#[tokio::test]
async fn booleans_take_drf_spellings() {
    let app = ResourceApp::projects().await;
    let ann = app.user("ann").await;
    let project = ann.create("/api/projects/", json!({"name": "Flags"})).await;
    let id = &project["id"];
    let yes = [
        json!(true),
        json!(1),
        json!("1"),
        json!("true"),
        json!("True"),
        json!("TRUE"),
        json!("t"),
        json!("T"),
        json!("y"),
        json!("yes"),
        json!("Yes"),
        json!("on"),
        json!("ON"),
        // DRF lowercases text before comparing.
        json!("tRuE"),
        json!("yEs"),
    ];
    let no = [
        json!(false),
        json!(0),
        json!("0"),
        json!("false"),
        json!("False"),
        json!("f"),
        json!("n"),
        json!("no"),
        json!("NO"),
        json!("off"),
        json!("Off"),
    ];
    for (spellings, expected) in [(&yes[..], true), (&no[..], false)] {
        for spelling in spellings {
            let reply = patch(&ann, id, json!({"archived": spelling})).await;
            assert_eq!(reply.json["archived"], expected, "{spelling}");
        }
    }
    for bad in [
        json!("maybe"),
        json!(2),
        json!(" true"),
        json!(""),
        json!("null"),
        json!([]),
    ] {
        let reply = patch(&ann, id, json!({"archived": bad})).await;
        assert_eq!(
            reply.json,
            field_error("archived", "Must be a valid boolean."),
            "{bad}"
        );
    }
    // HTML forms: a checkbox that is not sent is false (DRF's BooleanField on form input).
    let created = ann
        .form("POST", "/api/projects/", "name=Form+made&is_public=on")
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    assert_eq!(created.json["is_public"], true);
    assert_eq!(created.json["archived"], false);
}

#[tokio::test]
async fn dates_datetimes_and_json() {
    let app = ResourceApp::projects().await;
    let ann = app.user("ann").await;
    let project = ann
        .create("/api/projects/", json!({"name": "Calendar"}))
        .await;
    let id = &project["id"];
    // Django's parse_date: ISO 8601 dates, one-digit months and days too.
    for (input, shown) in [
        ("2025-01-31", "2025-01-31"),
        ("2025-1-5", "2025-01-05"),
        ("20250131", "2025-01-31"),
    ] {
        let reply = patch(&ann, id, json!({"starts_on": input})).await;
        assert_eq!(reply.status, StatusCode::OK, "{input}: {}", reply.json);
        assert_eq!(reply.json["starts_on"], shown, "{input}");
    }
    for bad in [
        "2025-02-30",
        "31/01/2025",
        "2025-01-31T10:00:00Z",
        " 2025-01-31",
        "",
    ] {
        let reply = patch(&ann, id, json!({"starts_on": bad})).await;
        assert_eq!(reply.json, field_error("starts_on", DATE_FORMAT), "{bad:?}");
    }
    // Django's parse_datetime, made aware in UTC, rendered by DRF with a `Z`.
    for (input, shown) in [
        ("2025-01-31T12:00:00+02:00", "2025-01-31T10:00:00Z"),
        ("2025-01-31T10:00:00Z", "2025-01-31T10:00:00Z"),
        ("2025-01-31 10:00", "2025-01-31T10:00:00Z"),
        ("2025-01-31T10:00:00.5Z", "2025-01-31T10:00:00.500000Z"),
        ("2025-01-31T23:30:00-01:00", "2025-02-01T00:30:00Z"),
        ("2025-01-31", "2025-01-31T00:00:00Z"),
    ] {
        let reply = patch(&ann, id, json!({"deadline": input})).await;
        assert_eq!(reply.status, StatusCode::OK, "{input}: {}", reply.json);
        assert_eq!(reply.json["deadline"], shown, "{input}");
    }
    for bad in [
        "tomorrow",
        "2025-13-01T00:00",
        "31/01/2025 10:00",
        " 2025-01-31T10:00",
    ] {
        let reply = patch(&ann, id, json!({"deadline": bad})).await;
        assert_eq!(
            reply.json,
            field_error("deadline", DATETIME_FORMAT),
            "{bad:?}"
        );
    }
    let cleared = patch(&ann, id, json!({"deadline": null, "starts_on": null})).await;
    assert_eq!(cleared.json["deadline"], Value::Null);
    assert_eq!(cleared.json["starts_on"], Value::Null);

    // JSON: any JSON value, stored and returned as sent.
    for value in [
        json!({"theme": "dark", "columns": [1, 2, {"w": 0.5}]}),
        json!([1, "two"]),
        json!("text"),
        json!(7),
        json!(false),
    ] {
        let reply = patch(&ann, id, json!({"settings": value})).await;
        assert_eq!(reply.json["settings"], value);
    }
}
