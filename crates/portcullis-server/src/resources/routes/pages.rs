//! A resource list's rows under no pagination, `PageNumberPagination` and
//! `LimitOffsetPagination` (the cursor has `cursor_list.rs`).

use sea_query::SelectStatement;

use super::list::{default_page_size, page_size};
use crate::http::pagination::{PageBody, limit_offset, page_body, page_for};
use crate::http::{ApiError, ApiRequest};
use crate::resources::flat_rows::{self, Results};
use crate::resources::schema::Resource;
use crate::resources::{query, related, rows};

/// The rows the statement selects, rendered: straight from their cells when the bodies hold
/// only the row's own columns, else as values with their related fields presented.
pub(super) async fn fetch<'r>(
    req: &ApiRequest,
    resource: &'r Resource,
    select: &SelectStatement,
) -> Result<Results<'r>, ApiError> {
    if flat_rows::applies(resource) {
        let found = req
            .state
            .store()
            .resources()
            .select_rows(select, &query::read_columns(resource))
            .await?;
        let rows = found
            .into_iter()
            .map(|cells| flat_rows::render(resource, cells))
            .collect();
        return Ok(Results::Flat(rows));
    }
    let rendered = fetch_rows(req, resource, select, false).await?;
    Ok(Results::Bodies(
        related::present(req, resource, rendered).await?,
    ))
}

/// The rows the statement selects, before their related fields are presented; `keep_values`
/// keeps each field's own value beside the body (a cursor's position is read from the row, as
/// DRF reads it from the instance, whatever the serializer shows).
pub(super) async fn fetch_rows(
    req: &ApiRequest,
    resource: &Resource,
    select: &SelectStatement,
    keep_values: bool,
) -> Result<Vec<rows::Row>, ApiError> {
    let found = req
        .state
        .store()
        .resources()
        .select_rows(select, &query::read_columns(resource))
        .await?;
    let render = if keep_values {
        rows::render_row_with_values
    } else {
        rows::render_row
    };
    let mut rendered: Vec<rows::Row> = found
        .into_iter()
        .map(|cells| render(resource, cells))
        .collect();
    // The links of the whole page in one query per many-to-many field, not one per row.
    crate::resources::many_to_many::fill(&req.state, resource, &mut rendered).await?;
    Ok(rendered)
}

/// DRF's `PageNumberPagination`: count, then the page.
pub(super) async fn page_number<'r>(
    req: &ApiRequest,
    resource: &'r Resource,
    count: &SelectStatement,
    mut select: SelectStatement,
) -> Result<PageBody<Results<'r>>, ApiError> {
    let total = req.state.store().resources().count_rows(count).await?;
    let page = page_for(
        req.query("page").as_deref(),
        total,
        page_size(req, resource),
    )?;
    select.limit(page.size).offset(page.offset());
    let results = fetch(req, resource, &select).await?;
    Ok(page_body(req, page, total, results))
}

/// DRF's `LimitOffsetPagination`: `default_limit` is the page size; `page_size_query_param`
/// plays no part (DRF's class has no such attribute).
pub(super) async fn limit_offset<'r>(
    req: &ApiRequest,
    resource: &'r Resource,
    count: &SelectStatement,
    mut select: SelectStatement,
) -> Result<PageBody<Results<'r>>, ApiError> {
    let window = limit_offset::Window::from_request(req, default_page_size(req, resource));
    let total = req.state.store().resources().count_rows(count).await?;
    let results = if window.is_past_end(total) {
        Results::Bodies(Vec::new())
    } else {
        select.limit(window.limit).offset(window.offset);
        fetch(req, resource, &select).await?
    };
    Ok(limit_offset::page_body(req, window, total, results))
}
