//! DRF's `CharField` (and the `EmailField` built on it): required/null/blank checks, the
//! accepted input types (strings, and numbers coerced with Python's `str()`), whitespace
//! trimming and length limits, each with DRF's exact message.

use serde_json::{Map, Value};

/// A `CharField`'s options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CharField {
    pub(crate) required: bool,
    pub(crate) allow_blank: bool,
    pub(crate) allow_null: bool,
    pub(crate) trim_whitespace: bool,
    pub(crate) max_length: Option<usize>,
    pub(crate) min_length: Option<usize>,
}

/// Django's `ProhibitNullCharactersValidator`, which every DRF `CharField` runs last.
pub(crate) const NUL_MESSAGE: &str = "Null characters are not allowed.";

impl Default for CharField {
    fn default() -> Self {
        CharField {
            required: true,
            allow_blank: false,
            allow_null: false,
            trim_whitespace: true,
            max_length: None,
            min_length: None,
        }
    }
}

/// The outcome for a field that passed: absent (not required, or a partial update), null, or a
/// string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Present {
    Absent,
    Null,
    Value(String),
}

impl Present {
    pub(crate) fn into_option(self) -> Option<String> {
        match self {
            Present::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl CharField {
    pub(crate) fn optional() -> Self {
        CharField {
            required: false,
            ..CharField::default()
        }
    }

    /// Validate `data[name]`. `partial` is a PATCH: a missing field is skipped.
    pub(crate) fn validate(
        &self,
        data: &Map<String, Value>,
        name: &str,
        partial: bool,
    ) -> Result<Present, Vec<String>> {
        let Some(value) = data.get(name) else {
            if self.required && !partial {
                return Err(vec!["This field is required.".into()]);
            }
            return Ok(Present::Absent);
        };
        if value.is_null() {
            if self.allow_null {
                return Ok(Present::Null);
            }
            return Err(vec!["This field may not be null.".into()]);
        }
        let Some(text) = python_str(value) else {
            return Err(vec!["Not a valid string.".into()]);
        };
        if text.is_empty() || (self.trim_whitespace && text.trim().is_empty()) {
            if !self.allow_blank {
                return Err(vec!["This field may not be blank.".into()]);
            }
            return Ok(Present::Value(String::new()));
        }
        let text = if self.trim_whitespace {
            text.trim().to_string()
        } else {
            text
        };
        let mut errors = Vec::new();
        let length = text.chars().count();
        if let Some(max) = self.max_length.filter(|max| length > *max) {
            errors.push(format!(
                "Ensure this field has no more than {max} characters."
            ));
        }
        if let Some(min) = self.min_length.filter(|min| length < *min) {
            errors.push(format!("Ensure this field has at least {min} characters."));
        }
        // DRF's CharField adds Django's ProhibitNullCharactersValidator after the length ones.
        if text.contains('\0') {
            errors.push(NUL_MESSAGE.into());
        }
        if errors.is_empty() {
            Ok(Present::Value(text))
        } else {
            Err(errors)
        }
    }
}

/// Python's `str(value)` for the types DRF's CharField accepts (str, int, float; not bool).
pub(crate) fn python_str(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e16 => format!("{f:.1}"),
            _ => n.to_string(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(field: CharField, input: Value) -> Result<Present, Vec<String>> {
        let data = json!({ "f": input });
        field.validate(data.as_object().expect("object"), "f", false)
    }

    #[test]
    fn drf_messages() {
        let f = CharField {
            max_length: Some(3),
            ..CharField::default()
        };
        assert_eq!(check(f, json!(" ab ")), Ok(Present::Value("ab".into())));
        assert_eq!(
            check(f, json!("abcd")),
            Err(vec![
                "Ensure this field has no more than 3 characters.".into()
            ])
        );
        assert_eq!(
            check(f, json!("  ")),
            Err(vec!["This field may not be blank.".into()])
        );
        assert_eq!(
            check(f, json!(null)),
            Err(vec!["This field may not be null.".into()])
        );
        assert_eq!(
            check(f, json!(true)),
            Err(vec!["Not a valid string.".into()])
        );
        assert_eq!(
            check(f, json!([1])),
            Err(vec!["Not a valid string.".into()])
        );
        assert_eq!(check(f, json!(12)), Ok(Present::Value("12".into())));
        assert_eq!(
            check(f, json!("a\u{0}bcd")),
            Err(vec![
                "Ensure this field has no more than 3 characters.".into(),
                "Null characters are not allowed.".into()
            ])
        );
        assert_eq!(
            check(CharField::default(), json!(1.0)),
            Ok(Present::Value("1.0".into()))
        );
        let empty = Map::new();
        assert_eq!(
            f.validate(&empty, "f", false),
            Err(vec!["This field is required.".into()])
        );
        assert_eq!(f.validate(&empty, "f", true), Ok(Present::Absent));
        let untrimmed = CharField {
            trim_whitespace: false,
            ..CharField::default()
        };
        assert_eq!(
            check(untrimmed, json!(" p ")),
            Ok(Present::Value(" p ".into()))
        );
    }
}
