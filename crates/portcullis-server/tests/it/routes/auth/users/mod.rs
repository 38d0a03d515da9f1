//! `/auth/users/…`: djoser's user views.

mod email_username;
mod id;
mod list;
mod me;
mod profile_fields;
mod set_password;
