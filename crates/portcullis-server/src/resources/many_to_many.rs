//! Many-to-many fields: Django's `ManyToManyField`, which a `ModelSerializer` renders as
//! `PrimaryKeyRelatedField(many=True)`, a list of the linked rows' ids. The links live in a join
//! table as Django keeps them (`id`, the row's id, the target's id, the pair unique); this module
//! names that table, checks the names against the schema, reads the links of a page of rows in
//! one query per field, and builds the exact filter `?tags=3`. Input is `many_to_many_input.rs`.

use std::collections::HashMap;

use sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use serde_json::{Value, json};

use super::rows::Row;
use super::schema::{Field, FieldKind, Resource};
use crate::http::ApiError;
use crate::http::pagination::python_int_exact;
use crate::state::AppState;
use crate::store::Storage;
use crate::store::links::LinkSet;

/// Ids per statement when reading links or checking targets: far below any database's limit
/// on bound parameters, and more than any page holds.
pub(crate) const IDS_PER_QUERY: usize = 5000;

/// The join table of a many-to-many field and its two columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JoinTable {
    /// `<resource>_<field>` (Django's `<app>_<model>_<field>`).
    pub(crate) name: String,
    /// The column of the row's id: `<resource>_id`.
    pub(crate) source: String,
    /// The column of the target's id: `<target>_id`.
    pub(crate) target: String,
}

impl JoinTable {
    /// The join table of `field` (a many-to-many field of `resource`). A field pointing at its
    /// own resource gets `from_<resource>_id` and `to_<resource>_id`, as Django names them.
    pub(crate) fn of(resource: &Resource, field: &Field) -> JoinTable {
        let to = field.to.as_deref().unwrap_or_default();
        let (source, target) = if to == resource.name {
            (
                format!("from_{}_id", resource.name),
                format!("to_{}_id", resource.name),
            )
        } else {
            (format!("{}_id", resource.name), format!("{to}_id"))
        };
        JoinTable {
            name: format!("{}_{}", resource.name, field.name),
            source,
            target,
        }
    }

    /// The links to write: the row linked to exactly `targets`.
    pub(crate) fn links(&self, targets: Vec<i64>) -> LinkSet {
        LinkSet {
            table: self.name.clone(),
            source: self.source.clone(),
            target: self.target.clone(),
            targets,
        }
    }
}

/// The many-to-many fields of a resource.
pub(crate) fn fields(resource: &Resource) -> impl Iterator<Item = &Field> {
    resource
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::ManyToMany)
}

/// Every join table's name must be free: no resource's table and no other join table may have
/// it, and it must fit an identifier (63 characters, PostgreSQL's limit).
pub(crate) fn check_join_tables(resources: &[Resource], problems: &mut Vec<String>) {
    let mut taken: Vec<(String, String)> = Vec::new();
    for resource in resources {
        for field in fields(resource) {
            let join = JoinTable::of(resource, field);
            let owner = format!("resource {}, field {}", resource.name, field.name);
            if join.name.len() > 63 {
                problems.push(format!(
                    "{owner}: the join table's name \"{}\" is longer than 63 characters; shorten the resource's or the field's name",
                    join.name
                ));
            } else if resources.iter().any(|r| r.name == join.name) {
                problems.push(format!(
                    "{owner}: its join table \"{}\" would be the table of resource {}; rename the field or the resource",
                    join.name, join.name
                ));
            } else if let Some((_, other)) = taken.iter().find(|(name, _)| *name == join.name) {
                problems.push(format!(
                    "{owner}: its join table \"{}\" is already the join table of {other}",
                    join.name
                ));
            }
            taken.push((join.name, owner));
        }
    }
}

/// Fill the many-to-many fields of rendered rows with the ids they link to, in the targets' id
/// order (what Django's `.all()` returns on SQLite when the target has no `Meta.ordering`: the
/// join table's unique index walked for the row). One query per field for all the rows.
pub(crate) async fn fill(
    state: &AppState,
    resource: &Resource,
    rows: &mut [Row],
) -> Result<(), ApiError> {
    if rows.is_empty() {
        return Ok(());
    }
    for field in fields(resource).filter(|f| !f.write_only) {
        let join = JoinTable::of(resource, field);
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut linked: HashMap<i64, Vec<Value>> = HashMap::new();
        for batch in ids.chunks(IDS_PER_QUERY) {
            let q = links_statement(&join, batch);
            let pairs = state
                .store()
                .resources()
                .select_rows(&q, &[Storage::Integer, Storage::Integer])
                .await?;
            for pair in pairs {
                if let [
                    crate::store::Cell::Int(source),
                    crate::store::Cell::Int(target),
                ] = pair.as_slice()
                {
                    linked.entry(*source).or_default().push(json!(target));
                }
            }
        }
        for row in rows.iter_mut() {
            let ids = linked.remove(&row.id).unwrap_or_default();
            if let Value::Object(map) = &mut row.json {
                map.insert(field.name.clone(), Value::Array(ids));
            }
        }
    }
    Ok(())
}

/// The (row id, target id) pairs of the rows `ids`, by row then target: the join table's
/// unique index on the pair serves it in that order.
fn links_statement(join: &JoinTable, ids: &[i64]) -> SelectStatement {
    let mut q = Query::select();
    q.column((join.name.clone(), join.source.clone()))
        .column((join.name.clone(), join.target.clone()))
        .from(join.name.clone())
        .and_where(Expr::col((join.name.clone(), join.source.clone())).is_in(ids.to_vec()))
        .order_by((join.name.clone(), join.source.clone()), Order::Asc)
        .order_by((join.name.clone(), join.target.clone()), Order::Asc);
    q
}

/// The statement a list runs to read the links of `field` (named in the schema) for the rows
/// `ids`, for the tests to explain; `None` when the resource has no such many-to-many field.
pub fn links_statement_of(
    resource: &Resource,
    field: &str,
    ids: &[i64],
) -> Option<SelectStatement> {
    let field = fields(resource).find(|f| f.name == field)?;
    Some(links_statement(&JoinTable::of(resource, field), ids))
}

/// The exact filter on a many-to-many field (`?tags=3`): the rows linked to that target, each
/// once (Django's `filter(tags=3).distinct()`). `None` when `name` is no many-to-many field.
pub(crate) fn filter(resource: &Resource, name: &str, raw: &str) -> Result<Option<Cond>, ApiError> {
    let Some(field) = resource
        .field(name)
        .filter(|f| f.kind == FieldKind::ManyToMany)
    else {
        return Ok(None);
    };
    let target = match python_int_exact(raw) {
        Some(Some(id)) => id,
        // A whole number beyond 64 bits is no row's id: nothing matches.
        Some(None) => return Ok(Some(Cond::all().add(Expr::cust("0 = 1")))),
        None => return Err(ApiError::field(name, "Enter a whole number.")),
    };
    let join = JoinTable::of(resource, field);
    let mut linked = Query::select();
    linked
        .column((join.name.clone(), join.source.clone()))
        .from(join.name.clone())
        .and_where(Expr::col((join.name.clone(), join.target.clone())).eq(target));
    Ok(Some(Cond::all().add(
        Expr::col((resource.table().to_string(), "id")).in_subquery(linked),
    )))
}
