//! The statements of a list request, shaped so that an index reads the page in order whatever
//! the table holds beyond the caller's rows.
//!
//! The rows a list shows are split into disjoint parts, each one index range: under
//! `owner_or_public`, the caller's own rows (the `(owner, ordering…)` index) and the public rows
//! of others (the `(flag, ordering…, owner)` index). A single `owner = ? OR flag = 1` has no
//! index that holds its rows in order, so every visible row was read and sorted for each page.
//! With the parts as the arms of a `UNION ALL`, each read in the list's order, SQLite merges
//! the arms (`MERGE (UNION ALL)`) and PostgreSQL too (`Merge Append`), both lazily: a page at
//! `OFFSET o LIMIT n` reads at most `o + n` rows of each arm, and no arm needs a `LIMIT` of its
//! own (on SQLite one would keep the arm from being merged: it would be sorted again).
//!
//! Filters, search terms and a cursor's position go into every arm. The outer statement is the
//! one a single part gets (`select`'s columns and joins), over the union named as the table,
//! so that its columns, its ordering and the page's `LIMIT`/`OFFSET` are the same either way.

use sea_query::{Asterisk, Cond, Expr, ExprTrait, Query, SelectStatement, UnionType};

use super::query;
use super::schema::{Field, Resource, Visibility};
use crate::http::ApiError;
use crate::store::User;

/// The rows of a list (disjoint parts, filters, search) and its ordering.
pub struct ListQuery<'r> {
    resource: &'r Resource,
    /// Disjoint parts whose union is the rows listed; none: every row, as one part.
    parts: Vec<Part>,
    /// The filters and the search of the query parameters, on every part.
    conditions: Vec<Cond>,
    /// The request's valid `?ordering=`, else the resource's, the id last.
    pub(crate) ordering: Vec<(String, bool)>,
}

/// One part of the rows a list shows: an index range, less the rows of the first part.
#[derive(Clone, Debug)]
pub struct Part {
    /// The equality an index is led by (`owner = ?`, `flag = 1`).
    range: Cond,
    /// The range as a test of rows another index reads (see [`query::row_test`]).
    test: Cond,
    /// The rows of the first part this one leaves to it, as a test of each row read
    /// (`owner <> ?`).
    not_first: Option<Cond>,
}

impl Part {
    /// A part of the rows that shares none with another.
    pub(crate) fn only(range: Cond) -> Part {
        Part {
            test: range.clone(),
            range,
            not_first: None,
        }
    }
}

/// The rows `user` may read as disjoint parts, each an index range with the resource's
/// ordering after its equality (staff, and resources everyone reads: one part, every row).
pub fn visible_parts(resource: &Resource, user: Option<&User>) -> Vec<Part> {
    if user.is_some_and(|u| u.is_staff) {
        return Vec::new();
    }
    let Some(owner) = resource.owner_field() else {
        return Vec::new();
    };
    let table = resource.table().to_string();
    let owner_col = || Expr::col((table.clone(), owner.column()));
    match (&resource.visibility, user) {
        (Visibility::Everyone, _) => Vec::new(),
        (Visibility::Owner, Some(u)) => vec![Part::only(Cond::all().add(owner_col().eq(u.id)))],
        (Visibility::Owner, None) => vec![Part::only(Cond::all().add(Expr::cust("0 = 1")))],
        (Visibility::OwnerOrPublic { flag }, user) => {
            let flag_col = Expr::col((table.clone(), flag.clone()));
            let public = Cond::all().add(flag_col.clone().eq(1i64));
            let Some(u) = user else {
                return vec![Part::only(public)];
            };
            vec![
                Part::only(Cond::all().add(owner_col().eq(u.id))),
                Part {
                    range: public,
                    test: Cond::all().add(query::row_test(flag_col).eq(1i64)),
                    not_first: Some(not_owned_by(owner, owner_col(), u.id)),
                },
            ]
        }
    }
}

/// `owner <> id`, and rows without an owner (`<>` is not true of a null): the complement of
/// the caller's own part, so that the parts never share a row.
fn not_owned_by(owner: &Field, column: Expr, id: i64) -> Cond {
    let mut any = Cond::any().add(column.clone().ne(id));
    if owner.null {
        any = any.add(column.is_null());
    }
    any
}

/// The statements of a list request: the `COUNT(*)` and the `SELECT` (ordered, without the
/// page's `LIMIT`/`OFFSET`), both under the caller's visibility, the exact filters and the
/// search of the query parameters (`param` reads one). One [`ListQuery`] builds both so that
/// the count and the page always agree, and so that the tests can explain the very statement
/// a list runs.
pub fn list_statements(
    resource: &Resource,
    user: Option<&User>,
    param: impl Fn(&str) -> Option<String>,
) -> Result<(SelectStatement, SelectStatement), ApiError> {
    let list = ListQuery::new(resource, visible_parts(resource, user), param)?;
    Ok((list.count(), list.ordered()))
}

