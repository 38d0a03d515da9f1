//! `/api/<name>/<id>/`: retrieve, update (PUT), partial update (PATCH) and destroy. A row the
//! caller cannot see is a 404 ("No Note matches the given query."); a row it can see but not
//! write is a 403; the permission is checked before the body is validated, as in DRF.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use sea_query::{Cond, Expr, ExprTrait, Query};
use serde_json::json;

use super::{input, metadata, resource_of};
use crate::http::endpoint::{Endpoint, Permission};
use crate::http::endpoint_doc::Doc;
use crate::http::json::{json_response, no_content};
use crate::http::pagination::python_int_exact;
use crate::http::{ApiError, ApiRequest};
use crate::resources::access::Rule;
use crate::resources::queryset::Queryset;
use crate::resources::schema::{FieldKind, Resource, Storage};
use crate::resources::{query, related, rows};
use crate::store::timestamp::now_db;

/// `/api/<name>/<id>/` of the resource at `index` in the schema.
pub(super) fn endpoint(index: usize, resource: &Resource) -> Endpoint {
    Endpoint::new(
        format!("{} Instance", resource.label),
        &[Method::GET, Method::PUT, Method::PATCH, Method::DELETE],
        move |req| handle(req, index),
    )
    .permission(Permission::custom(move |req| Box::pin(check(req, index))))
    .checked_actions(move |req| Box::pin(actions(req, index)))
    .documented(Doc::Resource {
        index,
        detail: true,
    })
}

/// A router's detail route: the primary key, in the `id` its pattern captures.
const ROUTER_LOOKUP: (&str, &str) = ("pk", "id");

fn rule_for<'r>(resource: &'r Resource, method: &Method) -> &'r Rule {
    match *method {
        Method::PUT | Method::PATCH => &resource.access.update,
        Method::DELETE => &resource.access.destroy,
        _ => &resource.access.retrieve,
    }
}

/// DRF's `check_permissions` for a rule, looking up model permissions when the rule has any.
pub(super) async fn check_rule(
    req: &ApiRequest,
    resource: &Resource,
    rule: &Rule,
) -> Result<(), ApiError> {
    let mut granted = Vec::new();
    if let Some(user) = req.user() {
        for (r, codename) in rule.permissions() {
            if crate::accounts::permissions::has_perm(&req.state, user.id, r, codename).await? {
                granted.push((r.to_string(), codename.to_string()));
            }
        }
    }
    let _ = resource;
    rule.check_view(req.user(), |r, c| {
        granted.iter().any(|(gr, gc)| gr == r && gc == c)
    })
}

async fn check(req: &ApiRequest, index: usize) -> Result<(), ApiError> {
    let resource = resource_of(&req.state, index)?;
    check_rule(req, resource, rule_for(resource, &req.method)).await
}

async fn handle(req: ApiRequest, index: usize) -> Result<Response, ApiError> {
    // The schema lives in the state: hold the state (one Arc), not a copy of the resource.
    let state = req.state.clone();
    let resource = resource_of(&state, index)?;
    let (id, row) = object(&req, resource, &Queryset::Visible, ROUTER_LOOKUP).await?;
    rule_for(resource, &req.method).check_object(req.user(), row.owner_id)?;
    answer(&req, resource, id, row).await
}

/// What DRF's retrieve, update, partial_update and destroy do with the object found.
pub(super) async fn answer(
    req: &ApiRequest,
    resource: &Resource,
    id: i64,
    row: rows::Row,
) -> Result<Response, ApiError> {
    match req.method {
        Method::GET => Ok(json_response(
            StatusCode::OK,
            &related::present_one(req, resource, row).await?,
        )),
        Method::DELETE => destroy(req, resource, id).await,
        _ => update(req, resource, id).await,
    }
}

