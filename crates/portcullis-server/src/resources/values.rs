//! Field values: DRF's validation of each field type from request data (with DRF's messages),
//! and rendering of stored cells back to JSON as DRF's fields render them.

use serde_json::{Map, Value, json};

use super::schema::{Field, FieldKind, Related};
use super::temporal::{DateTimeError, parse_date, parse_datetime};
use crate::serializer::char_field::python_str;
use crate::store::Cell;
use crate::store::timestamp::{to_db, to_drf};

/// A validated value, ready to bind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Typed {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Typed {
    /// The value to bind for `field`'s column, in the column's storage class (PostgreSQL
    /// refuses a value of another type where SQLite converted it).
    pub(crate) fn into_sea(self, field: &Field) -> sea_query::Value {
        let storage = field.kind.storage();
        let value: sea_query::Value = match self {
            Typed::Int(i) => i.into(),
            Typed::Real(f) => f.into(),
            Typed::Text(s) => s.into(),
            Typed::Null => Option::<i64>::None.into(),
        };
        // Text that is no number stays text (SQLite would store it as such; the validation
        // of a number field never hands one over).
        super::bind::convert(value.clone(), storage).unwrap_or(value)
    }
}

/// The outcome of one field: absent (skip it), a value, or error messages.
pub(crate) enum Outcome {
    Absent,
    Value(Typed),
    /// A reference id to check against the target resource before use.
    Reference(i64),
    /// A reference written as a slug or a hyperlink, resolved against the target.
    Related(Value),
}

/// Validate `data[field]` as DRF's field for this type would. `partial` is PATCH.
pub(crate) fn validate(
    field: &Field,
    data: &Map<String, Value>,
    is_form: bool,
    partial: bool,
) -> Result<Outcome, Vec<String>> {
    let err = |m: &str| Err(vec![m.to_string()]);
    let mut value = data.get(&field.name);
    // HTML form input (DRF's Field.get_value): a missing checkbox is false, and an empty
    // string for an optional field that cannot be blank counts as missing (or null).
    if is_form {
        if value.is_none() && field.kind == FieldKind::Boolean && !partial {
            return Ok(Outcome::Value(Typed::Int(0)));
        }
        if value.is_some_and(|v| v.as_str() == Some("")) && !field.blank {
            if field.null {
                return Ok(Outcome::Value(Typed::Null));
            }
            if !field.required {
                value = None;
            }
        }
    }
    let Some(value) = value else {
        if field.required && !partial {
            return err("This field is required.");
        }
        return Ok(Outcome::Absent);
    };
    // DRF's RelatedField.run_validation: "we force empty strings to None values".
    let value = if field.kind == FieldKind::Reference && value.as_str() == Some("") {
        &Value::Null
    } else {
        value
    };
    if value.is_null() {
        if field.null {
            return Ok(Outcome::Value(Typed::Null));
        }
        return err("This field may not be null.");
    }
    match field.kind {
        FieldKind::String | FieldKind::Text if !field.choices.is_empty() => choice(field, value),
        FieldKind::String | FieldKind::Text => text(field, value),
        FieldKind::Integer => integer(field, value),
        FieldKind::Float => float(field, value),
        FieldKind::Boolean => boolean(field, value),
        FieldKind::Date => date(value),
        FieldKind::DateTime => datetime(value),
        FieldKind::Json => Ok(Outcome::Value(Typed::Text(value.to_string()))),
        FieldKind::Reference => match field.related {
            Related::Pk => reference(value),
            Related::Slug(_) | Related::Hyperlink => Ok(Outcome::Related(value.clone())),
            // Read-only renderings: never written.
            Related::Str | Related::Nested => Ok(Outcome::Absent),
        },
        // An owner is never input; a many-to-many field is `many_to_many_input`'s.
        FieldKind::Owner | FieldKind::ManyToMany => Ok(Outcome::Absent),
    }
}

