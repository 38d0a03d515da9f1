//! `[knox]`: django-rest-knox's `REST_KNOX` settings, named as knox names them without the
//! prefix and in lower case. The settings only shape knox's views and authentication class;
//! nothing is served until the project mounts `include = "knox.urls"` in `[[urls]]` and lists
//! `knox.auth.TokenAuthentication` where it wants knox tokens accepted.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// knox's `CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH`.
pub(crate) const MAX_TOKEN_PREFIX: usize = 10;

/// django-rest-knox's settings.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct KnoxConfig {
    /// `TOKEN_TTL` in seconds (knox: 10 hours); `"none"` for tokens that never expire.
    #[serde(deserialize_with = "seconds_or_none", serialize_with = "write_seconds")]
    pub token_ttl: Option<u64>,
    /// `AUTO_REFRESH`: each authenticated use moves the token's expiry to now + `token_ttl`.
    pub auto_refresh: bool,
    /// `AUTO_REFRESH_MAX_TTL` in seconds after the token's creation, or `"none"` (the default).
    #[serde(deserialize_with = "seconds_or_none", serialize_with = "write_seconds")]
    pub auto_refresh_max_ttl: Option<u64>,
    /// `MIN_REFRESH_INTERVAL` in seconds: a renewal moving the expiry by less is not written.
    pub min_refresh_interval: u64,
    /// `TOKEN_LIMIT_PER_USER`: logins refused (403) while the user has this many unexpired
    /// tokens; none by default.
    pub token_limit_per_user: Option<u32>,
    /// `AUTH_HEADER_PREFIX`: the `Authorization` keyword (any letter case), and the challenge.
    pub auth_header_prefix: String,
    /// `TOKEN_PREFIX`: written before the 64 hex characters of every new token.
    pub token_prefix: String,
    /// `USER_SERIALIZER`: the login answer's `user`, rendered by the djoser serializer of this
    /// name (`"user"` or `"current_user"`, as configured under `[djoser.serializers]`); none by
    /// default (no `user` key).
    pub user_serializer: Option<String>,
}

impl Default for KnoxConfig {
    fn default() -> Self {
        KnoxConfig {
            token_ttl: Some(10 * 3600),
            auto_refresh: false,
            auto_refresh_max_ttl: None,
            min_refresh_interval: 60,
            token_limit_per_user: None,
            auth_header_prefix: "Token".into(),
            token_prefix: String::new(),
            user_serializer: None,
        }
    }
}

impl KnoxConfig {
    pub(crate) fn check(&self, bad: &mut impl FnMut(&str, String)) {
        if self.token_prefix.chars().count() > MAX_TOKEN_PREFIX {
            bad(
                "knox.token_prefix",
                format!("Illegal TOKEN_PREFIX length (at most {MAX_TOKEN_PREFIX} characters)"),
            );
        }
        if self
            .token_prefix
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            bad(
                "knox.token_prefix",
                "must not contain whitespace (a header could not carry the token)".into(),
            );
        }
        let prefix = &self.auth_header_prefix;
        if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_graphic()) {
            bad(
                "knox.auth_header_prefix",
                "must be one word of printable ASCII characters".into(),
            );
        }
        if let Some(name) = &self.user_serializer
            && name != "user"
            && name != "current_user"
        {
            bad(
                "knox.user_serializer",
                format!("{name:?} is unknown; one of: user, current_user (djoser's serializers)"),
            );
        }
    }
}

/// Seconds as an integer, or `"none"` (any letter case) for knox's `None`.
fn seconds_or_none<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Seconds(u64),
        Text(String),
    }
    match Raw::deserialize(deserializer)? {
        Raw::Seconds(s) => Ok(Some(s)),
        Raw::Text(t) if t.eq_ignore_ascii_case("none") => Ok(None),
        Raw::Text(t) => t.trim().parse().map(Some).map_err(|_| {
            serde::de::Error::custom(format!("{t:?} is neither a number of seconds nor \"none\""))
        }),
    }
}

fn write_seconds<S: Serializer>(value: &Option<u64>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(s) => serializer.serialize_u64(*s),
        None => serializer.serialize_str("none"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_reads_seconds_and_none() {
        let read = |text: &str| toml::from_str::<KnoxConfig>(text).map(|c| c.token_ttl);
        assert_eq!(read("token_ttl = 60").ok(), Some(Some(60)));
        assert_eq!(read("token_ttl = \"None\"").ok(), Some(None));
        assert_eq!(read("").ok(), Some(Some(36_000)));
        assert!(read("token_ttl = \"soon\"").is_err());
    }

    #[test]
    fn a_long_prefix_is_refused() {
        let config = KnoxConfig {
            token_prefix: "eleven_char".into(),
            ..KnoxConfig::default()
        };
        let mut problems = Vec::new();
        config.check(&mut |key, _| problems.push(key.to_string()));
        assert_eq!(problems, ["knox.token_prefix"]);
    }
}
