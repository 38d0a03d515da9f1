//! SQL for resources, built with sea-query from the validated schema: identifiers come only from
//! the schema, every value is a bound parameter.

use std::num::IntErrorKind::{NegOverflow, PosOverflow};

use sea_query::{
    Cond, Expr, ExprTrait, Func, LikeExpr, NullOrdering, Order, Query, SelectStatement,
};

pub use super::list_query::list_statements;
use super::schema::{Field, FieldKind, Resource, Storage, Visibility};
use crate::http::ApiError;
use crate::store::User;

/// The columns a row is read with, in order: `id`, then each field's column (an owner's with
/// its user's username or email; two fields over one column read it twice; a many-to-many field
/// has none).
pub(crate) fn read_columns(resource: &Resource) -> Vec<Storage> {
    let mut kinds = vec![Storage::Integer];
    for field in resource.column_fields() {
        kinds.push(match field.kind {
            FieldKind::Owner => Storage::Integer,
            kind => kind.storage(),
        });
        if field.kind == FieldKind::Owner {
            kinds.push(Storage::Text);
        }
    }
    kinds
}

/// `SELECT <columns> FROM <table> [LEFT JOIN auth_user ...]`.
pub(crate) fn select(resource: &Resource) -> SelectStatement {
    let mut q = Query::select();
    q.from(resource.table().to_string());
    add_columns(resource, &mut q);
    q
}

/// The columns of a row (see [`read_columns`]) and the joins they need, read from whatever
/// the statement names as the resource's table.
pub(crate) fn add_columns(resource: &Resource, q: &mut SelectStatement) {
    let table = resource.table().to_string();
    q.column((table.clone(), "id"));
    for field in resource.column_fields() {
        q.column((table.clone(), field.column()));
        if field.kind == FieldKind::Owner {
            q.column(("auth_user", field.owner_source.column()));
            q.left_join(
                "auth_user",
                Expr::col(("auth_user", "id")).equals((table.clone(), field.column())),
            );
        }
    }
}

/// `SELECT COUNT(*) FROM <table>`, for the same conditions as a list.
pub(crate) fn count(resource: &Resource) -> SelectStatement {
    let mut q = Query::select();
    q.from(resource.table().to_string())
        .expr(Expr::cust("COUNT(*)"));
    q
}

/// The rows `user` may read (staff: all).
pub(crate) fn visibility(resource: &Resource, user: Option<&User>) -> Option<Cond> {
    let table = resource.table().to_string();
    if user.is_some_and(|u| u.is_staff) {
        return None;
    }
    let owner = resource.owner_field().map(Field::column);
    let own = |owner: &str| match user {
        Some(u) => Expr::col((table.clone(), owner.to_string())).eq(u.id),
        None => Expr::cust("0 = 1"),
    };
    match (&resource.visibility, owner) {
        (Visibility::Everyone, _) | (_, None) => None,
        (Visibility::Owner, Some(owner)) => Some(Cond::all().add(own(&owner))),
        (Visibility::OwnerOrPublic { flag }, Some(owner)) => Some(
            Cond::any()
                .add(own(&owner))
                .add(Expr::col((table.clone(), flag.clone())).eq(1i64)),
        ),
    }
}

/// DRF's `SearchFilter`: every term must match some search field, case-insensitively
/// (`LIKE` with `%`, `_` and `\` escaped, as Django's `icontains` on SQLite). Case is folded
/// for ASCII letters only, as SQLite's `LIKE` folds it: `UPPER(column) LIKE <upper-cased
/// term>`, the term upper-cased here so that no database's locale takes part (PostgreSQL's
/// `UPPER` of a `COLLATE "C"` column folds ASCII only too).
pub(crate) fn search(resource: &Resource, terms: &[String]) -> Option<Cond> {
    if terms.is_empty() || resource.search_fields.is_empty() {
        return None;
    }
    let table = resource.table().to_string();
    let mut all = Cond::all();
    for term in terms {
        let escaped: String = term
            .to_ascii_uppercase()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let mut any = Cond::any();
        for name in &resource.search_fields {
            let column = resource.column_of(name).unwrap_or_else(|| name.clone());
            any = any.add(
                Expr::from(Func::upper(Expr::col((table.clone(), column))))
                    .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
            );
        }
        all = all.add(any);
    }
    Some(all)
}