fn text(field: &Field, value: &Value) -> Result<Outcome, Vec<String>> {
    let Some(raw) = python_str(value) else {
        return Err(vec!["Not a valid string.".into()]);
    };
    if raw.is_empty() || (field.trim && raw.trim().is_empty()) {
        if !field.blank {
            return Err(vec!["This field may not be blank.".into()]);
        }
        return Ok(Outcome::Value(Typed::Text(String::new())));
    }
    let text = if field.trim {
        raw.trim().to_string()
    } else {
        raw
    };
    let length = text.chars().count();
    let mut errors = Vec::new();
    if let Some(max) = field.max_length.filter(|m| length > *m) {
        errors.push(format!(
            "Ensure this field has no more than {max} characters."
        ));
    }
    if let Some(min) = field.min_length.filter(|m| length < *m) {
        errors.push(format!("Ensure this field has at least {min} characters."));
    }
    if text.contains('\0') {
        errors.push("Null characters are not allowed.".into());
    }
    // DRF's SlugField adds its pattern after CharField's length validators, and every
    // validator's message is reported, in that order.
    if field.slug
        && !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        errors.push(
            "Enter a valid \"slug\" consisting of letters, numbers, underscores or hyphens.".into(),
        );
    }
    if errors.is_empty() {
        Ok(Outcome::Value(Typed::Text(text)))
    } else {
        Err(errors)
    }
}

/// DRF's `ChoiceField`: the input's `str()` must be one of the choices; no trimming.
fn choice(field: &Field, value: &Value) -> Result<Outcome, Vec<String>> {
    let shown = python_str(value).unwrap_or_else(|| value.to_string());
    if shown.is_empty() && field.blank {
        return Ok(Outcome::Value(Typed::Text(String::new())));
    }
    if python_str(value).is_some() && field.choices.contains(&shown) {
        return Ok(Outcome::Value(Typed::Text(shown)));
    }
    Err(vec![format!("\"{shown}\" is not a valid choice.")])
}

/// The checks DRF's numeric fields share: the bounds, with DRF's messages.
fn bounds(field: &Field, n: f64, shown: impl Fn(f64) -> String) -> Vec<String> {
    let mut errors = Vec::new();
    if let Some(max) = field.max.filter(|m| n > *m) {
        errors.push(format!(
            "Ensure this value is less than or equal to {}.",
            shown(max)
        ));
    }
    if let Some(min) = field.min.filter(|m| n < *m) {
        errors.push(format!(
            "Ensure this value is greater than or equal to {}.",
            shown(min)
        ));
    }
    errors
}

/// A bound as Django's validator shows it. The schema's `min = 0` reaches here as 0.0, but
/// the Django model it mirrors holds `MinValueValidator(0)`: "greater than or equal to 0.", not
/// "0.0."; a fractional bound shows as Python prints a float (`1000.5`).
pub(crate) fn shown_bound(bound: f64) -> String {
    if bound.fract() == 0.0 && bound.abs() < 1e15 {
        format!("{}", bound as i64)
    } else {
        format!("{bound:?}")
    }
}

fn integer(field: &Field, value: &Value) -> Result<Outcome, Vec<String>> {
    let invalid = || vec!["A valid integer is required.".to_string()];
    let n: i64 = match value {
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i,
            // DRF: int(re.sub(r'\.0*\s*$', '', str(data))) accepts 2.0 but not 2.5.
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 9.2e18 => f as i64,
            _ => return Err(invalid()),
        },
        Value::String(s) => {
            if s.chars().count() > 1000 {
                return Err(vec!["String value too large.".into()]);
            }
            let trimmed = s.trim();
            let stripped = strip_decimal_zeros(trimmed);
            stripped.parse::<i64>().map_err(|_| invalid())?
        }
        _ => return Err(invalid()),
    };
    let errors = bounds(field, n as f64, shown_bound);
    if errors.is_empty() {
        Ok(Outcome::Value(Typed::Int(n)))
    } else {
        Err(errors)
    }
}

/// `re.sub(r'\.0*\s*$', '', s)`.
fn strip_decimal_zeros(s: &str) -> &str {
    match s.rfind('.') {
        Some(dot) if s[dot + 1..].chars().all(|c| c == '0') => &s[..dot],
        _ => s,
    }
}

fn float(field: &Field, value: &Value) -> Result<Outcome, Vec<String>> {
    let invalid = || vec!["A valid number is required.".to_string()];
    let f = match value {
        Value::Number(n) => n.as_f64().ok_or_else(invalid)?,
        // Python's float(True) is 1.0, and DRF's FloatField calls float() on the input.
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => {
            if s.chars().count() > 1000 {
                return Err(vec!["String value too large.".into()]);
            }
            s.trim().parse::<f64>().map_err(|_| invalid())?
        }
        _ => return Err(invalid()),
    };
    if !f.is_finite() {
        return Err(invalid());
    }
    let errors = bounds(field, f, shown_bound);
    if errors.is_empty() {
        Ok(Outcome::Value(Typed::Real(f)))
    } else {
        Err(errors)
    }
}

