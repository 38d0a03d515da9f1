//! DRF's `PageNumberPagination`: `?page=N` or `?page=last`, "Invalid page." for anything else out
//! of range, and a `{"count", "next", "previous", "results"}` body whose links are absolute and
//! keep the other query parameters (sorted, as DRF's `replace_query_param` re-encodes them).

use serde_json::{Value, json};

use serde::Serialize;

use super::{PageBody, python_int, replace_query_param};
use crate::http::{ApiError, ApiRequest};

/// The page a list request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) number: u64,
    pub(crate) size: u64,
}

impl Page {
    /// The rows before this page. `page_for` keeps it below the row count; saturating (and
    /// within what SQLite binds) for a `Page` made any other way.
    pub(crate) fn offset(&self) -> u64 {
        self.number
            .saturating_sub(1)
            .saturating_mul(self.size)
            .min(MAX_SIZE)
    }
}

/// Resolve `?page=` against the total `count` (Django's `Paginator.validate_number`).
pub(crate) fn page_for(raw: Option<&str>, count: u64, size: u64) -> Result<Page, ApiError> {
    let invalid = || ApiError::NotFound("Invalid page.".into());
    // SQLite binds LIMIT as an i64 (a larger bound value panics in sea-query-sqlx), and a size
    // of 0 would divide by zero. No table holds more than i64::MAX rows, so the clamp never
    // changes a page.
    let size = size.clamp(1, MAX_SIZE);
    let num_pages = count.div_ceil(size).max(1);
    let number = match raw {
        // DRF: `query_params.get("page") or 1`, so an empty value is the first page.
        None | Some("") => 1,
        Some("last") => num_pages,
        Some(raw) => u64::try_from(python_int(raw).ok_or_else(invalid)?).unwrap_or(0),
    };
    if number < 1 || number > num_pages {
        return Err(invalid());
    }
    Ok(Page { number, size })
}

/// The largest page size and offset: SQLite binds LIMIT and OFFSET as i64.
const MAX_SIZE: u64 = i64::MAX.unsigned_abs();

/// DRF's `_positive_int(value, strict=True, cutoff)` for `page_size_query_param`: a positive
/// integer, at most `cutoff`; `None` (the default size) for anything else.
pub(crate) fn page_size_param(raw: &str, cutoff: Option<u64>) -> Option<u64> {
    let n = u64::try_from(python_int(raw)?).ok().filter(|n| *n > 0)?;
    Some(cutoff.map_or(n, |max| n.min(max)))
}

/// The paginated response body.
pub(crate) fn paginated(req: &ApiRequest, page: Page, count: u64, results: Vec<Value>) -> Value {
    let PageBody { next, previous, .. } = page_body(req, page, count, ());
    json!({ "count": count, "next": next, "previous": previous, "results": results })
}

/// [`paginated`] for results of any kind (a page rendered straight from rows).
pub(crate) fn page_body<R: Serialize>(
    req: &ApiRequest,
    page: Page,
    count: u64,
    results: R,
) -> PageBody<R> {
    let num_pages = count.div_ceil(page.size).max(1);
    // Only a page with a neighbour has a link: the first page of a short list builds no URL.
    let url = if num_pages > 1 {
        req.absolute_self()
    } else {
        String::new()
    };
    let next = (page.number < num_pages)
        .then(|| replace_query_param(&url, "page", Some(&(page.number + 1).to_string())));
    let previous = (page.number > 1).then(|| {
        let target = (page.number > 2).then(|| (page.number - 1).to_string());
        replace_query_param(&url, "page", target.as_deref())
    });
    PageBody {
        count,
        next,
        previous,
        results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert_eq!(
            page_for(None, 0, 20).ok(),
            Some(Page {
                number: 1,
                size: 20
            })
        );
        assert_eq!(
            page_for(Some("last"), 41, 20).map(|p| p.number).ok(),
            Some(3)
        );
        assert_eq!(
            page_for(Some(" 2 "), 41, 20).map(|p| p.number).ok(),
            Some(2)
        );
        assert_eq!(page_for(Some(""), 41, 20).map(|p| p.number).ok(), Some(1));
        assert_eq!(
            page_for(Some("1_0"), 500, 20).map(|p| p.number).ok(),
            Some(10)
        );
        for bad in [
            "0",
            "4",
            "x",
            "1.5",
            "-1",
            " ",
            "_1",
            "1__0",
            "99999999999999999999",
            "-99999999999999999999",
        ] {
            assert!(page_for(Some(bad), 41, 20).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_stay_within_what_sqlite_binds() {
        let page = page_for(Some("1"), 5, u64::MAX).ok();
        assert_eq!(page.map(|p| p.size), Some(MAX_SIZE));
        assert_eq!(page_for(None, 5, 0).map(|p| p.size).ok(), Some(1));
        let made = Page {
            number: u64::MAX,
            size: u64::MAX,
        };
        assert_eq!(made.offset(), MAX_SIZE);
        assert_eq!(
            page_size_param("99999999999999999999", None),
            Some(MAX_SIZE)
        );
        assert_eq!(page_size_param(" +7 ", Some(3)), Some(3));
        assert_eq!(page_size_param("1_0", None), Some(10));
        for bad in ["0", "-5", "", "x", "1.0"] {
            assert_eq!(page_size_param(bad, None), None, "{bad}");
        }
    }
}
