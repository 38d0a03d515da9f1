//! DRF's parsers: `request.data` from a JSON, form-urlencoded or multipart body. A media type no
//! parser accepts is a 415, a body that does not parse a 400 `ParseError`, an empty body an empty
//! dict, exactly as DRF's `Request._parse` decides.

use memchr::memmem;
use serde_json::{Map, Value};

use super::{ApiError, camel_case};
use crate::config::CamelCaseConfig;

/// `request.data`: the parsed value, and whether it came from a form (DRF treats form input
/// differently for a few fields, e.g. a missing boolean checkbox means `false`).
#[derive(Debug, Clone)]
pub(crate) struct RequestData {
    pub(crate) value: Value,
    pub(crate) is_form: bool,
    /// Form input's every (key, value) pair in order, for `QueryDict.getlist` (a many-to-many
    /// field's repeated key); empty for JSON.
    pub(crate) form_pairs: Vec<(String, String)>,
}

impl RequestData {
    /// `QueryDict.getlist(key)`: every value the form gave the key, in order.
    pub(crate) fn getlist(&self, key: &str) -> Vec<String> {
        self.form_pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Form input: the last value of each key wins in `value`, every pair is kept.
    /// Form input; the camel parsers underscoreize its names for `getlist` as for `get`.
    fn form(pairs: Vec<(String, String)>, camel: Option<&CamelCaseConfig>) -> RequestData {
        let form_pairs = match camel {
            Some(options) => camel_case::parse::query_pairs(pairs.clone(), options),
            None => pairs.clone(),
        };
        RequestData {
            value: form_fields(pairs, camel),
            is_form: true,
            form_pairs,
        }
    }
}

/// DRF's default parsers' media types (the tests' views).
#[cfg(test)]
pub(crate) const DEFAULT_PARSES: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
];

/// A parsed `Content-Type`: lowercase type/subtype and parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MediaType {
    pub(crate) main: String,
    pub(crate) sub: String,
    pub(crate) params: Vec<(String, String)>,
}

impl MediaType {
    pub(crate) fn parse(raw: &str) -> MediaType {
        let mut parts = raw.split(';');
        let full = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let (main, sub) = match full.split_once('/') {
            Some((m, s)) => (m.trim().to_string(), s.trim().to_string()),
            None => (full.clone(), String::new()),
        };
        let params = parts
            .filter_map(|p| {
                let (k, v) = p.split_once('=')?;
                Some((
                    k.trim().to_ascii_lowercase(),
                    v.trim().trim_matches('"').to_string(),
                ))
            })
            .collect();
        MediaType { main, sub, params }
    }

    pub(crate) fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// DRF's `_MediaType.match`: does `self` (a parser's or renderer's type) satisfy `other`?
    pub(crate) fn satisfies(&self, other: &MediaType) -> bool {
        for (key, value) in &self.params {
            if key != "q" && other.param(key) != Some(value.as_str()) {
                return false;
            }
        }
        let wild = |a: &str, b: &str| a == "*" || b == "*" || a == b;
        wild(&self.sub, &other.sub) && wild(&self.main, &other.main)
    }
}

/// Django's answer past `DATA_UPLOAD_MAX_NUMBER_FIELDS` (`TooManyFieldsSent`; Django renders
/// it as an HTML 400 page, Portcullis as DRF's JSON).
pub(crate) const TOO_MANY_FIELDS: &str =
    "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS.";

/// Django's `DATA_UPLOAD_MAX_NUMBER_FILES` and its answer past it (`TooManyFilesSent`).
const MAX_FILES: usize = 100;
const TOO_MANY_FILES: &str = "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES.";

/// Django's count of a query string's or form body's fields: one more than its `&`s (empty
/// pieces count too), so that refusing costs one scan and no allocation.
pub(crate) fn too_many_fields(encoded: &[u8], max_fields: usize) -> bool {
    encoded.iter().filter(|b| **b == b'&').count() >= max_fields
}

