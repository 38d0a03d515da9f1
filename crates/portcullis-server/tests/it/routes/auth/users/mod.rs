//! `/auth/users/…`: djoser's user views.

mod djoser_serializers;
mod email_username;
mod id;
mod list;
mod me;
mod own_fields;
mod profile_fields;
mod set_password;
