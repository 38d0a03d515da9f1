//! DRF's `CursorPagination`: an opaque `?cursor=` (base64 of a query string `o=OFFSET&r=1&p=
//! POSITION`), a `{"next", "previous", "results"}` body, and the position/offset bookkeeping of
//! `paginate_queryset`, `get_next_link` and `get_previous_link`, reproduced step by step so
//! that a cursor a client holds means the same rows on either server.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde_json::{Value, json};

use super::cursor_b64::python_b64decode;
use super::{python_int, replace_query_param};
use crate::http::ApiError;

/// DRF's `offset_cutoff`: a cursor never skips more rows than this, so that a forged cursor
/// cannot make the database step over millions of rows.
const OFFSET_CUTOFF: u64 = 1000;

/// A decoded `?cursor=` (DRF's `Cursor` namedtuple).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Cursor {
    pub(crate) offset: u64,
    pub(crate) reverse: bool,
    pub(crate) position: Option<String>,
}

fn invalid() -> ApiError {
    ApiError::NotFound("Invalid cursor".into())
}

/// DRF's `decode_cursor`: `None` without the parameter (an empty `?cursor=` is a cursor, the
/// first page); "Invalid cursor" (404) for what base64, ASCII or `int()` refuse.
pub(crate) fn decode(raw: Option<&str>) -> Result<Option<Cursor>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    if !raw.is_ascii() {
        return Err(invalid());
    }
    let bytes = python_b64decode(raw).ok_or_else(invalid)?;
    let text = String::from_utf8(bytes)
        .ok()
        .filter(|t| t.is_ascii())
        .ok_or_else(invalid)?;
    let tokens = parse_qs(&text);
    let first = |key: &str| {
        tokens
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    // `_positive_int(offset, cutoff=offset_cutoff)`: negative is invalid, 0 allowed.
    let offset = first("o").unwrap_or_else(|| "0".into());
    let offset = python_int(&offset)
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(invalid)?
        .min(OFFSET_CUTOFF);
    // `bool(int(reverse))`: any non-zero integer reverses.
    let reverse = first("r").unwrap_or_else(|| "0".into());
    let reverse = python_int(&reverse).ok_or_else(invalid)? != 0;
    Ok(Some(Cursor {
        offset,
        reverse,
        position: first("p"),
    }))
}

/// `urllib.parse.parse_qs(text, keep_blank_values=True)`, as ordered pairs: `&` separates, a
/// field without `=` is a blank value, `+` is a space, escapes decode as UTF-8 (invalid bytes
/// replaced).
fn parse_qs(text: &str) -> Vec<(String, String)> {
    let unquote = |s: &str| {
        let s = s.replace('+', " ");
        percent_decode_str(&s).decode_utf8_lossy().into_owned()
    };
    text.split('&')
        .filter(|field| !field.is_empty())
        .map(|field| {
            let (name, value) = field.split_once('=').unwrap_or((field, ""));
            (unquote(name), unquote(value))
        })
        .collect()
}

/// What `quote_plus` leaves alone: letters, digits and `_.-~`.
const QUOTE_PLUS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~');

/// DRF's `encode_cursor`: only the tokens that differ from the defaults, in the order o, r, p,
/// `urlencode`d, base64'd, and set as `cursor` on the request's own URL.
pub(crate) fn encode(base_url: &str, cursor: &Cursor) -> String {
    let mut tokens = Vec::new();
    if cursor.offset != 0 {
        tokens.push(format!("o={}", cursor.offset));
    }
    if cursor.reverse {
        tokens.push("r=1".to_string());
    }
    if let Some(position) = &cursor.position {
        // `quote_plus`: a space becomes `+` (and a literal `%20` was already `%2520`).
        let quoted = utf8_percent_encode(position, QUOTE_PLUS)
            .to_string()
            .replace("%20", "+");
        tokens.push(format!("p={quoted}"));
    }
    let encoded = STANDARD.encode(tokens.join("&"));
    replace_query_param(base_url, "cursor", Some(&encoded))
}

