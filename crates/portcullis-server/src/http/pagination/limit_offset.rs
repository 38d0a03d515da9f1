//! DRF's `LimitOffsetPagination`: `?limit=&offset=`, and a `{"count", "next", "previous",
//! "results"}` body whose links carry both parameters.

use serde_json::{Value, json};

use serde::Serialize;

use super::{PageBody, python_int, replace_query_param};
use crate::http::ApiRequest;

/// The slice a list request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) limit: u64,
    pub(crate) offset: u64,
}

/// The largest limit and offset SQLite binds (as i64).
const MAX: u64 = i64::MAX.unsigned_abs();

impl Window {
    /// DRF's `get_limit` and `get_offset`. `default_limit` is DRF's `PAGE_SIZE` (or the view's
    /// class attribute); `max_limit` is None, as in DRF.
    pub(crate) fn from_request(req: &ApiRequest, default_limit: u64) -> Window {
        Window::parse(
            req.query("limit").as_deref(),
            req.query("offset").as_deref(),
            default_limit,
        )
    }

    fn parse(limit: Option<&str>, offset: Option<&str>, default_limit: u64) -> Window {
        // `_positive_int(strict=True)`: 0, a negative number or anything `int()` refuses is
        // the default limit, not an error.
        let limit = limit
            .and_then(python_int)
            .and_then(|n| u64::try_from(n).ok())
            .filter(|n| *n > 0)
            .unwrap_or(default_limit);
        // `_positive_int(strict=False)`: 0 is allowed, anything else invalid is 0.
        let offset = offset
            .and_then(python_int)
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0);
        Window {
            limit: limit.clamp(1, MAX),
            offset: offset.min(MAX),
        }
    }

    /// DRF returns `[]` without a query when the offset is past the end (`offset > count`),
    /// and slices otherwise.
    pub(crate) fn is_past_end(&self, count: u64) -> bool {
        count == 0 || self.offset > count
    }
}

/// The paginated response body (DRF's `get_paginated_response`).
pub(crate) fn paginated(
    req: &ApiRequest,
    window: Window,
    count: u64,
    results: Vec<Value>,
) -> Value {
    let PageBody { next, previous, .. } = page_body(req, window, count, ());
    json!({
        "count": count,
        "next": next,
        "previous": previous,
        "results": results,
    })
}

/// [`paginated`] for results of any kind (a page rendered straight from rows).
pub(crate) fn page_body<R: Serialize>(
    req: &ApiRequest,
    window: Window,
    count: u64,
    results: R,
) -> PageBody<R> {
    let url = req.absolute_self();
    PageBody {
        count,
        next: next_link(&url, window, count),
        previous: previous_link(&url, window),
        results,
    }
}

/// DRF's `get_next_link`: none once `offset + limit` reaches the count; the link always names
/// the limit, even when the request did not.
fn next_link(url: &str, w: Window, count: u64) -> Option<String> {
    let next = w.offset.saturating_add(w.limit);
    if next >= count {
        return None;
    }
    let url = replace_query_param(url, "limit", Some(&w.limit.to_string()));
    Some(replace_query_param(&url, "offset", Some(&next.to_string())))
}

/// DRF's `get_previous_link`: for an offset within one limit of the start the link drops
/// `offset` instead of naming 0; an offset past the end still steps back by one limit only.
fn previous_link(url: &str, w: Window) -> Option<String> {
    if w.offset == 0 {
        return None;
    }
    let url = replace_query_param(url, "limit", Some(&w.limit.to_string()));
    if w.offset <= w.limit {
        return Some(replace_query_param(&url, "offset", None));
    }
    let previous = (w.offset - w.limit).to_string();
    Some(replace_query_param(&url, "offset", Some(&previous)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(limit: Option<&str>, offset: Option<&str>) -> (u64, u64) {
        let w = Window::parse(limit, offset, 5);
        (w.limit, w.offset)
    }

    #[test]
    fn invalid_values_fall_back_as_positive_int_does() {
        assert_eq!(w(None, None), (5, 0));
        assert_eq!(w(Some("0"), Some("0")), (5, 0));
        assert_eq!(w(Some("-3"), Some("-3")), (5, 0));
        assert_eq!(w(Some("x"), Some("1.5")), (5, 0));
        assert_eq!(w(Some(" 2 "), Some("+4")), (2, 4));
        assert_eq!(w(Some("1_0"), Some("")), (10, 0));
    }

    #[test]
    fn links() {
        let url = "http://h/api/posts/?offset=4&search=a";
        let win = Window {
            limit: 2,
            offset: 4,
        };
        assert_eq!(
            next_link(url, win, 7).as_deref(),
            Some("http://h/api/posts/?limit=2&offset=6&search=a")
        );
        assert_eq!(next_link(url, win, 6), None);
        assert_eq!(
            previous_link(url, win).as_deref(),
            Some("http://h/api/posts/?limit=2&offset=2&search=a")
        );
        let near = Window {
            limit: 5,
            offset: 4,
        };
        assert_eq!(
            previous_link(url, near).as_deref(),
            Some("http://h/api/posts/?limit=5&search=a")
        );
    }
}
