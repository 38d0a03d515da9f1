//! Reading rows of a resource: one row by id under the caller's visibility, and rendering a row
//! as DRF's serializer renders it.

use serde_json::{Map, Value, json};

use super::query;
use super::schema::{FieldKind, OwnerSource, Resource, Wire};
use super::values::render_owned;
use crate::http::ApiError;
use crate::state::AppState;
use crate::store::{Cell, User};

/// A row read back: its id, its JSON and, for owner rules, its owner's id. `values` holds each
/// declared field's rendered value (write-only ones too), for the fields of other resources
/// that render this row (a slug, `str()`).
pub(crate) struct Row {
    pub(crate) id: i64,
    pub(crate) json: Value,
    pub(crate) owner_id: Option<i64>,
    pub(crate) values: Vec<Value>,
}

/// Render cells read with [`query::read_columns`], in the order of the serializer's fields. A
/// foreign key holds its id here; [`super::related::present`] renders it as the field says,
/// and fills the row's own `url`; many-to-many fields are filled in afterwards by
/// [`super::many_to_many::fill`]. `values` stays empty: the hot path moves each value into
/// the body instead of copying it.
pub(crate) fn render_row(resource: &Resource, cells: Vec<Cell>) -> Row {
    render_cells(resource, cells, false)
}

/// [`render_row`] keeping each field's value in `values` too (a related row's slug or `str`).
pub(crate) fn render_row_with_values(resource: &Resource, cells: Vec<Cell>) -> Row {
    render_cells(resource, cells, true)
}

/// A row's cells as values: its id, its owner's id (owner rules), and each declared field's
/// value in the order of `resource.fields`. The cells are taken, not borrowed, so that text
/// moves into its value instead of being copied.
pub(crate) fn field_values(
    resource: &Resource,
    cells: Vec<Cell>,
) -> (i64, Option<i64>, Vec<Value>) {
    let mut owner_id = None;
    let mut cells = cells.into_iter();
    let id = match cells.next() {
        Some(Cell::Int(id)) => id,
        _ => 0,
    };
    let mut values = Vec::with_capacity(resource.fields.len());
    for field in &resource.fields {
        if field.kind == FieldKind::ManyToMany {
            // No column: the links are read for the whole page (`many_to_many::fill`); the
            // key is placed in the serializer's order below, empty until then.
            values.push(Value::Array(Vec::new()));
            continue;
        }
        let cell = cells.next().unwrap_or(Cell::Null);
        let value = if field.kind == FieldKind::Owner {
            if let Cell::Int(id) = cell {
                owner_id = Some(id);
            }
            // The owner renders as its username (the oracle's ReadOnlyField(source="owner.username")),
            // its email, or its id (a ModelSerializer's default for a foreign key); a nested
            // user or a link starts as the id, rendered by `related::present`.
            match (field.owner_source, cells.next()) {
                (OwnerSource::Id | OwnerSource::Nested | OwnerSource::Hyperlink, _) => {
                    owner_id.map_or(Value::Null, |id| json!(id))
                }
                (_, Some(Cell::Text(name))) => Value::String(name),
                _ => Value::Null,
            }
        } else {
            render_owned(field, cell)
        };
        values.push(value);
    }
    (id, owner_id, values)
}

fn render_cells(resource: &Resource, cells: Vec<Cell>, keep: bool) -> Row {
    let (id, owner_id, mut values) = field_values(resource, cells);
    let mut map = Map::with_capacity(resource.wire.len());
    for entry in &resource.wire {
        match entry {
            Wire::Id => {
                map.insert(resource.id_field.clone(), json!(id));
            }
            // Filled in by `related::present`, which knows the request's host.
            Wire::Url => {
                map.insert("url".into(), Value::Null);
            }
            Wire::Field(i) => {
                if let (Some(field), Some(value)) = (resource.fields.get(*i), values.get_mut(*i))
                    && !field.write_only
                {
                    let value = if keep {
                        value.clone()
                    } else {
                        std::mem::take(value)
                    };
                    map.insert(field.name.clone(), value);
                }
            }
        }
    }
    if !keep {
        values.clear();
    }
    Row {
        id,
        json: Value::Object(map),
        owner_id,
        values,
    }
}

/// The row with this id if `user` may see it (`visible = false`: any row).
pub(crate) async fn find(
    state: &AppState,
    resource: &Resource,
    id: i64,
    user: Option<&User>,
    visible: bool,
) -> Result<Option<Row>, ApiError> {
    let mut conds = vec![query::by_id(resource, id)];
    if visible && let Some(cond) = query::visibility(resource, user) {
        conds.push(cond);
    }
    find_where(state, resource, conds).await
}

/// The first row where every condition holds.
pub(crate) async fn find_where(
    state: &AppState,
    resource: &Resource,
    conds: Vec<sea_query::Cond>,
) -> Result<Option<Row>, ApiError> {
    let mut q = query::select(resource);
    for cond in conds {
        q.cond_where(cond);
    }
    q.limit(1);
    let rows = state
        .store()
        .resources()
        .select_rows(&q, &query::read_columns(resource))
        .await?;
    let mut found: Vec<Row> = rows
        .into_iter()
        .next()
        .map(|cells| render_row(resource, cells))
        .into_iter()
        .collect();
    super::many_to_many::fill(state, resource, &mut found).await?;
    Ok(found.pop())
}

/// Does a row with this id exist and is it visible to `user`? (For references.)
pub(crate) async fn visible(
    state: &AppState,
    resource: &Resource,
    id: i64,
    user: Option<&User>,
) -> Result<bool, ApiError> {
    let mut q = query::count(resource);
    q.cond_where(query::by_id(resource, id));
    if let Some(cond) = query::visibility(resource, user) {
        q.cond_where(cond);
    }
    Ok(state.store().resources().count_rows(&q).await? > 0)
}
