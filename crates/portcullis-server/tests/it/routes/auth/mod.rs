//! `/auth/…`: djoser's users and token URLs and the JWT views.

mod jwt;
mod token;
mod users;
