//! A JWT payload as an ordered claim set, as Python's `dict` keeps it: claims serialize in the
//! order they were set (simplejwt writes `token_type, exp, iat, jti, user_id`), and a duplicate
//! member in a decoded payload keeps its first position with its last value, as `json.loads`
//! does — so a token with `{"token_type":"refresh","token_type":"access"}` means what it means
//! to the oracle.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The claims of one token, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Claims(Vec<(String, Value)>);

impl Claims {
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Set a claim, in place if present (Python's `payload[name] = value`), else at the end.
    pub(crate) fn set(&mut self, name: &str, value: impl Into<Value>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k == name) {
            Some(entry) => entry.1 = value,
            None => self.0.push((name.to_string(), value)),
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// A string claim (`None` when absent or of another type).
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// The compact JSON PyJWT writes (`separators=(",", ":")`).
    pub(crate) fn to_json(&self) -> Vec<u8> {
        // Serializing strings and JSON values into a Vec cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Parse a payload: a JSON object, or `None`.
    pub(crate) fn from_json(bytes: &[u8]) -> Option<Claims> {
        serde_json::from_slice(bytes).ok()
    }
}

impl Serialize for Claims {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Claims {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ClaimsVisitor;
        impl<'de> Visitor<'de> for ClaimsVisitor {
            type Value = Claims;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Claims, A::Error> {
                let mut claims = Claims::default();
                while let Some((k, v)) = access.next_entry::<String, Value>()? {
                    claims.set(&k, v);
                }
                Ok(claims)
            }
        }
        deserializer.deserialize_map(ClaimsVisitor)
    }
}

/// A NumericDate as PyJWT reads it for its checks (`int(value)`: a fraction is truncated), from
/// a JSON number only. PyJWT also takes numeric strings, which simplejwt then crashes on
/// (`datetime.fromtimestamp("…")`, a 500); Portcullis refuses them as invalid tokens. Dates past
/// year 9999 (where Python's `datetime` overflows, another 500) are refused too.
pub(crate) fn numeric_date(value: &Value) -> Option<i64> {
    const YEAR_9999_END: f64 = 253_402_300_799.0;
    let n = match value {
        Value::Number(n) => n.as_f64()?,
        _ => return None,
    };
    if !n.is_finite() || n.abs() > YEAR_9999_END {
        return None;
    }
    // In range, so the conversion is exact after truncation.
    Some(n.trunc() as i64)
}

/// The user id of a `user_id` claim: a JSON integer, or a string of ASCII digits (simplejwt
/// writes `str(user.id)`). Anything else has no user in it; Django would crash on a
/// non-numeric id with a 500.
pub(crate) fn user_id(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s)
            if !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            s.parse().ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn order_and_duplicates_as_python() {
        let claims = Claims::from_json(br#"{"b":1,"a":2,"b":3}"#).expect("object");
        assert_eq!(claims.to_json(), br#"{"b":3,"a":2}"#.to_vec());
        assert_eq!(Claims::from_json(b"[1]"), None);
        assert_eq!(Claims::from_json(b"\"x\""), None);
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(numeric_date(&json!(1700000000)), Some(1700000000));
        assert_eq!(numeric_date(&json!(1700000000.9)), Some(1700000000));
        assert_eq!(numeric_date(&json!("1700000000")), None);
        assert_eq!(numeric_date(&json!(true)), None);
        assert_eq!(numeric_date(&json!(1e300)), None);
    }

    #[test]
    fn user_ids() {
        assert_eq!(user_id(&json!("42")), Some(42));
        assert_eq!(user_id(&json!(42)), Some(42));
        for bad in [
            json!("4x"),
            json!(""),
            json!("-1"),
            json!(4.5),
            json!(null),
            json!(true),
        ] {
            assert_eq!(user_id(&bad), None, "{bad}");
        }
    }
}
