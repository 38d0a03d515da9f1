//! The routes of the resources, as DRF's routers make them (see [`crate::http::router`]): a
//! `DefaultRouter` at `/api/` in the built-in layout gives `/api/` (the API root),
//! `/api/<name>/`, `/api/<name>/<id>/` and the `.json` format suffixes.

mod cursor_list;
mod detail;
pub(crate) mod generic;
mod input;
mod list;
pub(crate) mod metadata;
mod pages;

use crate::config::urls::RouterKind;
use crate::http::router::RouterUrls;
use crate::http::routing::Group;
use crate::resources::schema::Schema;
use crate::state::AppState;

/// A router registering the resources at `indices` of the schema, in that order.
pub(crate) fn router(schema: &Schema, kind: RouterKind, indices: &[usize]) -> Group {
    let registered: Vec<_> = indices
        .iter()
        .filter_map(|&i| schema.resources.get(i).map(|r| (i, r)))
        .collect();
    let names = registered.iter().map(|(_, r)| r.name.clone()).collect();
    let mut urls = RouterUrls::new(kind).root(names);
    for (index, resource) in registered {
        urls = urls
            .fixed(&resource.name, list::endpoint(index, resource))
            .detail(&resource.name, detail::endpoint(index, resource));
    }
    urls.group()
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