/// Parse `body` sent with `content_type` (the raw header, `""` when absent) for a view that
/// accepts `parses`; a form with more than `max_fields` fields is refused before it is decoded
/// (each field costs far more memory decoded than its bytes in the body). `camel` is set when
/// the parsers are djangorestframework-camel-case's: the keys are then underscoreized.
pub(crate) fn parse(
    content_type: &str,
    body: &[u8],
    parses: &[&str],
    max_fields: usize,
    camel: Option<&CamelCaseConfig>,
) -> Result<RequestData, ApiError> {
    let media = MediaType::parse(content_type);
    let is_form_type = |m: &MediaType| {
        m.main == "application" && m.sub == "x-www-form-urlencoded"
            || m.main == "multipart" && m.sub == "form-data"
    };
    if body.is_empty() {
        // DRF: no stream -> empty data, whatever the media type says.
        return Ok(RequestData {
            value: Value::Object(Map::new()),
            is_form: is_form_type(&media),
            form_pairs: Vec::new(),
        });
    }
    let parser = parses
        .iter()
        .map(|p| MediaType::parse(p))
        .find(|p| p.satisfies(&media));
    let Some(parser) = parser else {
        return Err(ApiError::UnsupportedMediaType(content_type.to_string()));
    };
    match (parser.main.as_str(), parser.sub.as_str()) {
        ("application", "json") => parse_json(body, camel),
        ("application", "x-www-form-urlencoded") if too_many_fields(body, max_fields) => {
            Err(ApiError::ParseError(TOO_MANY_FIELDS.into()))
        }
        ("application", "x-www-form-urlencoded") => Ok(RequestData::form(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            camel,
        )),
        _ => parse_multipart(&media, body, max_fields, camel),
    }
}

fn parse_json(body: &[u8], camel: Option<&CamelCaseConfig>) -> Result<RequestData, ApiError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::ParseError(format!(
            "JSON parse error - 'utf-8' codec can't decode byte at position {}",
            e.valid_up_to()
        ))
    })?;
    // serde_json refuses NaN/Infinity literals (DRF's strict JSONParser does too) and nesting
    // deeper than 128 levels (where Python would fail with a RecursionError and Django a 500).
    // The camel parser reads the same JSON and only renames keys; it stays strict about NaN
    // (the package's `json.loads` would take it) as DRF's own parser is.
    let value = match camel {
        None => serde_json::from_str(text),
        Some(options) => camel_case::parse::parse_json(text, options),
    }
    .map_err(|e| ApiError::ParseError(format!("JSON parse error - {e}")))?;
    Ok(RequestData {
        value,
        is_form: false,
        form_pairs: Vec::new(),
    })
}

/// A form's fields as a view reads them: underscoreized by the camel parsers, else as sent.
fn form_fields(pairs: Vec<(String, String)>, camel: Option<&CamelCaseConfig>) -> Value {
    match camel {
        Some(options) => camel_case::parse::form_fields(pairs, options),
        None => collect_last(pairs.into_iter()),
    }
}

/// A QueryDict read with `.get()`: the last value of each key wins.
fn collect_last(pairs: impl Iterator<Item = (String, String)>) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.insert(k, Value::String(v));
    }
    Value::Object(map)
}

/// RFC 2046's longest boundary. Django takes up to 201 characters; a longer boundary costs
/// nothing to refuse and no client sends one (browsers and curl use 30 to 60).
const MAX_BOUNDARY: usize = 70;

/// Django's `MultiPartParser.boundary_re` (`[ -~]{0,200}[!-~]`), within RFC 2046's length.
fn valid_boundary(boundary: &str) -> bool {
    boundary.len() <= MAX_BOUNDARY
        && boundary.bytes().all(|b| (b' '..=b'~').contains(&b))
        && !boundary.ends_with(' ')
}

