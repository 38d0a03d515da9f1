//! `/api/<resource>/…` for schema-defined resources (mostly the projects/tasks schema of
//! `tests/fixtures/projects.toml`): access rules, fields, references and lists.

mod access;
mod auto_timestamps;
mod field_source;
mod field_types;
mod fields;
mod grouped_writes;
mod hostile_input;
mod id_field;
mod list_counts;
mod list_plans;
mod lists;
mod many_to_many;
mod owner_nested;
mod owner_or_public_pages;
mod owner_source;
mod pagination_styles;
mod read_cache;
mod references;
mod related_fields;
mod self_url;
mod text_compare;
