//! Django's four default password validators (`AUTH_PASSWORD_VALIDATORS` in a new
//! Django 5.2 project), reproduced with Django's semantics and English messages.

mod common;
mod pyunicode;
mod similarity;
mod unicode_tables;

/// Django's MinimumLengthValidator default.
const MIN_LENGTH: usize = 8;

/// The user fields Django's UserAttributeSimilarityValidator compares against.
/// Empty strings are skipped, as Django skips falsy attributes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserAttributes<'a> {
    pub username: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
}

/// Validate `password` like Django's `validate_password` with the default validators.
///
/// Returns the error messages in Django's order (validators run in this order:
/// UserAttributeSimilarityValidator, MinimumLengthValidator(8), CommonPasswordValidator,
/// NumericPasswordValidator), each validator contributing at most one message. An empty
/// vector means the password is acceptable. Without `user` the similarity check is
/// skipped, as in Django.
pub fn validate_password(password: &str, user: Option<&UserAttributes>) -> Vec<String> {
    let mut errors = Vec::new();
    if let Some(verbose_name) = user.and_then(|u| similarity::too_similar_to(password, u)) {
        errors.push(format!(
            "The password is too similar to the {verbose_name}."
        ));
    }
    // Python's len() counts code points, not bytes or grapheme clusters.
    if password.chars().count() < MIN_LENGTH {
        errors.push(format!(
            "This password is too short. It must contain at least {MIN_LENGTH} characters."
        ));
    }
    if common::is_common(password) {
        errors.push("This password is too common.".to_owned());
    }
    // Python's "".isdigit() is False, hence the emptiness check.
    if !password.is_empty() && password.chars().all(pyunicode::is_digit) {
        errors.push("This password is entirely numeric.".to_owned());
    }
    errors
}
