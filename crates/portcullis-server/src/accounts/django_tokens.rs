//! Django's one-time links: the `uid` (`urlsafe_base64_encode(force_bytes(pk))`) and the
//! `token` of `PasswordResetTokenGenerator` (Django 5.2), reproduced exactly so that a link
//! mailed by the Django deployment Portcullis replaces still works, given its `SECRET_KEY`.
//!
//! A token is `<timestamp in base 36>-<every other hex digit of an HMAC-SHA256>` over the user's
//! id, password hash, last login (to the second), the timestamp and the email. A password
//! change or a login changes the hash input, so a token works once; the timestamp makes it
//! expire after `PASSWORD_RESET_TIMEOUT`.

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::store::User;

/// `PasswordResetTokenGenerator.key_salt`.
const KEY_SALT: &str = "django.contrib.auth.tokens.PasswordResetTokenGenerator";

/// Seconds from the Unix epoch to 2001-01-01 (Django's token epoch).
const EPOCH_2001: i64 = 978_307_200;

/// Django's `PASSWORD_RESET_TIMEOUT` default: three days.
pub(crate) const DEFAULT_TIMEOUT: u64 = 259_200;

/// djoser's `encode_uid`: the id's decimal digits, base64url without padding.
pub(crate) fn encode_uid(pk: i64) -> String {
    URL_SAFE_NO_PAD.encode(pk.to_string())
}

/// djoser's `decode_uid` followed by the primary-key lookup's `int()`; `None` where Django
/// raises (bad base64, not UTF-8, not an integer).
pub(crate) fn decode_uid(uid: &str) -> Option<i64> {
    // Python's urlsafe_b64decode accepts both alphabets, discards other characters and
    // tolerates missing padding and stray trailing bits.
    let cleaned: String = uid
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '/'))
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let lenient = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let bytes = lenient.decode(cleaned).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let text = text.trim();
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    text.parse::<i64>().ok()
}

/// The secrets a token is made and checked with, and how long it lives.
#[derive(Clone, Debug)]
pub(crate) struct TokenGenerator {
    /// `SECRET_KEY`: new tokens are made with it.
    secret: Vec<u8>,
    /// `SECRET_KEY_FALLBACKS`: older keys still accepted.
    fallbacks: Vec<Vec<u8>>,
    /// `PASSWORD_RESET_TIMEOUT`, in seconds.
    timeout: u64,
}

impl TokenGenerator {
    pub(crate) fn new(secret: Vec<u8>, fallbacks: Vec<Vec<u8>>, timeout: u64) -> Self {
        TokenGenerator {
            secret,
            fallbacks,
            timeout,
        }
    }

    /// `make_token(user)` now.
    pub(crate) fn make_token(&self, user: &User) -> String {
        make_with_timestamp(&self.secret, user, seconds_since_2001(now_unix()))
    }

    /// `check_token(user, token)` now.
    pub(crate) fn check_token(&self, user: &User, token: &str) -> bool {
        self.check_token_at(user, token, now_unix())
    }

    fn check_token_at(&self, user: &User, token: &str, now_unix: i64) -> bool {
        let Some((ts_b36, _)) = token.split_once('-') else {
            return false;
        };
        if token.matches('-').count() != 1 {
            return false;
        }
        let Some(ts) = base36_to_int(ts_b36) else {
            return false;
        };
        let matches = std::iter::once(&self.secret)
            .chain(&self.fallbacks)
            .any(|secret| {
                let expected = make_with_timestamp(secret, user, ts);
                bool::from(expected.as_bytes().ct_eq(token.as_bytes()))
            });
        // Django compares `now - ts > timeout` in signed integers: a token from the future
        // is not expired.
        matches && seconds_since_2001(now_unix) - ts <= self.timeout as i64
    }
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn seconds_since_2001(unix: i64) -> i64 {
    unix - EPOCH_2001
}

/// `_make_token_with_timestamp`.
fn make_with_timestamp(secret: &[u8], user: &User, timestamp: i64) -> String {
    // salted_hmac: the key is sha256(key_salt + secret).
    let mut key = Sha256::new();
    key.update(KEY_SALT.as_bytes());
    key.update(secret);
    let key = key.finalize();
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return String::new();
    };
    mac.update(hash_value(user, timestamp).as_bytes());
    let hex = hex::encode(mac.finalize().into_bytes());
    let short: String = hex.chars().step_by(2).collect();
    format!("{}-{short}", int_to_base36(timestamp))
}