/// DRF's `BooleanField`: its TRUE_VALUES and FALSE_VALUES, compared with text lowercased
/// (DRF 3.15+ lowercases, so "tRuE" is true), and its NULL_VALUES ("null", "") for a nullable
/// field.
fn boolean(field: &Field, value: &Value) -> Result<Outcome, Vec<String>> {
    const TRUE: &[&str] = &["t", "y", "yes", "true", "on", "1"];
    const FALSE: &[&str] = &["f", "n", "no", "false", "off", "0"];
    let lowered = value.as_str().map(str::to_lowercase);
    let b = match (value, lowered.as_deref()) {
        (Value::Bool(b), _) => Some(*b),
        (Value::Number(n), _) if n.as_f64() == Some(1.0) => Some(true),
        (Value::Number(n), _) if n.as_f64() == Some(0.0) => Some(false),
        (_, Some(s)) if TRUE.contains(&s) => Some(true),
        (_, Some(s)) if FALSE.contains(&s) => Some(false),
        (_, Some("null" | "")) if field.null => return Ok(Outcome::Value(Typed::Null)),
        _ => None,
    };
    match b {
        Some(b) => Ok(Outcome::Value(Typed::Int(i64::from(b)))),
        None => Err(vec!["Must be a valid boolean.".into()]),
    }
}

/// DRF's `DateField`: Django's `parse_date` on the text as sent. A datetime's text is just a
/// wrongly formatted date (DRF's "Expected a date but got a datetime." is only for Python
/// datetime objects, which JSON cannot carry).
fn date(value: &Value) -> Result<Outcome, Vec<String>> {
    let wrong =
        || vec!["Date has wrong format. Use one of these formats instead: YYYY-MM-DD.".to_string()];
    let Value::String(s) = value else {
        return Err(wrong());
    };
    let d = parse_date(s).ok_or_else(wrong)?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Ok(Outcome::Value(Typed::Text(
        d.format(&format).unwrap_or_default(),
    )))
}

/// DRF's `DateTimeField`: Django's `parse_datetime` (a naive time is taken as UTC, the
/// server's zone), stored in UTC; an instant UTC cannot hold is DRF's `overflow` error.
fn datetime(value: &Value) -> Result<Outcome, Vec<String>> {
    let wrong = || {
        vec!["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].".to_string()]
    };
    let Value::String(s) = value else {
        return Err(wrong());
    };
    match parse_datetime(s) {
        Ok(parsed) => Ok(Outcome::Value(Typed::Text(to_db(parsed)))),
        Err(DateTimeError::Format) => Err(wrong()),
        Err(DateTimeError::Overflow) => Err(vec!["Datetime value out of range.".into()]),
    }
}

/// DRF's `PrimaryKeyRelatedField` input: an integer id (or its string form).
fn reference(value: &Value) -> Result<Outcome, Vec<String>> {
    let id = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match id {
        Some(id) => Ok(Outcome::Reference(id)),
        None => {
            let kind = crate::serializer::python_type(value);
            Err(vec![format!(
                "Incorrect type. Expected pk value, received {kind}."
            )])
        }
    }
}

/// A schema default, checked as the field checks the same input, in the form it is stored in
/// (`"2025-1-5"` → `"2025-01-05"`, a datetime in UTC, a boolean `"yes"` → `true`). Text and
/// JSON defaults are kept exactly as written: a model default is not trimmed.
pub(crate) fn checked_default(field: &Field, default: &Value) -> Result<Value, String> {
    let mut data = Map::new();
    data.insert(field.name.clone(), default.clone());
    let outcome = validate(field, &data, false, false)
        .map_err(|messages| format!("default {default}: {}", messages.join(" ")))?;
    Ok(match (outcome, field.kind) {
        (Outcome::Value(Typed::Int(i)), FieldKind::Boolean) => json!(i != 0),
        (Outcome::Value(Typed::Int(i)), _) | (Outcome::Reference(i), _) => json!(i),
        (Outcome::Value(Typed::Real(f)), _) => json!(f),
        (Outcome::Value(Typed::Text(t)), FieldKind::Date | FieldKind::DateTime) => json!(t),
        (Outcome::Value(Typed::Null), _) => Value::Null,
        _ => default.clone(),
    })
}

/// The message for a reference to a row that does not exist or is not visible.
pub(crate) fn missing_reference(id: i64) -> String {
    format!("Invalid pk \"{id}\" - object does not exist.")
}

