//! `/api/…`: the schema-defined resources (`notes` built in, the others from a schema file)
//! the admin API, and the OpenAPI document with its Swagger UI.

mod admin;
mod docs;
mod notes;
mod resources;
mod schema;
