//! Django-compatible password handling for Portcullis.
//!
//! - [`hashers`]: Django's encoded password format (`algorithm$...`): new hashes are
//!   argon2id exactly as Django's `Argon2PasswordHasher` writes them, and hashes written by
//!   Django's argon2, PBKDF2 (SHA-256/SHA-1) and bcrypt hashers verify unchanged, so an
//!   existing Django user table keeps working.
//! - [`validation`]: Django's four default password validators with identical messages.

pub mod hashers;
mod random;
pub mod validation;

pub use hashers::{
    HashScratch, Verification, algorithm_of, check_password, check_password_with, dummy_verify,
    dummy_verify_with, is_password_usable, make_password, make_password_with,
    make_unusable_password,
};
pub use validation::{UserAttributes, validate_password};
