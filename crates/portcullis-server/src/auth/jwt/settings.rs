//! The `[jwt]` table of the configuration: simplejwt's `SIMPLE_JWT` settings under their own
//! names in lowercase, with simplejwt's defaults (lifetimes in seconds), and the checks that
//! refuse a bad value at start with the key's name.
//!
//! Where Portcullis is stricter than simplejwt: the algorithm cannot be `none` (PyJWT would not
//! accept it either, but simplejwt's allowlist is the only guard), an HMAC key must be at least
//! as long as the hash output (RFC 7518 §3.2), asymmetric key files are loaded and checked to
//! form a pair before the server starts, and the claim names may not shadow registered claims.

use serde::{Deserialize, Serialize};

use super::keys::{self, JwtKeys};

/// simplejwt's settings.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct JwtConfig {
    /// `ACCESS_TOKEN_LIFETIME`, in seconds.
    pub access_token_lifetime: u64,
    /// `REFRESH_TOKEN_LIFETIME`, in seconds.
    pub refresh_token_lifetime: u64,
    /// `ROTATE_REFRESH_TOKENS`: a refresh also returns a new refresh token.
    pub rotate_refresh_tokens: bool,
    /// `BLACKLIST_AFTER_ROTATION`: the refresh token given to a rotation can never be used again.
    pub blacklist_after_rotation: bool,
    /// `UPDATE_LAST_LOGIN`: obtaining a pair records the user's `last_login`.
    pub update_last_login: bool,
    /// `ALGORITHM`: HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384
    /// or EdDSA. Only this algorithm is ever accepted.
    pub algorithm: String,
    /// `SIGNING_KEY`: the HMAC secret, or a private key in PEM. Empty with an HMAC algorithm:
    /// derived from the server secret.
    pub signing_key: String,
    /// A file holding the signing key instead (PEM for the asymmetric algorithms).
    pub signing_key_file: String,
    /// `VERIFYING_KEY`: the public key in PEM (asymmetric algorithms only).
    pub verifying_key: String,
    /// A file holding the verifying key instead.
    pub verifying_key_file: String,
    /// `AUDIENCE`: written as `aud` and required in every token when set.
    pub audience: String,
    /// `ISSUER`: written as `iss` and required in every token when set.
    pub issuer: String,
    /// `LEEWAY`, in seconds, for `exp`, `nbf` and `iat`.
    pub leeway: u64,
    /// `AUTH_HEADER_TYPES`: the keywords of an `Authorization` header carrying an access token,
    /// compared exactly; the first is the one a 401's challenge names.
    pub auth_header_types: Vec<String>,
    /// `USER_ID_FIELD`: the user's field a token names its user by, `id` (also spelt `pk`) or
    /// `username` (see [`UserIdField`]).
    pub user_id_field: String,
    /// `USER_ID_CLAIM`.
    pub user_id_claim: String,
    /// `TOKEN_TYPE_CLAIM`.
    pub token_type_claim: String,
    /// `JTI_CLAIM`.
    pub jti_claim: String,
    /// Beyond simplejwt: a password change revokes every token of the user, as
    /// `POST /auth/logout_all/` does (djoser's `LOGOUT_ON_PASSWORD_CHANGE`, extended to JWTs).
    pub revoke_on_password_change: bool,
}

impl Default for JwtConfig {
    fn default() -> Self {
        JwtConfig {
            access_token_lifetime: 5 * 60,
            refresh_token_lifetime: 24 * 60 * 60,
            rotate_refresh_tokens: false,
            blacklist_after_rotation: false,
            update_last_login: false,
            algorithm: "HS256".into(),
            signing_key: String::new(),
            signing_key_file: String::new(),
            verifying_key: String::new(),
            verifying_key_file: String::new(),
            audience: String::new(),
            issuer: String::new(),
            leeway: 0,
            auth_header_types: vec!["Bearer".into()],
            user_id_field: "id".into(),
            user_id_claim: "user_id".into(),
            token_type_claim: "token_type".into(),
            jti_claim: "jti".into(),
            revoke_on_password_change: false,
        }
    }
}

/// simplejwt's `USER_ID_FIELD`, among the fields of Portcullis's user model (Django's `User`)
/// that can name a user: `str(getattr(user, USER_ID_FIELD))` goes into the token and
/// `User.objects.get(**{USER_ID_FIELD: claim})` finds the user again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UserIdField {
    /// `id` (simplejwt's default) or `pk`, its alias on `User`.
    Id,
    /// `username`: unique on `User`, so a token names one user. A renamed user's older tokens
    /// then name nobody ("User not found"), as in Django.
    Username,
}

impl UserIdField {
    pub(crate) fn parse(name: &str) -> Result<UserIdField, String> {
        match name {
            "id" | "pk" => Ok(UserIdField::Id),
            "username" => Ok(UserIdField::Username),
            // Django's `User.email` is not unique: simplejwt's `objects.get(email=...)` raises
            // MultipleObjectsReturned (a 500) as soon as two users share an address.
            "email" => Err(
                "\"email\" is not unique on Django's User, so a token could name \
                            several users (simplejwt answers 500 then); use \"id\" or \
                            \"username\""
                    .into(),
            ),
            other => Err(format!(
                "{other:?} cannot name a user of Portcullis's user model (Django's User): use \
                 \"id\" (or \"pk\") or \"username\""
            )),
        }
    }
}

