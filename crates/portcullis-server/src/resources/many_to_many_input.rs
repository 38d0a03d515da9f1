//! A many-to-many field's input, validated as DRF's `ManyRelatedField` around a
//! `PrimaryKeyRelatedField` validates it: a list of ids (in form input the repeated key), each
//! of which must be a row of the target the caller may see. Django answers the first bad item
//! only (the list comprehension stops at the first error), and so does this.

use std::collections::HashSet;

use sea_query::{Expr, ExprTrait, Query};
use serde_json::{Map, Value};

use super::many_to_many::IDS_PER_QUERY;
use super::query;
use super::schema::{Field, Resource};
use crate::http::body::RequestData;
use crate::http::pagination::python_int_exact;
use crate::http::{ApiError, ApiRequest};
use crate::serializer::python_type;
use crate::store::{Cell, Storage};

/// What the input says of one many-to-many field.
pub(crate) enum Links {
    /// Not given: the links are left as they are (or none, on create).
    Absent,
    /// The target ids, each once, in the order first given.
    Ids(Vec<i64>),
    /// DRF's messages for the field.
    Invalid(Vec<String>),
}

/// One item of the list, as `PrimaryKeyRelatedField.to_internal_value` sees it.
enum Item {
    /// An id to look up, and the item as Django's message shows it (`pk_value`).
    Id(i64, String),
    /// An item that names no row whatever the table holds (`None`, beyond 64 bits).
    Missing(String),
    /// `Incorrect type. Expected pk value, received <type>.`
    Wrong(&'static str),
}

/// Validate `field` of the request's data; the visibility of each id is checked against the
/// target's rows the caller may see.
pub(crate) async fn validate(
    req: &ApiRequest,
    field: &Field,
    data: &RequestData,
    map: &Map<String, Value>,
    partial: bool,
) -> Result<Links, ApiError> {
    let items = match parse(field, data, map, partial) {
        Ok(Some(items)) => items,
        Ok(None) => return Ok(Links::Absent),
        Err(message) => return Ok(Links::Invalid(vec![message])),
    };
    let wanted: Vec<i64> = items
        .iter()
        .filter_map(|item| match item {
            Item::Id(id, _) => Some(*id),
            _ => None,
        })
        .collect();
    let target = field
        .to
        .as_deref()
        .and_then(|to| req.state.schema().resource(to));
    let found = match target {
        Some(target) => visible_ids(req, target, &wanted).await?,
        None => HashSet::new(),
    };
    let mut ids = Vec::new();
    let mut seen = HashSet::new();
    for item in items {
        match item {
            Item::Id(id, _) if found.contains(&id) => {
                if seen.insert(id) {
                    ids.push(id);
                }
            }
            Item::Id(_, shown) | Item::Missing(shown) => {
                return Ok(Links::Invalid(vec![format!(
                    "Invalid pk \"{shown}\" - object does not exist."
                )]));
            }
            Item::Wrong(kind) => {
                return Ok(Links::Invalid(vec![format!(
                    "Incorrect type. Expected pk value, received {kind}."
                )]));
            }
        }
    }
    Ok(Links::Ids(ids))
}

/// DRF's `ManyRelatedField.get_value`, `validate_empty_values` and `to_internal_value` up to
/// the lookups: `None` when the field is absent, else its items, or the one message.
fn parse(
    field: &Field,
    data: &RequestData,
    map: &Map<String, Value>,
    partial: bool,
) -> Result<Option<Vec<Item>>, String> {
    let value = if data.is_form {
        // HTML input: the key's every value (`getlist`), an empty list when the key is missing
        // — except in a partial update, where a missing key leaves the field alone.
        let values = data.getlist(&field.name);
        if values.is_empty() && partial {
            return Ok(None);
        }
        Some(Value::Array(
            values.into_iter().map(Value::String).collect(),
        ))
    } else {
        map.get(&field.name).cloned()
    };
    let Some(value) = value else {
        if field.required && !partial {
            return Err("This field is required.".into());
        }
        return Ok(None);
    };
    let raw_items: Vec<Value> = match value {
        Value::Null => return Err("This field may not be null.".into()),
        Value::Array(items) => items,
        // A dict is iterable in Python: its keys are the items.
        Value::Object(object) => object.into_iter().map(|(k, _)| Value::String(k)).collect(),
        other => {
            return Err(format!(
                "Expected a list of items but got type \"{}\".",
                python_type(&other)
            ));
        }
    };
    // ModelSerializer builds `allow_empty=False` for a field that is not `blank`.
    if raw_items.is_empty() && !field.blank {
        return Err("This list may not be empty.".into());
    }
    Ok(Some(raw_items.iter().map(item).collect()))
}

/// `queryset.get(pk=data)`: Django's `int()` of the item, `bool` refused first.
fn item(value: &Value) -> Item {
    match value {
        Value::Null => Item::Missing("None".into()),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(id), _) => Item::Id(id, n.to_string()),
            // int(9.5) is 9: Django looks up 9 and names 9.5 when it is missing.
            (None, Some(f)) if f.is_finite() && f.abs() < 9.2e18 && !n.is_u64() => {
                Item::Id(f.trunc() as i64, n.to_string())
            }
            _ => Item::Missing(n.to_string()),
        },
        Value::String(s) => match python_int_exact(s) {
            Some(Some(id)) => Item::Id(id, s.clone()),
            Some(None) => Item::Missing(s.clone()),
            None => Item::Wrong("str"),
        },
        other => Item::Wrong(python_type(other)),
    }
}

/// The ids among `ids` that are rows of `target` the caller may see.
async fn visible_ids(
    req: &ApiRequest,
    target: &Resource,
    ids: &[i64],
) -> Result<HashSet<i64>, ApiError> {
    let mut found = HashSet::new();
    let table = target.table().to_string();
    for batch in ids.chunks(IDS_PER_QUERY) {
        let mut q = Query::select();
        q.column((table.clone(), "id"))
            .from(table.clone())
            .and_where(Expr::col((table.clone(), "id")).is_in(batch.to_vec()));
        if let Some(cond) = query::visibility(target, req.user()) {
            q.cond_where(cond);
        }
        let rows = req
            .state
            .store()
            .resources()
            .select_rows(&q, &[Storage::Integer])
            .await?;
        found.extend(rows.iter().filter_map(|row| match row.first() {
            Some(Cell::Int(id)) => Some(*id),
            _ => None,
        }));
    }
    Ok(found)
}
