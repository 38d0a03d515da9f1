//! `/auth/users/…`: djoser's user views.

mod activation;
mod djoser_serializers;
mod djoser_settings;
mod email_username;
mod id;
mod list;
mod mail_delivery;
mod me;
mod own_fields;
mod password_reset;
mod profile_fields;
mod set_password;