/// Claims the user id, type and id claims may not be named after: Portcullis writes or checks
/// these itself.
const RESERVED_CLAIMS: &[&str] = &["exp", "iat", "nbf", "iss", "aud", super::EPOCH_CLAIM];

/// Ten years: longer lifetimes are a mistake (a token that outlives every key rotation).
const MAX_LIFETIME: u64 = 10 * 365 * 24 * 60 * 60;

impl JwtConfig {
    /// `user_id_field` as a field (`check` refused any other name; `id` stands in for one).
    pub(crate) fn user_id_field(&self) -> UserIdField {
        UserIdField::parse(&self.user_id_field).unwrap_or(UserIdField::Id)
    }

    /// Every problem, each under its `jwt.` key.
    pub(crate) fn check(&self, bad: &mut impl FnMut(&str, String)) {
        for (key, value) in [
            ("jwt.access_token_lifetime", self.access_token_lifetime),
            ("jwt.refresh_token_lifetime", self.refresh_token_lifetime),
        ] {
            if value == 0 || value > MAX_LIFETIME {
                bad(key, format!("must be between 1 and {MAX_LIFETIME} seconds"));
            }
        }
        if self.leeway > 3600 {
            bad("jwt.leeway", "must be at most 3600 seconds".into());
        }
        if self.auth_header_types.is_empty() {
            bad(
                "jwt.auth_header_types",
                "must name at least one keyword".into(),
            );
        }
        for keyword in &self.auth_header_types {
            // A header value is split on whitespace, so a keyword holding any can never match;
            // `Token` is TokenAuthentication's (whichever class came first would take it).
            if keyword.is_empty()
                || !keyword.bytes().all(|b| b.is_ascii_graphic())
                || keyword.eq_ignore_ascii_case("token")
            {
                bad(
                    "jwt.auth_header_types",
                    format!("{keyword:?} cannot be an Authorization keyword for JWTs"),
                );
            }
        }
        if let Err(why) = UserIdField::parse(&self.user_id_field) {
            bad("jwt.user_id_field", why);
        }
        let claims = [
            ("jwt.user_id_claim", &self.user_id_claim),
            ("jwt.token_type_claim", &self.token_type_claim),
            ("jwt.jti_claim", &self.jti_claim),
        ];
        for (i, (key, name)) in claims.iter().enumerate() {
            if name.is_empty() {
                bad(key, "must name a claim".into());
            } else if RESERVED_CLAIMS.contains(&name.as_str()) {
                bad(key, format!("{name:?} is a claim Portcullis sets itself"));
            } else if claims[..i].iter().any(|(_, other)| other == name) {
                bad(
                    key,
                    format!("{name:?} is already used by another claim setting"),
                );
            }
        }
        if !self.signing_key.is_empty() && !self.signing_key_file.is_empty() {
            bad(
                "jwt.signing_key",
                "set either signing_key or signing_key_file, not both".into(),
            );
        }
        if !self.verifying_key.is_empty() && !self.verifying_key_file.is_empty() {
            bad(
                "jwt.verifying_key",
                "set either verifying_key or verifying_key_file, not both".into(),
            );
        }
        if keys::parse_algorithm(&self.algorithm).is_none() {
            bad(
                "jwt.algorithm",
                format!(
                    "{:?} is not one of {}",
                    self.algorithm,
                    keys::ALGORITHMS.join(", ")
                ),
            );
            return;
        }
        // Load the keys as the server will, so that a wrong file or a mismatched pair stops the
        // start instead of failing every login. The server secret is not known here; a
        // placeholder stands in for it (a derived key cannot be wrong).
        if let Err(problem) = JwtKeys::load(self, &[0u8; 32]) {
            bad(&problem.key, problem.reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(config: &JwtConfig) -> Vec<String> {
        let mut out = Vec::new();
        config.check(&mut |key, _| out.push(key.to_string()));
        out
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(keys_of(&JwtConfig::default()), Vec::<String>::new());
    }

    #[test]
    fn every_problem_names_its_key() {
        let config = JwtConfig {
            access_token_lifetime: 0,
            leeway: 86400,
            user_id_claim: "exp".into(),
            jti_claim: "token_type".into(),
            algorithm: "none".into(),
            ..JwtConfig::default()
        };
        assert_eq!(
            keys_of(&config),
            [
                "jwt.access_token_lifetime",
                "jwt.leeway",
                "jwt.user_id_claim",
                "jwt.jti_claim",
                "jwt.algorithm"
            ]
        );
        let short = JwtConfig {
            signing_key: "too short".into(),
            ..JwtConfig::default()
        };
        assert_eq!(keys_of(&short), ["jwt.signing_key"]);
        let missing = JwtConfig {
            algorithm: "RS256".into(),
            ..JwtConfig::default()
        };
        assert_eq!(keys_of(&missing), ["jwt.signing_key"]);
    }
}
