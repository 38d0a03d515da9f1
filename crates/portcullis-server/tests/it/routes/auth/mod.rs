//! `/auth/…`: djoser's users and token URLs and the JWT views.

mod jwt;
mod sessions;
mod token;
mod users;