/// The exact filters and the search of a list's query parameters, each a condition all rows
/// listed meet. With `row_tests`, a filter only tests the rows another index reads (see
/// [`query::row_test`]).
pub(crate) fn list_conditions(
    resource: &Resource,
    param: &impl Fn(&str) -> Option<String>,
    row_tests: bool,
) -> Result<Vec<Cond>, ApiError> {
    let mut conditions = query::filters(resource, param, row_tests)?;
    let raw_search = param("search").unwrap_or_default();
    // DRF runs `?search=` through a CharField first: a NUL is its validation error, a bare
    // list as the body.
    if raw_search.contains('\0') {
        return Err(ApiError::Validation(serde_json::json!([
            "Null characters are not allowed."
        ])));
    }
    let terms = query::search_terms(&raw_search);
    if let Some(c) = query::search(resource, &terms) {
        conditions.push(c);
    }
    Ok(conditions)
}

impl<'r> ListQuery<'r> {
    /// The list of the rows in `parts`, filtered and searched as the query parameters say
    /// (`param` reads one), in the order `?ordering=` asks for.
    pub fn new(
        resource: &'r Resource,
        parts: Vec<Part>,
        param: impl Fn(&str) -> Option<String>,
    ) -> Result<ListQuery<'r>, ApiError> {
        let conditions = list_conditions(resource, &param, !parts.is_empty())?;
        let ordering = query::list_ordering(resource, param("ordering").as_deref());
        Ok(ListQuery {
            resource,
            parts,
            conditions,
            ordering,
        })
    }

    /// The conditions of the rows of `part`: its own, the filters and search, and `extra` (a
    /// cursor's position).
    fn conditions_of(&self, part: Option<&Part>, extra: Option<&Cond>) -> Vec<Cond> {
        let own = part.map(|p| p.range.clone()).into_iter();
        let not_first = part.and_then(|p| p.not_first.clone()).into_iter();
        own.chain(not_first)
            .chain(self.conditions.iter().cloned())
            .chain(extra.cloned())
            .collect()
    }

    /// `SELECT COUNT(*)` of the rows listed. Over parts, one count per index range, added,
    /// less the rows a later part leaves to the first (counted in the first's range too):
    /// `own + public - own and public`. Each is a range count that reads its index alone
    /// when no search names other columns (the indexes end with the filtered columns); the
    /// later part's `owner <> ?` would need the owner in the flag index, one more column read
    /// per public row.
    pub fn count(&self) -> SelectStatement {
        let counted = |conditions: Vec<Cond>| {
            let mut q = query::count(self.resource);
            for c in conditions {
                q.cond_where(c);
            }
            q
        };
        let (first, rest) = match self.parts.split_first() {
            Some((first, rest)) if !rest.is_empty() => (first, rest),
            _ => return counted(self.conditions_of(self.parts.first(), None)),
        };
        let sub = |q: SelectStatement| Expr::SubQuery(None, Box::new(q.into()));
        let mut total = sub(counted(self.conditions_of(Some(first), None)));
        for part in rest {
            let range = Part::only(part.range.clone());
            total = total.add(sub(counted(self.conditions_of(Some(&range), None))));
            if part.not_first.is_some() {
                // Read from the first part's range (the caller's rows), this one's a test.
                let mut both = vec![first.range.clone(), part.test.clone()];
                both.extend(self.conditions.iter().cloned());
                total = total.sub(sub(counted(both)));
            }
        }
        let mut q = Query::select();
        q.expr(total);
        q
    }

    /// The `SELECT` of the rows in `order`, with `extra` on every part; the page's
    /// `LIMIT`/`OFFSET` go on the statement returned.
    pub fn select(&self, order: &[(String, bool)], extra: Option<&Cond>) -> SelectStatement {
        if self.parts.len() < 2 {
            let mut q = query::select(self.resource);
            for c in self.conditions_of(self.parts.first(), extra) {
                q.cond_where(c);
            }
            query::order(&mut q, self.resource, order);
            return q;
        }
        let table = self.resource.table().to_string();
        let mut union: Option<SelectStatement> = None;
        for (i, part) in self.parts.iter().enumerate() {
            let mut arm = Query::select();
            arm.column((table.clone(), Asterisk)).from(table.clone());
            for c in self.conditions_of(Some(part), extra) {
                arm.cond_where(c);
            }
            // Each arm in the list's order: what lets the database merge the arms (PostgreSQL
            // keeps the order of a subquery only when it has one).
            query::order(&mut arm, self.resource, order);
            let mut wrapped = Query::select();
            wrapped
                .column(Asterisk)
                .from_subquery(arm, format!("{table}_part{i}"));
            union = Some(match union {
                None => wrapped,
                Some(mut all) => {
                    all.union(UnionType::All, wrapped);
                    all
                }
            });
        }
        let mut q = Query::select();
        if let Some(all) = union {
            q.from_subquery(all, table);
        }
        query::add_columns(self.resource, &mut q);
        query::order(&mut q, self.resource, order);
        q
    }

    /// The `SELECT` in the list's own ordering.
    pub fn ordered(&self) -> SelectStatement {
        self.select(&self.ordering, None)
    }
}
