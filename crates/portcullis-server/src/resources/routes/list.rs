//! `/api/<name>/`: list (DRF's `SearchFilter`, `OrderingFilter` and exact filters on declared
//! fields, under the caller's visibility, paginated as the resource or the configuration says)
//! and create (201 with the row).

use axum::http::{Method, StatusCode};
use axum::response::Response;
use sea_query::Query;
use serde_json::{Value, json};

use super::{cursor_list, input, metadata, pages, resource_of};
use crate::http::endpoint::{Endpoint, Permission};
use crate::http::endpoint_doc::Doc;
use crate::http::json::json_response;
use crate::http::pagination::{Style, page_size_param};
use crate::http::{ApiError, ApiRequest};
use crate::resources::list_query::ListQuery;
use crate::resources::queryset::Queryset;
use crate::resources::schema::Resource;
use crate::resources::{query, related, rows};
use crate::store::timestamp::now_db;

/// `/api/<name>/` of the resource at `index` in the schema. The permission depends on the
/// resource's access rules, looked up in the schema the state holds when the request comes.
pub(super) fn endpoint(index: usize, resource: &Resource) -> Endpoint {
    Endpoint::new(
        format!("{} List", resource.label),
        &[Method::GET, Method::POST],
        move |req| handle(req, index),
    )
    .permission(Permission::custom(move |req| Box::pin(check(req, index))))
    .checked_actions(move |req| Box::pin(actions(req, index)))
    .documented(Doc::Resource {
        index,
        detail: false,
    })
}

async fn check(req: &ApiRequest, index: usize) -> Result<(), ApiError> {
    let resource = resource_of(&req.state, index)?;
    let rule = if req.method == Method::POST {
        &resource.access.create
    } else {
        &resource.access.list
    };
    super::detail::check_rule(req, resource, rule).await
}

async fn handle(req: ApiRequest, index: usize) -> Result<Response, ApiError> {
    // The schema lives in the state: hold the state (one Arc), not a copy of the resource.
    let state = req.state.clone();
    let resource = resource_of(&state, index)?;
    if req.method == Method::POST {
        create(&req, resource, &Queryset::Visible).await
    } else {
        list(&req, resource, &Queryset::Visible).await
    }
}

/// DRF lists POST only when the caller passes the create rule (model permissions included).
async fn actions(req: &ApiRequest, index: usize) -> Option<serde_json::Value> {
    let resource = resource_of(&req.state, index).ok()?;
    super::detail::check_rule(req, resource, &resource.access.create)
        .await
        .ok()?;
    Some(
        json!({ "POST": metadata::serializer_info(req.state.config(), req.state.schema(), resource) }),
    )
}

/// DRF's `ListModelMixin.list` over the view's queryset: filtered, ordered and paginated.
pub(super) async fn list(
    req: &ApiRequest,
    resource: &Resource,
    queryset: &Queryset,
) -> Result<Response, ApiError> {
    let state = &req.state;
    if let Some(raw) = req.query("search") {
        query::check_search(&raw, &state.config().limits)?;
    }
    let parts = queryset.parts(req, resource)?;
    let list = ListQuery::new(resource, parts, |name| req.query(name))?;
    // The view's `pagination_class`, else DEFAULT_PAGINATION_CLASS.
    let style = resource.pagination.unwrap_or(state.config().pagination);
    Ok(match style {
        Style::None => json_response(
            StatusCode::OK,
            &pages::fetch(req, resource, &list.ordered()).await?,
        ),
        Style::PageNumberPagination => json_response(
            StatusCode::OK,
            &pages::page_number(req, resource, &list.count(), list.ordered()).await?,
        ),
        Style::LimitOffsetPagination => json_response(
            StatusCode::OK,
            &pages::limit_offset(req, resource, &list.count(), list.ordered()).await?,
        ),
        Style::CursorPagination => json_response(
            StatusCode::OK,
            &cursor_list::page(req, resource, &list).await?,
        ),
    })
}

/// DRF's `get_page_size`: the resource's page size, or a valid `page_size_query_param` value
/// capped at `max_page_size`.
pub(super) fn page_size(req: &ApiRequest, resource: &Resource) -> u64 {
    let default = default_page_size(req, resource);
    let Some(param) = &resource.page_size_query_param else {
        return default;
    };
    req.query(param)
        .and_then(|v| page_size_param(&v, resource.max_page_size.map(u64::from)))
        .unwrap_or(default)
}

/// The view's `page_size` (or `default_limit`), else PAGE_SIZE.
pub(super) fn default_page_size(req: &ApiRequest, resource: &Resource) -> u64 {
    u64::from(resource.page_size.unwrap_or(req.state.config().page_size))
}

/// DRF's `CreateModelMixin.create`: the body validated first, then `perform_create`'s
/// `get_object_or_404` of the parents the URL names (so an invalid body is a 400 even under
/// another user's parent), then the owner and the timestamps.
pub(super) async fn create(
    req: &ApiRequest,
    resource: &Resource,
    queryset: &Queryset,
) -> Result<Response, ApiError> {
    let input::Written { mut columns, links } = input::columns(req, resource, false, None).await?;
    columns.extend(queryset.parents(req, resource).await?);
    for field in resource.column_fields() {
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
    // Django's auto_now_add and auto_now: both set when the row is created.
    let now = now_db();
    for field in resource.fields.iter().filter(|f| f.set_on_create()) {
        columns.push((field.column(), now.clone().into()));
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
    // The row and its links in one transaction.
    let id = if links.is_empty() {
        req.state.store().resources().insert_row(&insert).await?
    } else {
        req.state
            .store()
            .resources()
            .insert_row_linked(&insert, &links)
            .await?
    };
    let row = rows::find(&req.state, resource, id, req.user(), false)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let body = related::present_one(req, resource, row).await?;
    let mut response = json_response(StatusCode::CREATED, &body);
    // CreateModelMixin.get_success_headers: a body with a `url` gives the Location.
    if let Some(url) = body.get("url").and_then(Value::as_str)
        && let Ok(value) = axum::http::HeaderValue::from_str(url)
    {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    Ok(response)
}