/// Add `ORDER BY` terms: (column, descending). Nulls come first ascending and last descending,
/// as SQLite (and Django on it) orders them; PostgreSQL's default is the reverse, so it is said
/// (SQLite takes the explicit default as the default: its indexes still serve the order).
pub(crate) fn order(q: &mut SelectStatement, resource: &Resource, terms: &[(String, bool)]) {
    let table = resource.table().to_string();
    for (column, desc) in terms {
        let (order, nulls) = match desc {
            true => (Order::Desc, NullOrdering::Last),
            false => (Order::Asc, NullOrdering::First),
        };
        q.order_by_with_nulls((table.clone(), column.clone()), order, nulls);
    }
}

/// A column as a value no index can serve: `COALESCE(c, c)`, the same value, null included.
/// Under a visibility rule the part's own index must read the rows (the caller's, in order);
/// SQLite plans without statistics, and given `owner = ? AND flag = ?` it took the flag's
/// index as often as the owner's, reading every row of that flag, the caller's or not.
pub(crate) fn row_test(column: Expr) -> Expr {
    Expr::from(Func::coalesce([column.clone(), column]))
}

/// `WHERE id = ?`.
pub(crate) fn by_id(resource: &Resource, id: i64) -> Cond {
    Cond::all().add(Expr::col((resource.table().to_string(), "id")).eq(id))
}

/// The terms of `?ordering=` that name one of the resource's `ordering_fields`, each with `true`
/// for descending (`-title`); the others are dropped, as DRF's `remove_invalid_fields` does.
pub(crate) fn ordering_terms<'a>(
    resource: &'a Resource,
    requested: Option<&'a str>,
) -> impl Iterator<Item = (&'a str, bool)> + 'a {
    requested
        .into_iter()
        .flat_map(|raw| raw.split(','))
        .map(str::trim)
        .map(|term| term.strip_prefix('-').map_or((term, false), |n| (n, true)))
        .filter(|(name, _)| resource.ordering_fields.iter().any(|f| f == name))
}

/// DRF's `OrderingFilter`: the valid terms of `?ordering=`, else the default ordering. The id
/// breaks ties so that pages never overlap, in the direction of the last term: an index on a
/// column holds its rows in (column, id) order, so `-title` read backwards from the title
/// index is `title DESC, id DESC` — with `id ASC` every descending order needed a sort.
pub(crate) fn list_ordering(resource: &Resource, requested: Option<&str>) -> Vec<(String, bool)> {
    let mut requested: Vec<(String, bool)> = ordering_terms(resource, requested)
        .filter_map(|(name, desc)| resource.column_of(name).map(|c| (c, desc)))
        .collect();
    // A column ordered twice orders nothing more the second time; without this,
    // `?ordering=title,title,...` made statements as long as the URL, each kept in the
    // connection's statement cache.
    let mut seen = std::collections::HashSet::new();
    requested.retain(|(column, _)| seen.insert(column.clone()));
    let mut terms = if requested.is_empty() {
        resource.ordering.clone()
    } else {
        requested
    };
    if !terms.iter().any(|(c, _)| c == "id") {
        let desc = terms.last().is_some_and(|(_, desc)| *desc);
        terms.push(("id".into(), desc));
    }
    terms
}

/// Exact filters on the declared `filter_fields`. A boolean takes true/1 or false/0 in any case
/// (other values are ignored, as the reference app does); other types must parse.
pub(crate) fn filters(
    resource: &Resource,
    param: &impl Fn(&str) -> Option<String>,
    row_tests: bool,
) -> Result<Vec<Cond>, ApiError> {
    let table = resource.table().to_string();
    let mut out = Vec::new();
    for name in &resource.filter_fields {
        let Some(raw) = param(name) else { continue };
        if let Some(cond) = super::many_to_many::filter(resource, name, &raw)? {
            out.push(cond);
            continue;
        }
        let column = resource.column_of(name).unwrap_or_else(|| name.clone());
        let col = Expr::col((table.clone(), column));
        let col = if row_tests { row_test(col) } else { col };
        let kind = resource
            .model_field(name)
            .map(|f| f.kind)
            .unwrap_or(FieldKind::Integer);
        let bad = |m: &str| ApiError::field(name, m);
        let cond = match kind {
            FieldKind::Boolean => match raw.trim().to_lowercase().as_str() {
                // Booleans are stored as 0/1 on every database.
                "true" | "1" => col.eq(1i64),
                "false" | "0" => col.eq(0i64),
                _ => continue,
            },
            FieldKind::Integer | FieldKind::Owner | FieldKind::Reference => {
                match raw.trim().parse::<i64>() {
                    Ok(n) => col.eq(n),
                    // A whole number beyond 64 bits: Django's integer lookups match nothing
                    // for a value outside the column's range.
                    Err(e) if matches!(e.kind(), PosOverflow | NegOverflow) => Expr::cust("0 = 1"),
                    Err(_) => return Err(bad("Enter a whole number.")),
                }
            }
            // Rust reads "NaN" and "inf" (and "1e400" as inf); Django's FloatField refuses
            // what is not finite.
            FieldKind::Float => col.eq(raw
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| bad("Enter a number."))?),
            kind => super::bind::eq(col, kind.storage(), raw),
        };
        out.push(Cond::all().add(cond));
    }
    Ok(out)
}

