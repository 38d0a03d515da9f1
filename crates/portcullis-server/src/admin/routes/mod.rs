//! One file per admin endpoint (see `admin::routes` for the URLs).

pub(crate) mod audit;
pub(crate) mod group_detail;
pub(crate) mod groups;
pub(crate) mod permissions;
pub(crate) mod resources;
pub(crate) mod user_detail;
pub(crate) mod user_revoke;
pub(crate) mod user_sessions;
pub(crate) mod user_set_password;
pub(crate) mod users;
