//! `/api/<name>/`: list (DRF's `PageNumberPagination`, `SearchFilter`, `OrderingFilter` and exact
//! filters on declared fields, under the caller's visibility) and create (201 with the row).

use axum::http::{Method, StatusCode};
use axum::response::Response;
use sea_query::{Expr, ExprTrait, Query};
use serde_json::{Value, json};

use super::{input, metadata, resource_of};
use crate::http::body::DEFAULT_PARSES;
use crate::http::json::json_response;
use crate::http::pagination::{page_for, paginated};
use crate::http::view::{CheckFuture, Throttle, View, ViewFuture, ViewSpec};
use crate::http::{ApiError, ApiRequest};
use crate::resources::schema::{FieldKind, Resource};
use crate::resources::{query, rows};
use crate::store::timestamp::now_db;

pub struct ListView {
    index: usize,
    spec: ViewSpec,
}

impl ListView {
    pub fn new(index: usize, resource: &Resource) -> ListView {
        let name: &'static str = Box::leak(format!("{} List", resource.label).into_boxed_str());
        ListView {
            index,
            spec: ViewSpec {
                name,
                methods: &[Method::GET, Method::POST],
                browsable: true,
                authenticate: true,
                www_authenticate: Some("Token"),
                parses: DEFAULT_PARSES,
                throttle: Throttle::Default,
            },
        }
    }
}

impl View for ListView {
    fn spec(&self) -> &ViewSpec {
        &self.spec
    }

    fn check_permissions<'a>(&'a self, req: &'a ApiRequest) -> CheckFuture<'a> {
        Box::pin(async move {
            let resource = resource_of(&req.state, self.index)?;
            let rule = if req.method == Method::POST {
                &resource.access.create
            } else {
                &resource.access.list
            };
            super::detail::check_rule(req, resource, rule).await
        })
    }

    fn handle(&self, req: ApiRequest) -> ViewFuture<'_> {
        Box::pin(async move {
            let resource = resource_of(&req.state, self.index)?.clone();
            if req.method == Method::POST {
                create(&req, &resource).await
            } else {
                list(&req, &resource).await
            }
        })
    }

    fn metadata_actions(&self, req: &ApiRequest) -> Option<Value> {
        let resource = resource_of(&req.state, self.index).ok()?;
        resource
            .access
            .create
            .check_view(req.user(), |_, _| false)
            .ok()?;
        Some(json!({ "POST": metadata::serializer_info(resource) }))
    }
}

async fn list(req: &ApiRequest, resource: &Resource) -> Result<Response, ApiError> {
    let state = &req.state;
    let mut conditions = Vec::new();
    if let Some(c) = query::visibility(resource, req.user()) {
        conditions.push(c);
    }
    conditions.extend(filters(req, resource)?);
    let terms = query::search_terms(&req.query("search").unwrap_or_default());
    if let Some(c) = query::search(resource, &terms) {
        conditions.push(c);
    }
    let mut count = query::count(resource);
    for c in &conditions {
        count.cond_where(c.clone());
    }
    let total = state.store().count_rows(&count).await?;
    let page = page_for(
        req.query("page").as_deref(),
        total,
        page_size(req, resource),
    )?;
    let mut select = query::select(resource);
    for c in conditions {
        select.cond_where(c);
    }
    query::order(&mut select, resource, &ordering(req, resource));
    select.limit(page.size).offset(page.offset());
    let found = state
        .store()
        .select_rows(&select, &query::read_columns(resource))
        .await?;
    let results = found
        .iter()
        .map(|cells| rows::render_row(resource, cells).json)
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &paginated(req, page, total, results),
    ))
}

/// DRF's `get_page_size`: the resource's page size, or a valid `page_size_query_param` value
/// capped at `max_page_size`.
fn page_size(req: &ApiRequest, resource: &Resource) -> u64 {
    let default = u64::from(resource.page_size.unwrap_or(req.state.config().page_size));
    let Some(param) = &resource.page_size_query_param else {
        return default;
    };
    match req
        .query(param)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n > 0)
    {
        Some(n) => resource
            .max_page_size
            .map_or(n, |max| Ord::min(n, u64::from(max))),
        None => default,
    }
}

