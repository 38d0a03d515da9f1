//! Rendering a row's foreign keys as its serializer declares them — DRF's `SlugRelatedField`,
//! `StringRelatedField`, a nested serializer, `HyperlinkedRelatedField` — and the row's own
//! `url` (`HyperlinkedIdentityField`). Rows come out of [`super::rows::render_row`] with each
//! foreign key as its id; the targets of a whole page are read with one query per field.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use sea_query::{Expr, ExprTrait};
use serde_json::Value;

use super::query;
use super::rows::{Row, render_row_with_values};
use super::schema::{FieldKind, Related, Resource};
use crate::http::layout::resource_detail_path;
use crate::http::{ApiError, ApiRequest};
use crate::state::AppState;

/// Ids per `IN (...)` query: far below any database's limit on bound values.
const IDS_PER_QUERY: usize = 500;

/// The bodies of `rows`, each foreign key rendered as its field says.
pub(crate) async fn present(
    req: &ApiRequest,
    resource: &Resource,
    mut rows: Vec<Row>,
) -> Result<Vec<Value>, ApiError> {
    if needs_expansion(resource) {
        let base = req.absolute_uri("");
        expand(&req.state, &base, resource, &mut rows).await?;
    }
    Ok(rows.into_iter().map(|r| r.json).collect())
}

/// The body of one row.
pub(crate) async fn present_one(
    req: &ApiRequest,
    resource: &Resource,
    row: Row,
) -> Result<Value, ApiError> {
    let mut bodies = present(req, resource, vec![row]).await?;
    Ok(bodies.pop().unwrap_or(Value::Null))
}

/// Whether a body of this resource holds more than its own columns.
pub(crate) fn needs_expansion(resource: &Resource) -> bool {
    resource.has_url()
        || super::owner_user::expands(resource)
        || resource
            .fields
            .iter()
            .any(|f| f.kind == FieldKind::Reference && f.related != Related::Pk)
}

/// The absolute URL of a row's detail route, as DRF's `reverse` + `build_absolute_uri` make it.
fn link(state: &AppState, base: &str, resource: &str, id: i64) -> Value {
    resource_detail_path(state.config(), resource, id)
        .map_or(Value::Null, |path| Value::String(format!("{base}{path}")))
}

type Expansion<'a> = Pin<Box<dyn Future<Output = Result<(), ApiError>> + Send + 'a>>;

/// Fill in the `url` and every foreign key not rendered as its id. Boxed: a nested row expands
/// its own foreign keys (the schema check refuses nesting that never ends).
fn expand<'a>(
    state: &'a AppState,
    base: &'a str,
    resource: &'a Resource,
    rows: &'a mut [Row],
) -> Expansion<'a> {
    Box::pin(async move {
        if resource.has_url() {
            for row in rows.iter_mut() {
                let url = link(state, base, &resource.name, row.id);
                if let Some(map) = row.json.as_object_mut() {
                    map.insert("url".into(), url);
                }
            }
        }
        super::owner_user::fill(state, base, resource, rows).await?;
        for field in &resource.fields {
            if field.kind != FieldKind::Reference
                || field.related == Related::Pk
                || field.write_only
            {
                continue;
            }
            let Some(target) = field.to.as_deref().and_then(|t| state.schema().resource(t)) else {
                continue;
            };
            let mut ids: Vec<i64> = rows
                .iter()
                .filter_map(|r| r.json.get(&field.name).and_then(Value::as_i64))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                continue;
            }
            let rendered = render_targets(state, base, target, &field.related, &ids).await?;
            for row in rows.iter_mut() {
                if let Some(slot) = row.json.get_mut(&field.name)
                    && let Some(id) = slot.as_i64()
                {
                    *slot = rendered.get(&id).cloned().unwrap_or(Value::Null);
                }
            }
        }
        Ok(())
    })
}

/// Each target id as the field renders it.
async fn render_targets(
    state: &AppState,
    base: &str,
    target: &Resource,
    related: &Related,
    ids: &[i64],
) -> Result<HashMap<i64, Value>, ApiError> {
    if *related == Related::Hyperlink {
        return Ok(ids
            .iter()
            .map(|&id| (id, link(state, base, &target.name, id)))
            .collect());
    }
    let mut rows = fetch(state, target, ids).await?;
    if *related == Related::Nested {
        expand(state, base, target, &mut rows).await?;
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let value = match related {
                Related::Slug(attr) => model_value(target, &row, attr),
                Related::Str => Value::String(str_of(target, &row)),
                _ => row.json,
            };
            (row.id, value)
        })
        .collect())
}

/// The rows of `resource` with these ids, whoever may see them: DRF renders a related object
/// without asking the viewset of its model.
async fn fetch(state: &AppState, resource: &Resource, ids: &[i64]) -> Result<Vec<Row>, ApiError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let mut q = query::select(resource);
        q.and_where(Expr::col((resource.table().to_string(), "id")).is_in(chunk.iter().copied()));
        let found = state
            .store()
            .resources()
            .select_rows(&q, &query::read_columns(resource))
            .await?;
        out.extend(
            found
                .into_iter()
                .map(|cells| render_row_with_values(resource, cells)),
        );
    }
    Ok(out)
}

/// The rendered value of a model field of a row.
fn model_value(resource: &Resource, row: &Row, attr: &str) -> Value {
    resource
        .fields
        .iter()
        .position(|f| f.attr == attr && f.kind != FieldKind::Reference)
        .and_then(|i| row.values.get(i).cloned())
        .unwrap_or(Value::Null)
}

/// Python's `str(obj)`: the model's `__str__` field, else Django's default
/// `"Project object (1)"`.
fn str_of(resource: &Resource, row: &Row) -> String {
    let Some(attr) = &resource.str_field else {
        return format!("{} object ({})", resource.label, row.id);
    };
    match model_value(resource, row, attr) {
        Value::String(s) => s,
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}
