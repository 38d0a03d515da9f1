//! `/auth/users/…`: djoser's user views.

mod id;
mod list;
mod me;
mod profile_fields;
mod set_password;