/// One page as fetched: up to `page_size + 1` rows in query order (reversed for a reverse
/// cursor), each with its position (`str()` of its first ordering field's value).
pub(crate) struct Fetched {
    pub(crate) rows: Vec<Value>,
    pub(crate) positions: Vec<String>,
}

/// The page and the state `get_next_link` and `get_previous_link` read.
struct State<'a> {
    cursor: Option<&'a Cursor>,
    page_size: u64,
    positions: Vec<String>,
    has_next: bool,
    has_previous: bool,
    next_position: Option<String>,
    previous_position: Option<String>,
}

/// The response body: DRF's `paginate_queryset` from the fetch on, then its links.
pub(crate) fn paginated(
    base_url: &str,
    cursor: Option<&Cursor>,
    page_size: u64,
    fetched: Fetched,
) -> Value {
    let Fetched {
        mut rows,
        mut positions,
    } = fetched;
    let size = usize::try_from(page_size).unwrap_or(usize::MAX);
    // The extra row only tells whether a page follows, and where.
    let following = (rows.len() > size)
        .then(|| positions.get(size).cloned())
        .flatten();
    rows.truncate(size);
    positions.truncate(size);
    let current = cursor.and_then(|c| c.position.clone());
    let moved = current.is_some() || cursor.is_some_and(|c| c.offset > 0);
    let reverse = cursor.is_some_and(|c| c.reverse);
    let state = if reverse {
        // A reverse query read the rows backwards: show them in order again.
        rows.reverse();
        positions.reverse();
        State {
            cursor,
            page_size,
            positions,
            has_next: moved,
            has_previous: following.is_some(),
            next_position: current,
            previous_position: following,
        }
    } else {
        State {
            cursor,
            page_size,
            positions,
            has_next: following.is_some(),
            has_previous: moved,
            next_position: following,
            previous_position: current,
        }
    };
    json!({
        "next": state.next(base_url),
        "previous": state.previous(base_url),
        "results": rows,
    })
}

impl State<'_> {
    /// DRF's `get_next_link`: the last position on the page that differs from the one after
    /// it, with an offset over the rows that share it.
    fn next(&self, base_url: &str) -> Option<String> {
        if !self.has_next {
            return None;
        }
        let turning = self.cursor.is_some_and(|c| c.reverse && c.offset != 0);
        let mut compare = match self.positions.last() {
            Some(last) if turning => Some(last.clone()),
            _ => self.next_position.clone(),
        };
        let (mut offset, mut position, found) = seek(self.positions.iter().rev(), &mut compare);
        if !self.positions.is_empty() && !found {
            // Every row on the page shares one position.
            if !self.has_previous {
                (offset, position) = (self.page_size, None);
            } else if self.cursor.is_some_and(|c| c.reverse) {
                // Turning around here skips a few rows forward: DRF's paging artifact.
                (offset, position) = (0, self.previous_position.clone());
            } else {
                let before = self.cursor.map_or(0, |c| c.offset);
                (offset, position) = (before + self.page_size, self.previous_position.clone());
            }
        }
        if self.positions.is_empty() {
            position = self.next_position.clone();
        }
        let cursor = Cursor {
            offset,
            reverse: false,
            position,
        };
        Some(encode(base_url, &cursor))
    }

    /// DRF's `get_previous_link`, the mirror of [`State::next`].
    fn previous(&self, base_url: &str) -> Option<String> {
        if !self.has_previous {
            return None;
        }
        let turning = self.cursor.is_some_and(|c| !c.reverse && c.offset != 0);
        let mut compare = match self.positions.first() {
            Some(first) if turning => Some(first.clone()),
            _ => self.previous_position.clone(),
        };
        let (mut offset, mut position, found) = seek(self.positions.iter(), &mut compare);
        if !self.positions.is_empty() && !found {
            if !self.has_next {
                (offset, position) = (self.page_size, None);
            } else if self.cursor.is_some_and(|c| c.reverse) {
                let before = self.cursor.map_or(0, |c| c.offset);
                (offset, position) = (before + self.page_size, self.next_position.clone());
            } else {
                (offset, position) = (0, self.next_position.clone());
            }
        }
        if self.positions.is_empty() {
            position = self.previous_position.clone();
        }
        let cursor = Cursor {
            offset,
            reverse: true,
            position,
        };
        Some(encode(base_url, &cursor))
    }
}

