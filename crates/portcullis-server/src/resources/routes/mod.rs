//! The routes of every resource, as DRF's `DefaultRouter` makes them: `/api/` (the API root),
//! `/api/<name>/`, `/api/<name>/<id>/`, and the `.json` format suffixes
//! (`/api/<name>.json`, `/api/<name>/<id>.json`, each with or without the trailing slash).

mod cursor_list;
mod detail;
mod input;
mod list;
mod metadata;
mod pages;
mod root;

use std::sync::Arc;

use crate::http::routing::{Group, Lookup};
use crate::resources::schema::{Resource, Schema};
use crate::state::AppState;

/// The API root and every resource's router (`/api/` in the built-in layout).
pub(crate) fn group(schema: &Schema) -> Group {
    let mut group = Group::new().at("", root::endpoint());
    for (index, resource) in schema.resources.iter().enumerate() {
        group = group.merge(router(index, resource));
    }
    group
}

/// One resource's `DefaultRouter` URLs: the list, the detail, and their format suffixes.
pub(crate) fn router(index: usize, resource: &Resource) -> Group {
    let name = &resource.name;
    let list = Arc::new(list::endpoint(index, resource));
    let mut group = Group::new().at(format!("{name}/"), Arc::clone(&list));
    for format in ["json", "api"] {
        for slash in ["", "/"] {
            group = group.at_with(
                format!("{name}.{format}{slash}"),
                Arc::clone(&list),
                Lookup::Format(format),
            );
        }
    }
    let detail = Arc::new(detail::endpoint(index, resource));
    group
        .at_with(
            format!("{name}/{{id}}/"),
            Arc::clone(&detail),
            Lookup::IdWithFormat { slash: true },
        )
        .at_with(
            format!("{name}/{{id}}"),
            detail,
            Lookup::IdWithFormat { slash: false },
        )
}

/// The resource of a view, by its index in the schema held by the state.
fn resource_of(
    state: &AppState,
    index: usize,
) -> Result<&crate::resources::Resource, crate::http::ApiError> {
    state.schema().resources.get(index).ok_or_else(|| {
        crate::http::ApiError::internal(anyhow::anyhow!("resource {index} is not in the schema"))
    })
}
