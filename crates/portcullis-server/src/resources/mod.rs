//! Schema-defined resources: for each resource of the schema file, DRF's `ModelSerializer` +
//! `ModelViewSet` + `DefaultRouter` — list (paginated, searchable, orderable, filterable),
//! create, retrieve, update, partial update, destroy — and the schema migrations that keep the
//! tables in step with the file.

pub(crate) mod access;
pub(crate) mod bind;
pub(crate) mod flat_rows;
pub(crate) mod generic_check;
pub mod list_query;
pub mod many_to_many;
pub(crate) mod many_to_many_input;
pub mod migration;
pub(crate) mod owner_user;
pub mod query;
pub(crate) mod queryset;
pub(crate) mod related;
pub(crate) mod related_input;
pub(crate) mod routes;
pub(crate) mod rows;
pub mod schema;
mod schema_check;
mod schema_field_check;
pub(crate) mod schema_pagination;
mod schema_wire;
pub(crate) mod temporal;
pub(crate) mod values;
#[cfg(test)]
mod values_props;

pub use schema::{Resource, Schema};
