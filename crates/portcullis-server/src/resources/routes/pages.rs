//! A resource list's rows under no pagination, `PageNumberPagination` and
//! `LimitOffsetPagination` (the cursor has `cursor_list.rs`).

use sea_query::SelectStatement;
use serde_json::Value;

use super::list::{default_page_size, page_size};
use crate::http::pagination::{limit_offset, page_for, paginated};
use crate::http::{ApiError, ApiRequest};
use crate::resources::schema::Resource;
use crate::resources::{query, related, rows};

/// The rows the statement selects, rendered.
pub(super) async fn fetch(
    req: &ApiRequest,
    resource: &Resource,
    select: &SelectStatement,
) -> Result<Vec<Value>, ApiError> {
    let rendered = fetch_rows(req, resource, select, false).await?;
    related::present(req, resource, rendered).await
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
    let mut rendered: Vec<rows::Row> = found.iter().map(|cells| render(resource, cells)).collect();
    // The links of the whole page in one query per many-to-many field, not one per row.
    crate::resources::many_to_many::fill(&req.state, resource, &mut rendered).await?;
    Ok(rendered)
}

/// DRF's `PageNumberPagination`: count, then the page.
pub(super) async fn page_number(
    req: &ApiRequest,
    resource: &Resource,
    count: &SelectStatement,
    mut select: SelectStatement,
) -> Result<Value, ApiError> {
    let total = req.state.store().resources().count_rows(count).await?;
    let page = page_for(
        req.query("page").as_deref(),
        total,
        page_size(req, resource),
    )?;
    select.limit(page.size).offset(page.offset());
    let results = fetch(req, resource, &select).await?;
    Ok(paginated(req, page, total, results))
}

/// DRF's `LimitOffsetPagination`: `default_limit` is the page size; `page_size_query_param`
/// plays no part (DRF's class has no such attribute).
pub(super) async fn limit_offset(
    req: &ApiRequest,
    resource: &Resource,
    count: &SelectStatement,
    mut select: SelectStatement,
) -> Result<Value, ApiError> {
    let window = limit_offset::Window::from_request(req, default_page_size(req, resource));
    let total = req.state.store().resources().count_rows(count).await?;
    let results = if window.is_past_end(total) {
        Vec::new()
    } else {
        select.limit(window.limit).offset(window.offset);
        fetch(req, resource, &select).await?
    };
    Ok(limit_offset::paginated(req, window, total, results))
}
