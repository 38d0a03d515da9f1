//! The integration tests of `portcullis-server`, as one test binary (one link instead of one
//! per file). `routes/` is laid out like the URL tree: a test of `/auth/users/me/` lives in
//! `routes/auth/users/me.rs`. `edge/` holds what cuts across URLs (the HTTP edge, bad input,
//! limits, throttling, panics, storage and schema migrations). `harness/` is the application
//! under test and the one way to send it requests.

mod edge;
mod harness;
mod routes;