/// DRF lists PUT only when the caller passes the update rule for this very row.
async fn actions(req: &ApiRequest, index: usize) -> Option<serde_json::Value> {
    let resource = resource_of(&req.state, index).ok()?;
    let rule = &resource.access.update;
    check_rule(req, resource, rule).await.ok()?;
    let (_, row) = object(req, resource, &Queryset::Visible, ROUTER_LOOKUP)
        .await
        .ok()?;
    rule.check_object(req.user(), row.owner_id).ok()?;
    Some(
        json!({ "PUT": metadata::serializer_info(req.state.config(), req.state.schema(), resource) }),
    )
}

/// DRF's `get_object`: the row whose `field` (`lookup_field`) is the URL keyword `kwarg`
/// (`lookup_url_kwarg`) among the rows of the view's queryset.
pub(super) async fn object(
    req: &ApiRequest,
    resource: &Resource,
    queryset: &Queryset,
    (field, kwarg): (&str, &str),
) -> Result<(i64, rows::Row), ApiError> {
    let raw = req.param(kwarg).unwrap_or_default();
    let missing = || ApiError::NotFound(format!("No {} matches the given query.", resource.label));
    let table = resource.table().to_string();
    let (column, numeric, storage) = match field {
        "pk" | "id" => ("id".to_string(), true, Storage::Integer),
        name => {
            let kind = resource.model_field(name).map(|f| f.kind);
            (
                resource.column_of(name).ok_or_else(|| {
                    ApiError::internal(anyhow::anyhow!("lookup_field {name} is not a field"))
                })?,
                matches!(kind, Some(FieldKind::Integer | FieldKind::Reference)),
                kind.map_or(Storage::Text, FieldKind::storage),
            )
        }
    };
    let by = if numeric {
        // Django casts the lookup to an integer with Python's int() (`1_0` is 10: the reference
        // answers `/api/notes/1_0/` with "No Note matches", not "Not found."): text that is no
        // integer is a plain 404, an integer beyond 64 bits simply matches nothing.
        let id = python_int_exact(raw)
            .ok_or_else(ApiError::not_found)?
            .ok_or_else(missing)?;
        Expr::col((table, column)).eq(id)
    } else {
        crate::resources::bind::eq(Expr::col((table, column)), storage, raw.to_string())
    };
    let mut conds = vec![Cond::all().add(by)];
    conds.extend(queryset.condition(req, resource)?);
    let row = rows::find_where(&req.state, resource, conds)
        .await?
        .ok_or_else(missing)?;
    Ok((row.id, row))
}

pub(super) async fn update(
    req: &ApiRequest,
    resource: &Resource,
    id: i64,
) -> Result<Response, ApiError> {
    let partial = req.method == Method::PATCH;
    let input::Written { mut columns, links } =
        input::columns(req, resource, partial, Some(id)).await?;
    // Django's auto_now: every save sets the field.
    let now = now_db();
    for field in resource.fields.iter().filter(|f| f.auto_now) {
        columns.push((field.column(), now.clone().into()));
    }
    let update = (!columns.is_empty()).then(|| {
        let mut update = Query::update();
        update
            .table(resource.table().to_string())
            .values(
                columns
                    .into_iter()
                    .map(|(c, v)| (c, sea_query::Expr::from(v))),
            )
            .cond_where(query::by_id(resource, id));
        update
    });
    match (update, links.is_empty()) {
        (Some(update), true) => {
            req.state.store().resources().update_rows(&update).await?;
        }
        (None, true) => {}
        // The row and its links in one transaction (PUT replaces the set; a PATCH without the
        // field has no link set for it and keeps its links).
        (update, false) => {
            req.state
                .store()
                .resources()
                .update_row_linked(update.as_ref(), id, &links)
                .await?;
        }
    }
    let row = rows::find(&req.state, resource, id, req.user(), false)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(json_response(
        StatusCode::OK,
        &related::present_one(req, resource, row).await?,
    ))
}

pub(super) async fn destroy(
    req: &ApiRequest,
    resource: &Resource,
    id: i64,
) -> Result<Response, ApiError> {
    let mut delete = Query::delete();
    delete
        .from_table(resource.table().to_string())
        .cond_where(query::by_id(resource, id));
    req.state.store().resources().delete_rows(&delete).await?;
    Ok(no_content())
}