/// A stored cell as DRF renders the field.
pub(crate) fn render(field: &Field, cell: &Cell) -> Value {
    match (field.kind, cell) {
        (_, Cell::Null) => Value::Null,
        (FieldKind::Boolean, Cell::Int(i)) => json!(*i != 0),
        (FieldKind::DateTime, Cell::Text(t)) => json!(to_drf(t)),
        (FieldKind::Json, Cell::Text(t)) => serde_json::from_str(t).unwrap_or(Value::Null),
        (_, Cell::Int(i)) => json!(i),
        (_, Cell::Real(f)) => json!(f),
        (_, Cell::Text(t)) => json!(t),
    }
}

/// [`render`] of a cell the caller gives up: text that is shown as it is stored moves into
/// the value instead of being copied (a list renders every cell of a page once).
pub(crate) fn render_owned(field: &Field, cell: Cell) -> Value {
    match (field.kind, cell) {
        (FieldKind::DateTime | FieldKind::Json, cell) => render(field, &cell),
        (_, Cell::Text(t)) => Value::String(t),
        (_, cell) => render(field, &cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::schema::Schema;

    fn field(kind: &str, extra: &str) -> Field {
        let text = format!(
            "[[resources]]\nname = \"things\"\n[[resources.fields]]\nname = \"f\"\ntype = \"{kind}\"\n{extra}\n"
        );
        let schema = Schema::parse(&text).expect("schema");
        schema.resources[0].fields[0].clone()
    }

    fn check(f: &Field, v: Value) -> Result<Typed, Vec<String>> {
        let data = json!({ "f": v });
        match validate(f, data.as_object().expect("object"), false, false) {
            Ok(Outcome::Value(t)) => Ok(t),
            Ok(Outcome::Reference(id)) => Ok(Typed::Int(id)),
            Ok(Outcome::Related(v)) => Ok(Typed::Text(v.to_string())),
            Ok(Outcome::Absent) => Ok(Typed::Null),
            Err(e) => Err(e),
        }
    }

    #[test]
    fn integers_as_drf() {
        let f = field("integer", "min = 1\nmax = 10");
        assert_eq!(check(&f, json!(5)), Ok(Typed::Int(5)));
        assert_eq!(check(&f, json!("7")), Ok(Typed::Int(7)));
        assert_eq!(check(&f, json!(2.0)), Ok(Typed::Int(2)));
        assert_eq!(
            check(&f, json!(2.5)),
            Err(vec!["A valid integer is required.".into()])
        );
        assert_eq!(
            check(&f, json!(true)),
            Err(vec!["A valid integer is required.".into()])
        );
        assert_eq!(
            check(&f, json!(11)),
            Err(vec![
                "Ensure this value is less than or equal to 10.".into()
            ])
        );
        assert_eq!(
            check(&f, json!(0)),
            Err(vec![
                "Ensure this value is greater than or equal to 1.".into()
            ])
        );
    }

    #[test]
    fn booleans_as_drf() {
        let f = field("boolean", "");
        for yes in [json!(true), json!("yes"), json!("on"), json!(1), json!("1")] {
            assert_eq!(check(&f, yes), Ok(Typed::Int(1)));
        }
        for no in [json!(false), json!("No"), json!(0), json!("off")] {
            assert_eq!(check(&f, no), Ok(Typed::Int(0)));
        }
        assert_eq!(
            check(&f, json!("maybe")),
            Err(vec!["Must be a valid boolean.".into()])
        );
        assert_eq!(
            check(&f, json!(2)),
            Err(vec!["Must be a valid boolean.".into()])
        );
    }

    #[test]
    fn dates_times_choices_references() {
        let d = field("date", "");
        assert_eq!(
            check(&d, json!("2025-01-31")),
            Ok(Typed::Text("2025-01-31".into()))
        );
        assert!(check(&d, json!("31/01/2025")).is_err());
        assert_eq!(
            check(&d, json!("2025-01-31T10:00:00Z")),
            Err(vec![
                "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.".into()
            ])
        );
        let t = field("datetime", "");
        assert_eq!(
            check(&t, json!("2025-01-31T12:00:00+02:00")),
            Ok(Typed::Text("2025-01-31 10:00:00.000000".into()))
        );
        assert_eq!(
            check(&t, json!("2025-01-31T12:00")),
            Ok(Typed::Text("2025-01-31 12:00:00.000000".into()))
        );
        let c = field("string", "choices = [\"low\", \"high\"]");
        assert_eq!(check(&c, json!("low")), Ok(Typed::Text("low".into())));
        assert_eq!(
            check(&c, json!("mid")),
            Err(vec!["\"mid\" is not a valid choice.".into()])
        );
        let r = field("json", "");
        assert_eq!(
            check(&r, json!({"a": [1]})),
            Ok(Typed::Text("{\"a\":[1]}".into()))
        );
    }
}
