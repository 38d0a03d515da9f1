//! `/api/…`: the schema-defined resources (`notes` built in, the others from a schema file)
//! the admin API, the OpenAPI document with its Swagger UI, and knox's views under `auth/`.

mod admin;
mod auth;
mod docs;
mod notes;
mod resources;
mod schema;