fn parse_multipart(
    media: &MediaType,
    body: &[u8],
    max_fields: usize,
    camel: Option<&CamelCaseConfig>,
) -> Result<RequestData, ApiError> {
    let err = |why: &str| ApiError::ParseError(format!("Multipart form parse error - {why}"));
    let boundary = media
        .param("boundary")
        .filter(|b| !b.is_empty())
        .ok_or_else(|| err("Invalid boundary in multipart: None"))?;
    if !valid_boundary(boundary) {
        // Django names the refused boundary; one longer than a valid boundary can be is not
        // echoed back.
        let shown = if boundary.chars().count() <= MAX_BOUNDARY {
            boundary
        } else {
            "None"
        };
        return Err(err(&format!("Invalid boundary in multipart: {shown}")));
    }
    let delimiter = format!("--{boundary}");
    let end_marker = format!("\r\n{delimiter}");
    // Linear-time searches: a naive window search costs the boundary's length at every byte.
    let delimiter_finder = memmem::Finder::new(delimiter.as_bytes());
    let end_finder = memmem::Finder::new(end_marker.as_bytes());
    let headers_finder = memmem::Finder::new(b"\r\n\r\n");
    let mut pairs = Vec::new();
    let mut files = 0usize;
    let mut rest = body;
    // Find the first delimiter; everything before it is preamble.
    let Some(start) = delimiter_finder.find(rest) else {
        return Err(err("Expected boundary"));
    };
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or_else(|| err("Invalid part"))?;
        let headers_end = headers_finder
            .find(rest)
            .ok_or_else(|| err("Invalid part headers"))?;
        let headers = String::from_utf8_lossy(&rest[..headers_end]).into_owned();
        rest = &rest[headers_end + 4..];
        let end = end_finder
            .find(rest)
            .ok_or_else(|| err("Unexpected end of part"))?;
        let content = &rest[..end];
        rest = &rest[end + end_marker.len()..];
        if let Some(name) = part_name(&headers) {
            // File parts become request.FILES in Django; no Portcullis field takes a file, so
            // they are dropped like any unknown field.
            if headers.to_ascii_lowercase().contains("filename=") {
                files += 1;
                if files > MAX_FILES {
                    return Err(ApiError::ParseError(TOO_MANY_FILES.into()));
                }
            } else {
                if pairs.len() >= max_fields {
                    return Err(ApiError::ParseError(TOO_MANY_FIELDS.into()));
                }
                pairs.push((name, String::from_utf8_lossy(content).into_owned()));
            }
        }
    }
    Ok(RequestData::form(pairs, camel))
}

fn part_name(headers: &str) -> Option<String> {
    headers.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        if !key.trim().eq_ignore_ascii_case("content-disposition") {
            return None;
        }
        value.split(';').find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            (k.trim().eq_ignore_ascii_case("name")).then(|| v.trim().trim_matches('"').to_string())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_with_charset_parses() {
        let data = parse(
            "application/json; charset=utf-8",
            br#"{"a":1}"#,
            DEFAULT_PARSES,
            1000,
            None,
        );
        assert_eq!(
            data.map(|d| d.value).ok(),
            Some(serde_json::json!({"a": 1}))
        );
    }

    #[test]
    fn vendor_json_and_missing_type_are_unsupported() {
        for ct in ["application/vnd.api+json", "", "text/plain"] {
            match parse(ct, b"{}", DEFAULT_PARSES, 1000, None) {
                Err(ApiError::UnsupportedMediaType(t)) => assert_eq!(t, ct),
                other => panic!("{ct}: {other:?}"),
            }
        }
    }

    #[test]
    fn empty_body_is_empty_dict_whatever_the_type() {
        let data = parse("text/plain", b"", DEFAULT_PARSES, 1000, None)
            .map(|d| d.value)
            .ok();
        assert_eq!(data, Some(serde_json::json!({})));
    }

    #[test]
    fn nan_and_garbage_are_parse_errors() {
        for body in [&b"{\"t\": NaN}"[..], b"{not json", b"\xff\xfe"] {
            assert!(matches!(
                parse("application/json", body, DEFAULT_PARSES, 1000, None),
                Err(ApiError::ParseError(d)) if d.starts_with("JSON parse error - ")
            ));
        }
    }

    #[test]
    fn multipart_fields_are_read_and_files_dropped() {
        let body = b"--XB\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nann\r\n--XB\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nfile\r\n--XB--\r\n";
        let data = parse(
            "multipart/form-data; boundary=XB",
            body,
            DEFAULT_PARSES,
            1000,
            None,
        );
        assert_eq!(
            data.map(|d| d.value).ok(),
            Some(serde_json::json!({"username": "ann"}))
        );
    }

    #[test]
    fn form_last_value_wins() {
        let data = parse(
            "application/x-www-form-urlencoded",
            b"a=1&a=2&b=%C3%A9",
            DEFAULT_PARSES,
            1000,
            None,
        );
        assert_eq!(
            data.map(|d| d.value).ok(),
            Some(serde_json::json!({"a": "2", "b": "é"}))
        );
    }
}