/// The loop both links share: walk the positions until one differs from the one before it
/// (`compare`), counting the rows passed. Returns (offset, the last position looked at,
/// whether a differing one was found).
fn seek<'a>(
    positions: impl Iterator<Item = &'a String>,
    compare: &mut Option<String>,
) -> (u64, Option<String>, bool) {
    let mut offset = 0;
    let mut position = None;
    for item in positions {
        position = Some(item.clone());
        if position != *compare {
            return (offset, position, true);
        }
        compare.clone_from(&position);
        offset += 1;
    }
    (offset, position, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(o: u64, r: bool, p: Option<&str>) -> Cursor {
        Cursor {
            offset: o,
            reverse: r,
            position: p.map(str::to_string),
        }
    }

    /// Values checked against DRF 3.18's `encode_cursor`.
    #[test]
    fn encodes_as_drf_does() {
        let url = "http://h/api/events/";
        assert_eq!(
            encode(url, &cursor(0, false, Some("3"))),
            "http://h/api/events/?cursor=cD0z"
        );
        assert_eq!(
            encode(url, &cursor(2, true, Some("2026-01-02 10:00:00+00:00"))),
            "http://h/api/events/?cursor=bz0yJnI9MSZwPTIwMjYtMDEtMDIrMTAlM0EwMCUzQTAwJTJCMDAlM0EwMA%3D%3D"
        );
    }

    #[test]
    fn decodes_and_refuses_as_drf_does() {
        let round = cursor(2, true, Some("2026-01-02 10:00:00+00:00"));
        let url = encode("http://h/", &round);
        let raw = url
            .split_once("cursor=")
            .map(|(_, c)| c.replace("%3D", "="));
        assert_eq!(decode(raw.as_deref()).ok().flatten(), Some(round));
        assert_eq!(decode(None).ok(), Some(None));
        assert_eq!(decode(Some("")).ok().flatten(), Some(Cursor::default()));
        // "abc": no o, r or p at all, so the first page.
        assert_eq!(decode(Some("YWJj")).ok().flatten(), Some(Cursor::default()));
        // o=5000 is cut off at 1000.
        assert_eq!(
            decode(Some("bz01MDAw")).ok().flatten().map(|c| c.offset),
            Some(1000)
        );
        // "Y" is not base64, "o=-1" is negative, "r=x" is no integer, "é" is not ASCII.
        for bad in ["Y", "bz0tMQ==", "cj14", "é"] {
            assert!(decode(Some(bad)).is_err(), "{bad}");
        }
    }

    fn page(positions: &[&str]) -> Fetched {
        Fetched {
            rows: positions.iter().map(|p| json!(p)).collect(),
            positions: positions.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn first_page_links_forward_only() {
        let body = paginated("http://h/", None, 2, page(&["5", "4", "3"]));
        assert_eq!(body["results"], json!(["5", "4"]));
        assert_eq!(body["previous"], Value::Null);
        assert_eq!(
            body["next"],
            json!(encode("http://h/", &cursor(0, false, Some("4"))))
        );
    }

    #[test]
    fn reverse_page_is_shown_in_order() {
        let back = cursor(0, true, Some("3"));
        let body = paginated("http://h/", Some(&back), 2, page(&["4", "5"]));
        assert_eq!(body["results"], json!(["5", "4"]));
        assert_eq!(body["previous"], Value::Null);
        assert_eq!(
            body["next"],
            json!(encode("http://h/", &cursor(0, false, Some("4"))))
        );
    }
}
