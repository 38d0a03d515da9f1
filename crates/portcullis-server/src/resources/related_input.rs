//! A foreign key written as its serializer reads it: DRF's `SlugRelatedField` (the target's
//! slug) and `HyperlinkedRelatedField` (the target's detail URL), each resolved to the id of a
//! target row the caller may see, with DRF's messages.

use percent_encoding::percent_decode_str;
use sea_query::{Expr, Query};
use serde_json::Value;

use super::rows;
use super::schema::{Field, Related, Resource, Storage};
use crate::http::layout::{project_routes, routers};
use crate::http::pagination::python_int_exact;
use crate::http::{ApiError, ApiRequest};
use crate::serializer::python_type;
use crate::store::Cell;

/// The id the input names, or the field's messages.
pub(crate) async fn resolve(
    req: &ApiRequest,
    field: &Field,
    target: &Resource,
    value: &Value,
) -> Result<Result<i64, Vec<String>>, ApiError> {
    match &field.related {
        Related::Slug(attr) => by_slug(req, target, attr, value).await,
        _ => by_hyperlink(req, target, value).await,
    }
}

/// `SlugRelatedField.to_internal_value`: `queryset.get(<slug_field>=data)`. Django compares the
/// text of whatever was sent (`12`, `True`, `['a']`), and the message shows that text.
async fn by_slug(
    req: &ApiRequest,
    target: &Resource,
    attr: &str,
    value: &Value,
) -> Result<Result<i64, Vec<String>>, ApiError> {
    let text = python_str(value);
    let column = target.column_of(attr).unwrap_or_else(|| attr.to_string());
    let storage = target
        .model_field(attr)
        .map_or(Storage::Integer, |f| f.kind.storage());
    let table = target.table().to_string();
    let mut q = Query::select();
    q.from(table.clone())
        .column((table.clone(), "id"))
        .and_where(super::bind::eq(
            Expr::col((table, column)),
            storage,
            text.clone(),
        ))
        .limit(1);
    if let Some(cond) = super::query::visibility(target, req.user()) {
        q.cond_where(cond);
    }
    let found = req
        .state
        .store()
        .resources()
        .select_rows(&q, &[Storage::Integer])
        .await?;
    Ok(match found.first().and_then(|cells| cells.first()) {
        Some(Cell::Int(id)) => Ok(*id),
        // A row the caller may not see is answered exactly like a missing one.
        _ => Err(vec![format!("Object with {attr}={text} does not exist.")]),
    })
}

/// `HyperlinkedRelatedField.to_internal_value`: the URL's path (any host: DRF only reads the
/// path), percent-decoded, resolved against the routers; the target's detail route names the
/// row.
async fn by_hyperlink(
    req: &ApiRequest,
    target: &Resource,
    value: &Value,
) -> Result<Result<i64, Vec<String>>, ApiError> {
    let fail = |m: &str| Ok(Err(vec![m.to_string()]));
    let Some(text) = value.as_str() else {
        return Ok(Err(vec![format!(
            "Incorrect type. Expected URL string, received {}.",
            python_type(value)
        )]));
    };
    let path = if text.starts_with("http:") || text.starts_with("https:") {
        url_path(text)
    } else {
        text
    };
    // `uri_to_iri(parse.unquote(data))`: percent-escapes decoded, bad UTF-8 replaced.
    let path = percent_decode_str(path).decode_utf8_lossy();
    let path: &str = &path;
    let config = req.state.config();
    for router in routers(config) {
        let Some(rest) = path.strip_prefix(&format!("/{}", router.prefix)) else {
            continue;
        };
        if router.registers(&target.name)
            && let Some(raw) = detail_id(rest, &target.name, router.trailing_slash, router.root)
        {
            let id = match python_int_exact(raw) {
                Some(Some(id)) => id,
                // Django's `pk=` lookup of text that is no integer: ObjectValueError.
                _ => return fail("Invalid hyperlink - Object does not exist."),
            };
            if rows::visible(&req.state, target, id, req.user()).await? {
                return Ok(Ok(id));
            }
            return fail("Invalid hyperlink - Object does not exist.");
        }
    }
    // Any other URL of the project resolves to another view.
    if project_routes(config, req.state.schema()).matches(path) {
        fail("Invalid hyperlink - Incorrect URL match.")
    } else {
        fail("Invalid hyperlink - No URL match.")
    }
}

/// `urlparse(url).path`: what follows the scheme and the `//host`, up to a query or fragment.
fn url_path(url: &str) -> &str {
    let after_scheme = url.split_once(':').map_or(url, |(_, rest)| rest);
    let after_host = match after_scheme.strip_prefix("//") {
        Some(rest) => rest.find(['/', '?', '#']).map_or("", |i| &rest[i..]),
        None => after_scheme,
    };
    let end = after_host.find(['?', '#']).unwrap_or(after_host.len());
    &after_host[..end]
}

/// The lookup of a router's detail route `<name>/<pk>/` (DRF's `[^/.]+`), with a
/// `DefaultRouter`'s format suffix (`<pk>.json`), `None` when `rest` is not that route.
fn detail_id<'a>(rest: &'a str, name: &str, slash: bool, suffixes: bool) -> Option<&'a str> {
    let rest = rest.strip_prefix(name)?.strip_prefix('/')?;
    let (lookup, suffixed) = match rest.split_once('.') {
        Some((lookup, format)) if suffixes => {
            let format = format.strip_suffix('/').unwrap_or(format);
            let ok = !format.is_empty()
                && format
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            (ok.then_some(lookup)?, true)
        }
        _ => (rest, false),
    };
    let lookup = if suffixed || !slash {
        lookup
    } else {
        lookup.strip_suffix('/')?
    };
    (!lookup.is_empty() && !lookup.contains('/')).then_some(lookup)
}

/// Python's `str()` of a JSON value as Django turns it into text for a lookup.
fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => python_repr(other),
    }
}

/// Python's `repr()` of the value `json.loads` makes.
fn python_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => {
            crate::serializer::char_field::python_str(value).unwrap_or_else(|| n.to_string())
        }
        Value::String(s) => {
            if s.contains('\'') && !s.contains('"') {
                format!("\"{s}\"")
            } else {
                format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
            }
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(python_repr).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("'{k}': {}", python_repr(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_text_of_json_values() {
        assert_eq!(python_str(&json!(12)), "12");
        assert_eq!(python_str(&json!(true)), "True");
        assert_eq!(python_str(&json!(["a"])), "['a']");
        assert_eq!(python_str(&json!({"a": 1})), "{'a': 1}");
        assert_eq!(python_str(&json!("x y")), "x y");
    }

    #[test]
    fn paths_of_urls_and_detail_routes() {
        assert_eq!(url_path("http://h:1/api/p/1/?x=1"), "/api/p/1/");
        assert_eq!(url_path("https://h"), "");
        assert_eq!(detail_id("projects/7/", "projects", true, true), Some("7"));
        assert_eq!(detail_id("projects/7", "projects", true, true), None);
        assert_eq!(
            detail_id("projects/7.json", "projects", true, true),
            Some("7")
        );
        assert_eq!(detail_id("projects/", "projects", true, true), None);
        assert_eq!(detail_id("projects/7", "projects", false, false), Some("7"));
    }
}