/// The bounds of `?search=` (DRF has none): every term is a `LIKE '%term%'` over every search
/// field, so a long term or many terms over large text columns make one request scan for
/// minutes. Refused with a 400 on the `search` parameter, as a filter's invalid value is.
pub(crate) fn check_search(
    raw: &str,
    limits: &crate::config::LimitsConfig,
) -> Result<(), ApiError> {
    let terms = search_terms(raw);
    let message = if terms.len() > limits.search_terms_max {
        format!(
            "Ensure the search has at most {} terms (it has {}).",
            limits.search_terms_max,
            terms.len()
        )
    } else if terms
        .iter()
        .any(|t| t.chars().count() > limits.search_term_max_chars)
    {
        format!(
            "Ensure each search term has at most {} characters.",
            limits.search_term_max_chars
        )
    } else {
        return Ok(());
    };
    Err(ApiError::field("search", &message))
}

/// DRF's `search_smart_split`: whitespace-separated terms (quotes keep a phrase together),
/// each unquoted term further split on commas.
pub(crate) fn search_terms(raw: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for token in smart_split(raw) {
        let token = token.trim_matches(',');
        let quoted = token.len() >= 2
            && (token.starts_with('"') || token.starts_with('\''))
            && token.chars().next() == token.chars().last();
        if quoted {
            let inner = &token[1..token.len() - 1];
            let quote = &token[..1];
            terms.push(
                inner
                    .replace(&format!("\\{quote}"), quote)
                    .replace("\\\\", "\\"),
            );
        } else {
            terms.extend(
                token
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(|t| t.trim().to_string()),
            );
        }
    }
    terms
}

/// Django's `smart_split`: split on whitespace, keeping quoted sections (with backslash
/// escapes) inside their word.
fn smart_split(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                current.push(c);
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        current.push(next);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None if c.is_whitespace() => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                current.push(c);
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drf_search_terms() {
        assert_eq!(search_terms("eggs milk"), ["eggs", "milk"]);
        assert_eq!(search_terms("eggs,buy"), ["eggs", "buy"]);
        assert_eq!(search_terms("\"quarterly report\""), ["quarterly report"]);
        assert_eq!(search_terms("  "), Vec::<String>::new());
        assert_eq!(search_terms("a,,b, c"), ["a", "b", "c"]);
    }

    #[test]
    fn an_ordering_names_each_column_once() {
        let schema = super::super::schema::Schema::parse(crate::resources::schema::DEFAULT_SCHEMA)
            .expect("the built-in schema");
        let notes = schema.resource("notes").expect("notes");
        let raw = vec!["title"; 10_000].join(",") + ",-title,id";
        assert_eq!(
            list_ordering(notes, Some(&raw)),
            [("title".to_string(), false), ("id".to_string(), false)]
        );
    }

    #[test]
    fn statements_bind_every_value() {
        let schema = super::super::schema::Schema::parse(crate::resources::schema::DEFAULT_SCHEMA)
            .expect("the built-in schema");
        let notes = schema.resource("notes").expect("notes");
        let mut q = select(notes);
        if let Some(c) = search(notes, &["50%' OR 1=1 --".into()]) {
            q.cond_where(c);
        }
        for (sql, values) in [
            q.build(sea_query::SqliteQueryBuilder),
            q.build(sea_query::PostgresQueryBuilder),
        ] {
            assert!(!sql.contains("OR 1=1"), "{sql}");
            assert_eq!(values.0.len(), 2);
        }
    }
}