/// DRF's `OrderingFilter`: the valid terms of `?ordering=`, else the default ordering. The id
/// breaks ties so that pages never overlap.
fn ordering(req: &ApiRequest, resource: &Resource) -> Vec<(String, bool)> {
    let requested: Vec<(String, bool)> = req
        .query("ordering")
        .map(|raw| {
            raw.split(',')
                .map(str::trim)
                .filter_map(|term| {
                    let (name, desc) = term.strip_prefix('-').map_or((term, false), |n| (n, true));
                    resource
                        .ordering_fields
                        .iter()
                        .any(|f| f == name)
                        .then(|| resource.column_of(name).map(|c| (c, desc)))
                        .flatten()
                })
                .collect()
        })
        .unwrap_or_default();
    let mut terms = if requested.is_empty() {
        resource.ordering.clone()
    } else {
        requested
    };
    if !terms.iter().any(|(c, _)| c == "id") {
        terms.push(("id".into(), false));
    }
    terms
}

/// Exact filters on the declared `filter_fields`. A boolean takes true/1 or false/0 in any case
/// (other values are ignored, as the reference app does); other types must parse.
fn filters(req: &ApiRequest, resource: &Resource) -> Result<Vec<sea_query::Cond>, ApiError> {
    let table = resource.table().to_string();
    let mut out = Vec::new();
    for name in &resource.filter_fields {
        let Some(raw) = req.query(name) else { continue };
        let column = resource.column_of(name).unwrap_or_else(|| name.clone());
        let col = Expr::col((table.clone(), column));
        let kind = resource
            .field(name)
            .map(|f| f.kind)
            .unwrap_or(FieldKind::Integer);
        let bad = |m: &str| ApiError::field(name, m);
        let cond = match kind {
            FieldKind::Boolean => match raw.trim().to_lowercase().as_str() {
                "true" | "1" => col.eq(true),
                "false" | "0" => col.eq(false),
                _ => continue,
            },
            FieldKind::Integer | FieldKind::Owner | FieldKind::Reference => col.eq(raw
                .trim()
                .parse::<i64>()
                .map_err(|_| bad("Enter a whole number."))?),
            FieldKind::Float => col.eq(raw
                .trim()
                .parse::<f64>()
                .map_err(|_| bad("Enter a number."))?),
            _ => col.eq(raw),
        };
        out.push(sea_query::Cond::all().add(cond));
    }
    Ok(out)
}

async fn create(req: &ApiRequest, resource: &Resource) -> Result<Response, ApiError> {
    let mut columns = input::columns(req, resource, false, None).await?;
    for field in &resource.fields {
        if !columns.iter().any(|(c, _)| *c == field.column())
            && let Some(default) = input::default_value(resource, &field.name)
        {
            columns.push(default);
        }
    }
    if let Some(owner) = resource.owner_field() {
        let user = req.require_user()?;
        columns.push((owner.column(), user.id.into()));
    }
    if resource.timestamps {
        let now = now_db();
        columns.push(("created_at".into(), now.clone().into()));
        columns.push(("updated_at".into(), now.into()));
    }
    let mut insert = Query::insert();
    insert.into_table(resource.table().to_string());
    let (names, values): (Vec<String>, Vec<sea_query::Value>) = columns.into_iter().unzip();
    insert.columns(names);
    insert
        .values(
            values
                .into_iter()
                .map(Into::into)
                .collect::<Vec<sea_query::Expr>>(),
        )
        .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let id = req
        .state
        .store()
        .insert_row(&insert)
        .await
        .map_err(super::detail::write_error)?;
    let row = rows::find(&req.state, resource, id, req.user(), false)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(json_response(StatusCode::CREATED, &row.json))
}
