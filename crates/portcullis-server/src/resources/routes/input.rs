//! Request data → column values for an insert or update: each writable field validated as DRF
//! validates it, uniqueness and references checked, all errors of a request reported together.

use sea_query::{Expr, ExprTrait};
use serde_json::Value;

use crate::http::{ApiError, ApiRequest};
use crate::resources::many_to_many::JoinTable;
use crate::resources::many_to_many_input::{self, Links};
use crate::resources::schema::{FieldKind, Resource, Wire};
use crate::resources::values::{Outcome, Typed, missing_reference, validate};
use crate::resources::{query, related_input, rows};
use crate::serializer::{Errors, root_object};
use crate::store::links::LinkSet;

/// What a valid request writes: column values, and the links of the many-to-many fields it
/// gives.
pub(super) struct Written {
    pub(super) columns: Vec<(String, sea_query::Value)>,
    pub(super) links: Vec<LinkSet>,
}

/// The values to write. `existing` is the row being updated (for uniqueness).
pub(super) async fn columns(
    req: &ApiRequest,
    resource: &Resource,
    partial: bool,
    existing: Option<i64>,
) -> Result<Written, ApiError> {
    let data = req.data()?;
    let map = root_object(&data)?;
    let state = &req.state;
    let mut errors = Errors::default();
    let mut out = Vec::new();
    let mut links = Vec::new();
    // DRF validates the writable fields in the serializer's order (its `Meta.fields`), and
    // reports their errors in that order.
    let in_order = resource.wire.iter().filter_map(|entry| match entry {
        Wire::Field(i) => resource.fields.get(*i),
        Wire::Id | Wire::Url => None,
    });
    for field in in_order.filter(|f| f.writable()) {
        if field.kind == FieldKind::ManyToMany {
            match many_to_many_input::validate(req, field, &data, map, partial).await? {
                Links::Absent => {}
                Links::Ids(ids) => links.push(JoinTable::of(resource, field).links(ids)),
                Links::Invalid(messages) => errors.add(&field.name, messages),
            }
            continue;
        }
        let outcome = match validate(field, map, data.is_form, partial) {
            Ok(outcome) => outcome,
            Err(messages) => {
                errors.add(&field.name, messages);
                continue;
            }
        };
        let typed = match outcome {
            Outcome::Absent => continue,
            Outcome::Value(typed) => typed,
            Outcome::Reference(id) => {
                let target = field.to.as_deref().and_then(|t| state.schema().resource(t));
                let ok = match target {
                    Some(target) => rows::visible(state, target, id, req.user()).await?,
                    None => false,
                };
                if !ok {
                    errors.add(&field.name, vec![missing_reference(id)]);
                    continue;
                }
                Typed::Int(id)
            }
            Outcome::Related(value) => {
                let Some(target) = field.to.as_deref().and_then(|t| state.schema().resource(t))
                else {
                    continue;
                };
                match related_input::resolve(req, field, target, &value).await? {
                    Ok(id) => Typed::Int(id),
                    Err(messages) => {
                        errors.add(&field.name, messages);
                        continue;
                    }
                }
            }
        };
        if field.unique && typed != Typed::Null {
            let mut q = query::count(resource);
            q.and_where(
                Expr::col((resource.table().to_string(), field.column()))
                    .eq(typed.clone().into_sea(field)),
            );
            if let Some(id) = existing {
                q.and_where(Expr::col((resource.table().to_string(), "id")).ne(id));
            }
            if state.store().resources().count_rows(&q).await? > 0 {
                let verbose = field.label.to_lowercase();
                errors.add(
                    &field.name,
                    vec![format!(
                        "{} with this {verbose} already exists.",
                        resource.label.to_lowercase()
                    )],
                );
                continue;
            }
        }
        out.push((field.column(), typed.into_sea(field)));
    }
    errors.check()?;
    Ok(Written {
        columns: out,
        links,
    })
}

/// A JSON default from the schema as a column value (for fields absent on create).
pub(super) fn default_value(resource: &Resource, name: &str) -> Option<(String, sea_query::Value)> {
    let field = resource.field(name)?;
    let default = field.default.as_ref()?;
    let typed = match (field.kind, default) {
        (_, Value::Null) => Typed::Null,
        (FieldKind::Boolean, Value::Bool(b)) => Typed::Int(i64::from(*b)),
        (FieldKind::Json, v) => Typed::Text(v.to_string()),
        (_, Value::Number(n)) if n.is_i64() => Typed::Int(n.as_i64().unwrap_or_default()),
        (_, Value::Number(n)) => Typed::Real(n.as_f64().unwrap_or_default()),
        (_, Value::String(s)) => Typed::Text(s.clone()),
        (_, v) => Typed::Text(v.to_string()),
    };
    Some((field.column(), typed.into_sea(field)))
}
