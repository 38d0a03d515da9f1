//! DRF's `DEFAULT_AUTHENTICATION_CLASSES`: which of Portcullis's two authentication classes run,
//! and in which order. The first class that recognises the `Authorization` keyword decides the
//! request; the first class of the list gives a 401's `WWW-Authenticate` challenge (DRF's
//! `get_authenticate_header`), so a project authenticating with JWTs only answers
//! `WWW-Authenticate: Bearer realm="api"` where the reference project answers `Token`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One authentication class, named as in `settings.py` (the dotted path or the class name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthenticationClass {
    /// `rest_framework.authentication.TokenAuthentication`: `Authorization: Token <key>`.
    Token,
    /// `rest_framework_simplejwt.authentication.JWTAuthentication`: `Authorization: <type>
    /// <access token>` with the types of `[jwt] auth_header_types`.
    Jwt,
    /// `knox.auth.TokenAuthentication`: `Authorization: <[knox] auth_header_prefix> <token>`.
    Knox,
}

impl AuthenticationClass {
    /// The class names as a project's settings write them.
    const NAMES: &[(&str, &str, AuthenticationClass)] = &[
        (
            "TokenAuthentication",
            "rest_framework.authentication.TokenAuthentication",
            AuthenticationClass::Token,
        ),
        (
            "JWTAuthentication",
            "rest_framework_simplejwt.authentication.JWTAuthentication",
            AuthenticationClass::Jwt,
        ),
        // knox's class shares DRF's short name: only its dotted path names it.
        (
            "knox.auth.TokenAuthentication",
            "knox.auth.TokenAuthentication",
            AuthenticationClass::Knox,
        ),
    ];

    /// Both classes in the reference project's order.
    pub(crate) fn defaults() -> Vec<AuthenticationClass> {
        vec![AuthenticationClass::Token, AuthenticationClass::Jwt]
    }

    pub(crate) fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, _, class)| *class == self)
            .map_or("", |(name, _, _)| name)
    }

    /// A class listed twice is a mistake (DRF would run it twice).
    pub(crate) fn check(classes: &[AuthenticationClass], bad: &mut impl FnMut(&str, String)) {
        for (i, class) in classes.iter().enumerate() {
            if classes[..i].contains(class) {
                bad(
                    "authentication_classes",
                    format!("{} is listed twice", class.name()),
                );
            }
        }
    }

    fn parse(text: &str) -> Option<AuthenticationClass> {
        Self::NAMES
            .iter()
            .find(|(short, dotted, _)| text == *short || text == *dotted)
            .map(|(_, _, class)| *class)
    }
}

impl<'de> Deserialize<'de> for AuthenticationClass {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        AuthenticationClass::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown authentication class {text:?}: Portcullis has TokenAuthentication, \
                 JWTAuthentication and knox.auth.TokenAuthentication (session and basic authentication are not offered: a \
                 frontend keeps a token, not a cookie or a password)"
            ))
        })
    }
}

impl Serialize for AuthenticationClass {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_dotted_names_are_read() {
        let read = |s: &str| serde_json::from_value::<AuthenticationClass>(serde_json::json!(s));
        assert_eq!(
            read("rest_framework_simplejwt.authentication.JWTAuthentication").ok(),
            Some(AuthenticationClass::Jwt)
        );
        assert_eq!(
            read("TokenAuthentication").ok(),
            Some(AuthenticationClass::Token)
        );
        let refused = read("rest_framework.authentication.SessionAuthentication");
        assert!(
            refused
                .err()
                .is_some_and(|e| e.to_string().contains("unknown authentication class")),
        );
    }
}
