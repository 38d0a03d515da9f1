//! What the binary's tests over real TCP and on a PostgreSQL of their own share.

// Each test binary uses a part of each.
#[allow(dead_code)]
pub(crate) mod http;
#[allow(dead_code)]
pub(crate) mod oracle;
#[allow(dead_code)]
pub(crate) mod pg_server;
