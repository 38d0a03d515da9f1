//! What the binary's PostgreSQL tests share.

pub(crate) mod pg_server;
