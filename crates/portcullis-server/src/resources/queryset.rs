//! A view's `get_queryset()`: which rows it lists and finds. A router's viewset reads the rows
//! its resource's `visible_to` allows; a generic view filters as its `queryset` says, with the
//! caller and the URL's keywords at hand. The same value tells a create which parent rows the
//! URL names (`get_object_or_404(Project, pk=kwargs["project_id"], owner=request.user)`).

use sea_query::{Cond, Expr, ExprTrait, Query, SimpleExpr};
use serde_json::Value;

use super::list_query::Part;
use super::schema::{FieldKind, Resource};
use super::{bind, query};
use crate::config::generic_views::{QueryTerm, QueryValue};
use crate::http::{ApiError, ApiRequest};

/// The rows a view works on.
#[derive(Clone, Debug)]
pub(crate) enum Queryset {
    /// A router's viewset: the rows the resource's `visible_to` shows the caller.
    Visible,
    /// A generic view's `filter(...)` terms, all of which must hold.
    Filter(Vec<QueryTerm>),
}

impl Queryset {
    /// The rows as disjoint parts, for a list (see [`super::list_query`]): a viewset's
    /// visible rows split by the visibility rule, a generic view's filter as one part.
    pub(crate) fn parts(
        &self,
        req: &ApiRequest,
        resource: &Resource,
    ) -> Result<Vec<Part>, ApiError> {
        match self {
            Queryset::Visible => Ok(super::list_query::visible_parts(resource, req.user())),
            Queryset::Filter(_) => Ok(self
                .condition(req, resource)?
                .map(Part::only)
                .into_iter()
                .collect()),
        }
    }

    /// The condition on the resource's rows (`None`: every row).
    pub(crate) fn condition(
        &self,
        req: &ApiRequest,
        resource: &Resource,
    ) -> Result<Option<Cond>, ApiError> {
        let terms = match self {
            Queryset::Visible => return Ok(query::visibility(resource, req.user())),
            Queryset::Filter(terms) => terms,
        };
        let schema = req.state.schema();
        let table = resource.table().to_string();
        let mut all = Cond::all();
        for term in terms {
            let column = resource
                .column_of(&term.field)
                .ok_or_else(|| unknown(resource, &term.field))?;
            let cond = match &term.through {
                None => compare(
                    Expr::col((table.clone(), column)),
                    kind_of(resource, &term.field),
                    &term.value,
                    req,
                ),
                // `project__owner=user`: the reference's id among the target rows that match.
                Some(through) => {
                    let target = target_of(schema, resource, &term.field)?;
                    let mut inner = Query::select();
                    inner
                        .column((target.table().to_string(), "id"))
                        .from(target.table().to_string())
                        .and_where(compare(
                            Expr::col((
                                target.table().to_string(),
                                target
                                    .column_of(through)
                                    .ok_or_else(|| unknown(target, through))?,
                            )),
                            kind_of(target, through),
                            &term.value,
                            req,
                        ));
                    Expr::col((table.clone(), column)).in_subquery(inner)
                }
            };
            all = all.add(cond);
        }
        Ok(Some(all))
    }

    /// The references a create takes from the URL: for each `ref = "<kwarg>"` term, the row
    /// the keyword names among the target rows the `ref__field` terms allow, or DRF's 404 for
    /// `get_object_or_404` ("No Project matches the given query.").
    pub(crate) async fn parents(
        &self,
        req: &ApiRequest,
        resource: &Resource,
    ) -> Result<Vec<(String, sea_query::Value)>, ApiError> {
        let Queryset::Filter(terms) = self else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for term in terms {
            let (None, QueryValue::Kwarg(kwarg)) = (&term.through, &term.value) else {
                continue;
            };
            let Some(field) = resource
                .model_field(&term.field)
                .filter(|f| f.kind == FieldKind::Reference)
            else {
                continue;
            };
            let target = target_of(req.state.schema(), resource, &term.field)?;
            let missing =
                || ApiError::NotFound(format!("No {} matches the given query.", target.label));
            let id = req
                .param(kwarg)
                .and_then(|raw| raw.parse::<i64>().ok())
                .ok_or_else(missing)?;
            let table = target.table().to_string();
            let mut q = query::count(target);
            q.and_where(Expr::col((table.clone(), "id")).eq(id));
            for inner in terms
                .iter()
                .filter(|t| t.field == term.field && t.through.is_some())
            {
                let through = inner.through.as_deref().unwrap_or_default();
                let column = target
                    .column_of(through)
                    .ok_or_else(|| unknown(target, through))?;
                q.and_where(compare(
                    Expr::col((table.clone(), column)),
                    kind_of(target, through),
                    &inner.value,
                    req,
                ));
            }
            if req.state.store().resources().count_rows(&q).await? == 0 {
                return Err(missing());
            }
            out.push((field.column(), id.into()));
        }
        Ok(out)
    }
}

fn unknown(resource: &Resource, field: &str) -> ApiError {
    // `portcullis check` refuses such a term; a hand-made configuration in a test may not.
    ApiError::internal(anyhow::anyhow!(
        "queryset: {} has no field {field}",
        resource.name
    ))
}

fn target_of<'s>(
    schema: &'s super::schema::Schema,
    resource: &Resource,
    field: &str,
) -> Result<&'s Resource, ApiError> {
    resource
        .model_field(field)
        .and_then(|f| f.to.as_deref())
        .and_then(|to| schema.resource(to))
        .ok_or_else(|| unknown(resource, field))
}

fn kind_of(resource: &Resource, name: &str) -> FieldKind {
    match name {
        "id" | "pk" => FieldKind::Integer,
        _ => resource
            .model_field(name)
            .map_or(FieldKind::Text, |f| f.kind),
    }
}

/// `column = value`. An anonymous caller is no user: Django cannot filter by it (a server
/// error); Portcullis matches nothing. A keyword that is no number where the column holds
/// numbers matches nothing as well (`<int:...>` converters make it a number anyway).
fn compare(column: Expr, kind: FieldKind, value: &QueryValue, req: &ApiRequest) -> SimpleExpr {
    let nothing = || Expr::cust("0 = 1");
    let storage = kind.storage();
    let numeric = matches!(
        kind,
        FieldKind::Integer | FieldKind::Owner | FieldKind::Reference
    );
    match value {
        QueryValue::User => match req.user() {
            Some(user) => bind::eq(column, storage, user.id),
            None => nothing(),
        },
        QueryValue::Kwarg(name) => {
            let raw = req.param(name).unwrap_or_default();
            if numeric {
                raw.parse::<i64>()
                    .map_or_else(|_| nothing(), |n| bind::eq(column, storage, n))
            } else {
                bind::eq(column, storage, raw.to_string())
            }
        }
        QueryValue::Literal(Value::Bool(b)) => bind::eq(column, storage, *b),
        QueryValue::Literal(Value::Number(n)) => match n.as_i64() {
            Some(i) => bind::eq(column, storage, i),
            None => bind::eq(column, storage, n.as_f64().unwrap_or_default()),
        },
        QueryValue::Literal(Value::String(s)) => bind::eq(column, storage, s.clone()),
        QueryValue::Literal(_) => nothing(),
    }
}