/// `_make_hash_value`: the last login to the second, without its time zone (as stored, UTC).
fn hash_value(user: &User, timestamp: i64) -> String {
    let login = user
        .last_login
        .as_deref()
        .map(|at| at.get(..19).unwrap_or(at).replace('T', " "))
        .unwrap_or_default();
    format!(
        "{}{}{}{}{}",
        user.id, user.password, login, timestamp, user.email
    )
}

fn int_to_base36(mut n: i64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n <= 0 {
        return "0".into();
    }
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Django's `base36_to_int`: at most 13 characters (anything longer is refused before `int()`).
fn base36_to_int(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 13 || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    i64::from_str_radix(s, 36).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, password: &str, last_login: Option<&str>, email: &str) -> User {
        let mut user = User::fixture(id, false, false);
        user.password = password.into();
        user.last_login = last_login.map(str::to_owned);
        user.email = email.into();
        user
    }

    fn generator() -> TokenGenerator {
        TokenGenerator::new(
            b"my-old-django-secret".to_vec(),
            Vec::new(),
            DEFAULT_TIMEOUT,
        )
    }

    // The fixtures were computed with Django 5.2's PasswordResetTokenGenerator and
    // urlsafe_base64_encode, secret "my-old-django-secret".
    #[test]
    fn tokens_match_djangos() {
        let never = user(1, "pbkdf2_sha256$1000000$abc$def=", None, "a@example.com");
        assert_eq!(
            make_with_timestamp(b"my-old-django-secret", &never, 800_000_000),
            "d8ary8-b6850253c82ad72b7579b226e1fa531f"
        );
        let logged_in = user(42, "argon2$x", Some("2026-12-07 21:40:05.123456"), "");
        assert_eq!(
            make_with_timestamp(b"my-old-django-secret", &logged_in, 820_000_000),
            "dk7g1s-94c254758054c0205c230bc86339f57b"
        );
    }

    #[test]
    fn uids_match_djangos() {
        assert_eq!(encode_uid(1), "MQ");
        assert_eq!(encode_uid(42), "NDI");
        assert_eq!(encode_uid(123456), "MTIzNDU2");
        assert_eq!(decode_uid("MTIzNDU2"), Some(123456));
        assert_eq!(decode_uid("NDI="), Some(42));
        assert_eq!(decode_uid("YWJj"), None);
        assert_eq!(decode_uid(""), None);
    }

    #[test]
    fn a_token_is_checked_against_the_secret_and_its_fallbacks_and_expires() {
        let u = user(1, "pbkdf2_sha256$1000000$abc$def=", None, "a@example.com");
        let token = "d8ary8-b6850253c82ad72b7579b226e1fa531f";
        let issued = 800_000_000 + EPOCH_2001;
        assert!(generator().check_token_at(&u, token, issued));
        assert!(generator().check_token_at(&u, token, issued + DEFAULT_TIMEOUT as i64));
        assert!(!generator().check_token_at(&u, token, issued + DEFAULT_TIMEOUT as i64 + 1));
        let other = TokenGenerator::new(b"new".to_vec(), Vec::new(), DEFAULT_TIMEOUT);
        assert!(!other.check_token_at(&u, token, issued));
        let rotated = TokenGenerator::new(
            b"new".to_vec(),
            vec![b"my-old-django-secret".to_vec()],
            DEFAULT_TIMEOUT,
        );
        assert!(rotated.check_token_at(&u, token, issued));
        let changed = user(1, "pbkdf2_sha256$1000000$abc$xyz=", None, "a@example.com");
        assert!(!generator().check_token_at(&changed, token, issued));
        for bad in [
            "",
            "d8ary8",
            "d8ary8-x-y",
            "!!-b685",
            "d8ary8-b6850253c82ad72b7579b226e1fa531",
        ] {
            assert!(!generator().check_token_at(&u, bad, issued), "{bad}");
        }
    }
}
