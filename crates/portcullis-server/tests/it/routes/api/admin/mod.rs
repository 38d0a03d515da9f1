//! `/api/admin/…`: the staff-only admin API (users, groups, sessions).

mod access;
mod audit;
mod audit_paths;
mod groups;
mod sessions;
mod users;
mod who_manages_whom;
