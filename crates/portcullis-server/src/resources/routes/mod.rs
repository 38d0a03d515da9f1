//! The routes of every resource, as DRF's `DefaultRouter` makes them: `/api/` (the API root),
//! `/api/<name>/`, `/api/<name>/<id>/`, and the `.json` format suffixes
//! (`/api/<name>.json`, `/api/<name>/<id>.json`, each with or without the trailing slash).

mod detail;
mod input;
mod list;
mod metadata;
mod root;

use std::sync::Arc;

use axum::extract::{RawPathParams, Request, State};
use axum::routing::any;

use crate::http::routing::{Routes, not_found};
use crate::http::view::{dispatch, route, route_with};
use crate::resources::schema::Schema;
use crate::state::AppState;

/// Register the API root and each resource's URLs.
pub fn routes(mut r: Routes, schema: &Schema) -> Routes {
    r = r.route("/api/", route(root::ApiRoot));
    for (index, resource) in schema.resources.iter().enumerate() {
        let name = &resource.name;
        r = r.route(
            &format!("/api/{name}/"),
            route(list::ListView::new(index, resource)),
        );
        for format in ["json", "api"] {
            for slash in ["", "/"] {
                let view = list::ListView::new(index, resource);
                r = r.route(
                    &format!("/api/{name}.{format}{slash}"),
                    route_with(view, Some(format)),
                );
            }
        }
        let detail = Arc::new(detail::DetailView::new(index, resource));
        r = r.route(
            &format!("/api/{name}/{{id}}/"),
            detail_route(Arc::clone(&detail), true),
        );
        r = r.route(&format!("/api/{name}/{{id}}"), detail_route(detail, false));
    }
    r
}

/// The detail route. DRF's lookup is `[^/.]+`, so `5.json` is id 5 with the `json` format;
/// without the trailing slash only a format suffix routes (else APPEND_SLASH redirects).
fn detail_route(
    view: Arc<detail::DetailView>,
    slash: bool,
) -> axum::routing::MethodRouter<AppState> {
    any(
        move |State(state): State<AppState>,
              params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
              request: Request| {
            let view = Arc::clone(&view);
            async move {
                let raw = params
                    .ok()
                    .and_then(|p| {
                        p.iter()
                            .find(|(k, _)| *k == "id")
                            .map(|(_, v)| v.to_string())
                    })
                    .unwrap_or_default();
                let (id, format) = match raw.split_once('.') {
                    Some((id, format)) if !id.is_empty() && is_format(format) => {
                        (id.to_string(), Some(format.to_string()))
                    }
                    Some(_) => return not_found().await,
                    None if slash => (raw, None),
                    None => return not_found().await,
                };
                let mut params = vec![("id".to_string(), id)];
                if let Some(format) = format {
                    params.push(("format".into(), format));
                }
                dispatch(view.as_ref(), state, request, params).await
            }
        },
    )
}

/// DRF's format suffix pattern: `[a-z0-9]+`.
fn is_format(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
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
