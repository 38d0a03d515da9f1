//! DRF's pagination classes: which one a list uses ([`Style`], DRF's `DEFAULT_PAGINATION_CLASS`
//! or a view's `pagination_class`), each in its own module, and the helpers they share
//! (Python's `int()` on a query parameter, DRF's `replace_query_param`).

use serde::{Deserialize, Serialize};

pub(crate) mod cursor;
mod cursor_b64;
pub(crate) mod limit_offset;
pub(crate) mod page_number;

pub(crate) use page_number::{page_body, page_for, page_size_param, paginated};

/// A pagination class, named as DRF names it so that a Django user recognises the setting.
/// `None` is a project without `DEFAULT_PAGINATION_CLASS`: a list is a plain JSON array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum Style {
    #[serde(rename = "none")]
    None,
    #[default]
    PageNumberPagination,
    LimitOffsetPagination,
    CursorPagination,
}

impl Style {
    /// The names a configuration may use.
    pub(crate) const NAMES: &'static str =
        "none, PageNumberPagination, LimitOffsetPagination, CursorPagination";

    pub(crate) fn parse(name: &str) -> Option<Style> {
        Some(match name {
            "none" => Style::None,
            "PageNumberPagination" => Style::PageNumberPagination,
            "LimitOffsetPagination" => Style::LimitOffsetPagination,
            "CursorPagination" => Style::CursorPagination,
            _ => return None,
        })
    }
}

/// The `{"count", "next", "previous", "results"}` body of DRF's page-number and limit-offset
/// pagination, for results that are no `Value` (a page rendered straight from rows). Its
/// fields serialize in this order, as the `json!` object of `paginated` does.
#[derive(Serialize)]
pub(crate) struct PageBody<R> {
    pub(crate) count: u64,
    pub(crate) next: Option<String>,
    pub(crate) previous: Option<String>,
    pub(crate) results: R,
}

/// Python's `int(text)` on a query parameter: surrounding whitespace, a sign, and single
/// underscores between digits. Python's integers have no bound; a larger one saturates here,
/// which every caller only compares with a smaller bound. `None`: not an integer.
pub(crate) fn python_int(text: &str) -> Option<i64> {
    let exact = python_int_exact(text)?;
    Some(exact.unwrap_or(if text.trim().starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    }))
}

/// Python's `int(text)` (what Django also applies to the pk of a URL): `None` when the text is
/// no integer, `Some(None)` for an integer beyond 64 bits.
pub(crate) fn python_int_exact(text: &str) -> Option<Option<i64>> {
    let text = text.trim();
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let well_formed = !digits.is_empty()
        && digits
            .split('_')
            .all(|group| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return None;
    }
    Some(text.replace('_', "").parse::<i64>().ok())
}

/// DRF's `replace_query_param` / `remove_query_param` (when `value` is `None`).
pub(crate) fn replace_query_param(url: &str, key: &str, value: Option<&str>) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in form_urlencoded::parse(query.as_bytes()).into_owned() {
        match pairs.iter_mut().find(|(existing, _)| *existing == k) {
            Some((_, values)) => values.push(v),
            None => pairs.push((k, vec![v])),
        }
    }
    pairs.retain(|(k, _)| k != key);
    if let Some(value) = value {
        pairs.push((key.to_string(), vec![value.to_string()]));
    }
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, values) in &pairs {
        for v in values {
            out.append_pair(k, v);
        }
    }
    let query = out.finish();
    if query.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_other_params_sorted() {
        assert_eq!(
            replace_query_param("http://h/api/notes/?search=a+b&page=2", "page", Some("3")),
            "http://h/api/notes/?page=3&search=a+b"
        );
        assert_eq!(
            replace_query_param("http://h/api/notes/?page=2&z=1", "page", None),
            "http://h/api/notes/?z=1"
        );
    }

    #[test]
    fn style_names_round_trip() {
        for name in Style::NAMES.split(", ") {
            assert!(Style::parse(name).is_some(), "{name}");
        }
        assert_eq!(Style::parse("pagenumberpagination"), None);
    }
}
