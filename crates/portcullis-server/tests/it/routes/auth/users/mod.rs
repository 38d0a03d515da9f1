//! `/auth/users/…`: djoser's user views.

mod id;
mod list;
mod me;
mod set_password;
