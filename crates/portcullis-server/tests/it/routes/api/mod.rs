//! `/api/…`: the schema-defined resources (`notes` built in, the others from a schema file)
//! and the admin API.

mod admin;
mod notes;
mod resources;
