//! The integration tests of `portcullis-passwords`, as one test binary: hashing against
//! Django's real outputs, and validation against Django's validators.

mod hashers;
mod validation;
