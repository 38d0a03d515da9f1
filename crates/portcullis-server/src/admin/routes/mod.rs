//! One file per admin endpoint (see `admin::routes` for the URLs).

pub mod group_detail;
pub mod groups;
pub mod permissions;
pub mod resources;
pub mod user_detail;
pub mod user_revoke;
pub mod user_sessions;
pub mod user_set_password;
pub mod users;
