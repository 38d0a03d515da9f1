//! A resource list under DRF's `CursorPagination`: the ordering (the `OrderingFilter`'s when the
//! request names a valid one, as DRF's `get_ordering` defers to it, else the resource's
//! `cursor_ordering`), the position filter, and the page of `page_size + 1` rows.

use sea_query::{Cond, Expr, ExprTrait};
use serde_json::Value;

use super::list::page_size;
use super::pages::fetch_rows;
use crate::http::pagination::cursor::{self, Cursor, Fetched};
use crate::http::pagination::python_int;
use crate::http::{ApiError, ApiRequest};
use crate::resources::list_query::ListQuery;
use crate::resources::rows::Row;
use crate::resources::schema::{FieldKind, Resource};
use crate::resources::schema_pagination::CursorOrdering;
use crate::resources::temporal::{parse_date, parse_datetime};
use crate::store::timestamp::to_db;

pub(super) async fn page(
    req: &ApiRequest,
    resource: &Resource,
    list: &ListQuery<'_>,
) -> Result<Value, ApiError> {
    let terms = ordering(req, resource)?;
    let first = terms
        .first()
        .cloned()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a cursor without an ordering")))?;
    let cursor = cursor::decode(req.query("cursor").as_deref())?;
    let reverse = cursor.as_ref().is_some_and(|c| c.reverse);
    // Cursor pagination always enforces its ordering, reversed for a reverse cursor. DRF
    // leaves the order of ties to the database, and SQLite hands them to Django in id order
    // whichever way the field is sorted: the id breaks ties ascending, never reversed.
    let mut order: Vec<(String, bool)> = terms
        .iter()
        .map(|t| (t.column.clone(), t.desc != reverse))
        .collect();
    if !order.iter().any(|(c, _)| c == "id") {
        order.push(("id".into(), false));
    }
    // The position is a condition of every part of the rows, so that each part's index
    // starts its read there.
    let keyset = match &cursor {
        Some(c) => after_position(resource, &first, c)?,
        None => None,
    };
    let mut select = list.select(&order, keyset.as_ref());
    let size = page_size(req, resource);
    let offset = cursor.as_ref().map_or(0, |c| c.offset);
    select.limit(size.saturating_add(1)).offset(offset);
    let rows = fetch_rows(req, resource, &select, true).await?;
    let positions = rows
        .iter()
        .map(|row| position(resource, row, &first))
        .collect();
    let rows = crate::resources::related::present(req, resource, rows).await?;
    Ok(cursor::paginated(
        &req.absolute_self(),
        cursor.as_ref(),
        size,
        Fetched { rows, positions },
    ))
}

/// The `OrderingFilter`'s valid terms of `?ordering=`, else the resource's cursor ordering.
fn ordering(req: &ApiRequest, resource: &Resource) -> Result<Vec<CursorOrdering>, ApiError> {
    let raw = req.query("ordering");
    let requested: Vec<CursorOrdering> =
        crate::resources::query::ordering_terms(resource, raw.as_deref())
            .filter_map(|(name, desc)| any_term(resource, name, desc))
            .collect();
    if !requested.is_empty() {
        return Ok(requested);
    }
    let fixed = resource
        .cursor_ordering
        .clone()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no cursor ordering")))?;
    Ok(vec![fixed])
}

/// Any orderable field as a term (the `OrderingFilter` may name one `cursor_ordering` may not);
/// `name` is a model field's, the position is read under the serializer's name for it.
fn any_term(resource: &Resource, name: &str, desc: bool) -> Option<CursorOrdering> {
    let (kind, key) = match name {
        "id" => (FieldKind::Integer, resource.id_field.clone()),
        _ => {
            let field = resource.model_field(name)?;
            (field.kind, field.name.clone())
        }
    };
    Some(CursorOrdering {
        name: key,
        column: resource.column_of(name)?,
        desc,
        kind,
    })
}

/// DRF's `_get_position_from_instance`: `str()` of the row's value of the first ordering field,
/// read from the row itself (the id, or the model field's own value before any related
/// rendering; shown or not). A datetime is Python's `str(datetime)`, not DRF's output format: a
/// space, and `+00:00` for `Z`.
fn position(resource: &Resource, row: &Row, first: &CursorOrdering) -> String {
    if first.column == "id" {
        return row.id.to_string();
    }
    let value = resource
        .fields
        .iter()
        .position(|f| f.has_column() && f.column() == first.column)
        .and_then(|i| row.values.get(i));
    match value {
        Some(Value::String(s)) if first.kind == FieldKind::DateTime => {
            s.strip_suffix('Z').map_or_else(
                || s.clone(),
                |s| format!("{}+00:00", s.replacen('T', " ", 1)),
            )
        }
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(true)) => "True".into(),
        Some(Value::Bool(false)) => "False".into(),
        Some(Value::Null) | None => "None".into(),
        Some(other) => other.to_string(),
    }
}

/// `filter(<field>__gt=position)` (or `__lt`: the cursor's direction XOR the ordering's).
/// Django converts the position to the field's type first; where it cannot, Django fails with
/// a server error, Portcullis says "Invalid cursor".
fn after_position(
    resource: &Resource,
    first: &CursorOrdering,
    cursor: &Cursor,
) -> Result<Option<Cond>, ApiError> {
    let Some(position) = &cursor.position else {
        return Ok(None);
    };
    let invalid = || ApiError::NotFound("Invalid cursor".into());
    let value: sea_query::Value = match first.kind {
        FieldKind::Integer | FieldKind::Owner | FieldKind::Reference => {
            python_int(position).ok_or_else(invalid)?.into()
        }
        FieldKind::Float => position
            .trim()
            .parse::<f64>()
            .map_err(|_| invalid())?
            .into(),
        FieldKind::Boolean => match position.as_str() {
            // Booleans are stored as 0/1 on every database.
            "True" | "true" | "t" | "1" => 1i64.into(),
            "False" | "false" | "f" | "0" => 0i64.into(),
            _ => return Err(invalid()),
        },
        FieldKind::DateTime => to_db(parse_datetime(position).map_err(|_| invalid())?).into(),
        FieldKind::Date => {
            let date = parse_date(position).ok_or_else(invalid)?;
            let format = time::macros::format_description!("[year]-[month]-[day]");
            date.format(&format).map_err(|_| invalid())?.into()
        }
        // No stored text holds a NUL (PostgreSQL cannot bind one): text past a NUL orders
        // between the part before it and everything longer, so `< "a\0b"` is `<= "a"`.
        FieldKind::String | FieldKind::Text | FieldKind::Json => match position.split_once('\0') {
            Some((before, _)) => {
                let column = Expr::col((resource.table().to_string(), first.column.clone()));
                return Ok(Some(Cond::all().add(if cursor.reverse != first.desc {
                    column.lte(before.to_string())
                } else {
                    column.gt(before.to_string())
                })));
            }
            None => position.clone().into(),
        },
        // `cursor_ordering` and `ordering_fields` never name one (the schema check refuses it).
        FieldKind::ManyToMany => return Err(invalid()),
    };
    let column = Expr::col((resource.table().to_string(), first.column.clone()));
    Ok(Some(Cond::all().add(if cursor.reverse != first.desc {
        column.lt(value)
    } else {
        column.gt(value)
    })))
}
