//! A span's fields as a JSON object, written by hand. Every request opens a span (its id,
//! method and route) and records its user on it once authenticated. tracing-subscriber's own
//! JSON field formatter builds a map for each span and, to record a field on a span that has
//! fields already, parses its JSON back and writes it again: a third of a cheap request's time
//! in a profile. Here the object is written straight into the span's string, and a field
//! recorded later goes in before its closing brace. The JSON event formatter reads the same
//! object back only when a line is logged.

use std::fmt::{self, Write};

use tracing::field::{Field, Visit};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::FormattedFields;
use tracing_subscriber::fmt::format::Writer;

/// The field formatter of the JSON log format.
pub(crate) struct JsonFields;

impl<'writer> tracing_subscriber::fmt::FormatFields<'writer> for JsonFields {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> fmt::Result {
        let mut object = Object::default();
        fields.record(&mut object);
        writer.write_char('{')?;
        writer.write_str(&object.entries)?;
        writer.write_char('}')
    }

    fn add_fields(
        &self,
        current: &'writer mut FormattedFields<Self>,
        fields: &tracing::span::Record<'_>,
    ) -> fmt::Result {
        let mut object = Object::default();
        fields.record(&mut object);
        if object.entries.is_empty() {
            return Ok(());
        }
        let held = &mut current.fields;
        match held.pop() {
            // `{…}`: the new entries before the brace, after a comma unless it was `{}`.
            Some('}') => {
                if held.len() > 1 {
                    held.push(',');
                }
            }
            // Nothing written yet (a span whose fields were all empty at first).
            _ => {
                held.clear();
                held.push('{');
            }
        }
        held.push_str(&object.entries);
        held.push('}');
        Ok(())
    }
}

/// The entries of an object, `"name":value` apart by commas, without the braces.
#[derive(Default)]
struct Object {
    entries: String,
}

impl Object {
    fn key(&mut self, field: &Field) {
        if !self.entries.is_empty() {
            self.entries.push(',');
        }
        escaped(&mut self.entries, field.name());
        self.entries.push(':');
    }
}

impl Visit for Object {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.key(field);
        escaped(&mut self.entries, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.key(field);
        let _ = write!(self.entries, "{value}");
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.key(field);
        let _ = write!(self.entries, "{value}");
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.key(field);
        self.entries.push_str(if value { "true" } else { "false" });
    }

    /// Everything else (`%` and `?` fields among them) as a string of its `Debug` text.
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.key(field);
        escaped(&mut self.entries, &format!("{value:?}"));
    }
}

/// `text` as a JSON string.
fn escaped(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn strings_are_valid_json_whatever_they_hold() {
        for text in [
            "plain",
            "quote \" back \\ slash",
            "line\nbreak\ttab\r",
            "\u{1}\u{1f}",
            "ünï ☃",
        ] {
            let mut out = String::new();
            escaped(&mut out, text);
            let back: String = serde_json::from_str(&out).expect("valid JSON");
            assert_eq!(back, text);
        }
    }
}
