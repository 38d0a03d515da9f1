//! SQL for resources, built with sea-query from the validated schema: identifiers come only from
//! the schema, every value is a bound parameter.

use sea_query::{Cond, Expr, ExprTrait, LikeExpr, Order, Query, SelectStatement};

use super::schema::{Field, FieldKind, Resource, Storage, Visibility};
use crate::store::User;

/// The columns a row is read with, in order: `id`, each readable field (an owner as its
/// owner's username), then the timestamps.
pub fn read_columns(resource: &Resource) -> Vec<Storage> {
    let mut kinds = vec![Storage::Integer];
    for field in &resource.fields {
        kinds.push(match field.kind {
            FieldKind::Owner => Storage::Integer,
            kind => kind.storage(),
        });
        if field.kind == FieldKind::Owner {
            kinds.push(Storage::Text);
        }
    }
    if resource.timestamps {
        kinds.extend([Storage::Text, Storage::Text]);
    }
    kinds
}

/// `SELECT <columns> FROM <table> [LEFT JOIN auth_user ...]`.
pub fn select(resource: &Resource) -> SelectStatement {
    let table = resource.table().to_string();
    let mut q = Query::select();
    q.from(table.clone()).column((table.clone(), "id"));
    for field in &resource.fields {
        q.column((table.clone(), field.column()));
        if field.kind == FieldKind::Owner {
            q.column(("auth_user", "username"));
            q.left_join(
                "auth_user",
                Expr::col(("auth_user", "id")).equals((table.clone(), field.column())),
            );
        }
    }
    if resource.timestamps {
        q.column((table.clone(), "created_at"))
            .column((table.clone(), "updated_at"));
    }
    q
}

/// `SELECT COUNT(*) FROM <table>`, for the same conditions as a list.
pub fn count(resource: &Resource) -> SelectStatement {
    let mut q = Query::select();
    q.from(resource.table().to_string())
        .expr(Expr::cust("COUNT(*)"));
    q
}

/// The rows `user` may read (staff: all).
pub fn visibility(resource: &Resource, user: Option<&User>) -> Option<Cond> {
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
                .add(Expr::col((table.clone(), flag.clone())).eq(true)),
        ),
    }
}

/// DRF's `SearchFilter`: every term must match some search field, case-insensitively
/// (`LIKE` with `%`, `_` and `\` escaped, as Django's `icontains` on SQLite).
pub fn search(resource: &Resource, terms: &[String]) -> Option<Cond> {
    if terms.is_empty() || resource.search_fields.is_empty() {
        return None;
    }
    let table = resource.table().to_string();
    let mut all = Cond::all();
    for term in terms {
        let escaped: String = term
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
                Expr::col((table.clone(), column))
                    .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
            );
        }
        all = all.add(any);
    }
    Some(all)
}

/// Add `ORDER BY` terms: (column, descending).
pub fn order(q: &mut SelectStatement, resource: &Resource, terms: &[(String, bool)]) {
    let table = resource.table().to_string();
    for (column, desc) in terms {
        q.order_by(
            (table.clone(), column.clone()),
            if *desc { Order::Desc } else { Order::Asc },
        );
    }
}

/// `WHERE id = ?`.
pub fn by_id(resource: &Resource, id: i64) -> Cond {
    Cond::all().add(Expr::col((resource.table().to_string(), "id")).eq(id))
}

/// DRF's `search_smart_split`: whitespace-separated terms (quotes keep a phrase together),
/// each unquoted term further split on commas.
pub fn search_terms(raw: &str) -> Vec<String> {
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
    fn statements_bind_every_value() {
        let schema = super::super::schema::Schema::builtin();
        let notes = schema.resource("notes").expect("notes");
        let mut q = select(notes);
        if let Some(c) = search(notes, &["50%' OR 1=1 --".into()]) {
            q.cond_where(c);
        }
        let (sql, values) = q.build(sea_query::SqliteQueryBuilder);
        assert!(!sql.contains("OR 1=1"), "{sql}");
        assert_eq!(values.0.len(), 2);
    }
}
