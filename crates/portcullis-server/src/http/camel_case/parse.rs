//! The camel parsers: `CamelCaseJSONParser`, `CamelCaseFormParser` and
//! `CamelCaseMultiPartParser` read a body as DRF's parsers do, then underscoreize its keys
//! (JSON: at every depth; forms: the field names). A key's fate follows the package exactly,
//! including two keys that meet once underscoreized (`isPublic` and `is_public`): Python first
//! builds the parsed dict (a repeated key keeps its first place and its last value), then
//! writes the new keys in that order, so the later of the two wins.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::keys::underscoreize;
use crate::config::CamelCaseConfig;

/// A JSON body underscoreized (`CamelCaseJSONParser`); the error is serde_json's, as for DRF's
/// own parser.
pub(crate) fn parse_json(text: &str, options: &CamelCaseConfig) -> serde_json::Result<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Underscoreized {
        options,
        rewrite: true,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// A form's fields, in the order sent, underscoreized (the camel form and multipart parsers);
/// the last value of a name is the one a view reads, as `QueryDict.get` gives it.
pub(crate) fn form_fields(pairs: Vec<(String, String)>, options: &CamelCaseConfig) -> Value {
    let entries = pairs
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    Value::Object(rewrite_keys(entries, options))
}

/// `CamelCaseMiddleWare`: the query string's names underscoreized as `request.GET` is (a
/// QueryDict: each name's values stay together, and of two names that meet, the one first sent
/// later wins whole), back in pairs for `ApiRequest::query`.
pub(crate) fn query_pairs(
    pairs: Vec<(String, String)>,
    options: &CamelCaseConfig,
) -> Vec<(String, String)> {
    let mut lists: Vec<(String, Vec<String>)> = Vec::new();
    for (key, value) in pairs {
        match lists.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(value),
            None => lists.push((key, vec![value])),
        }
    }
    let mut renamed: Vec<(String, Vec<String>)> = Vec::with_capacity(lists.len());
    for (key, values) in lists {
        let new_key = new_name(key, options);
        match renamed.iter_mut().find(|(k, _)| *k == new_key) {
            Some(slot) => slot.1 = values,
            None => renamed.push((new_key, values)),
        }
    }
    renamed
        .into_iter()
        .flat_map(|(k, values)| values.into_iter().map(move |v| (k.clone(), v)))
        .collect()
}

/// A key's new name: underscoreized, unless `ignore_keys` keeps it.
fn new_name(key: String, options: &CamelCaseConfig) -> String {
    let new_key = underscoreize(&key, options.no_underscore_before_number);
    let kept = options
        .ignore_keys
        .iter()
        .any(|k| *k == key || *k == new_key);
    if kept { key } else { new_key }
}

/// Python's two steps on one object's members, in the order they were read.
fn rewrite_keys(members: Vec<(String, Value)>, options: &CamelCaseConfig) -> Map<String, Value> {
    let mut parsed: Vec<(String, Value)> = Vec::with_capacity(members.len());
    for (key, value) in members {
        match parsed.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => parsed.push((key, value)),
        }
    }
    let mut out = Map::new();
    for (key, value) in parsed {
        out.insert(new_name(key, options), value);
    }
    out
}

/// Whether a member's value is left as sent (`ignore_fields`, under its old or new name).
fn value_ignored(key: &str, options: &CamelCaseConfig) -> bool {
    !options.ignore_fields.is_empty() && {
        let new_key = underscoreize(key, options.no_underscore_before_number);
        options
            .ignore_fields
            .iter()
            .any(|f| f == key || *f == new_key)
    }
}

/// A JSON value read with its keys underscoreized (`rewrite`), or as it is.
#[derive(Clone, Copy)]
struct Underscoreized<'a> {
    options: &'a CamelCaseConfig,
    rewrite: bool,
}

impl<'de> DeserializeSeed<'de> for Underscoreized<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        if self.rewrite {
            deserializer.deserialize_any(self)
        } else {
            serde::Deserialize::deserialize(deserializer)
        }
    }
}

impl<'de> Visitor<'de> for Underscoreized<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let seed = Underscoreized {
                rewrite: !value_ignored(&key, self.options),
                ..self
            };
            let value = map.next_value_seed(seed)?;
            members.push((key, value));
        }
        Ok(Value::Object(rewrite_keys(members, self.options)))
    }
}
