//! A resource's pagination as the schema file declares it: the view's `pagination_class`
//! (`pagination`), its page size, and the fixed ordering of `CursorPagination`
//! (`cursor_ordering`, DRF's `CursorPagination.ordering`).

use super::schema::{FieldKind, Resource};
use crate::http::pagination::Style;

/// DRF's `CursorPagination.ordering`: one field, `-` for descending. Its value in each row is
/// the cursor's position, compared with `<`/`>`, so it must be a column with a stable text
/// form: the id, a timestamp, or a string, text, integer, date or datetime field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CursorOrdering {
    /// The field's key in a rendered row (its serializer name).
    pub(crate) name: String,
    pub(crate) column: String,
    pub(crate) desc: bool,
    pub(crate) kind: FieldKind,
}

/// The kind of a model field a cursor may be ordered by and its key in a rendered row (the
/// serializer's name for it), `None` when it may not be.
fn position_kind(resource: &Resource, name: &str) -> Option<(FieldKind, String)> {
    match name {
        "id" => Some((FieldKind::Integer, resource.id_field.clone())),
        _ => resource
            .model_field(name)
            .filter(|f| !f.write_only)
            .map(|f| (f.kind, f.name.clone()))
            .filter(|(k, _)| {
                matches!(
                    k,
                    FieldKind::String
                        | FieldKind::Text
                        | FieldKind::Integer
                        | FieldKind::Date
                        | FieldKind::DateTime
                )
            }),
    }
}

/// A term (`-created_at`) as a cursor ordering, if it can be one.
pub(crate) fn cursor_term(resource: &Resource, term: &str) -> Option<CursorOrdering> {
    let (name, desc) = term.strip_prefix('-').map_or((term, false), |n| (n, true));
    let (kind, key) = position_kind(resource, name)?;
    Some(CursorOrdering {
        name: key,
        column: resource.column_of(name)?,
        desc,
        kind,
    })
}

/// Check `pagination` and `cursor_ordering`. Without `cursor_ordering`, the cursor follows the
/// first term of the resource's `ordering` when it can, else `-created` (DRF's default), else
/// `-created_at` (what `timestamps = true` declares), else `-id`.
pub(super) fn check(
    resource: &mut Resource,
    pagination: Option<&str>,
    cursor_ordering: Option<&str>,
    ordering: Option<&str>,
    bad: &mut impl FnMut(String),
) {
    if let Some(name) = pagination {
        match Style::parse(name) {
            Some(style) => resource.pagination = Some(style),
            None => bad(format!(
                "pagination: {name:?} is not a pagination class; one of: {}",
                Style::NAMES
            )),
        }
    }
    resource.cursor_ordering = match cursor_ordering {
        Some(term) => {
            let found = cursor_term(resource, term);
            if found.is_none() {
                bad(format!(
                    "cursor_ordering: {term:?} is not a field a cursor can follow (id, created_at, \
                     updated_at, or a readable string, text, integer, date or datetime field)"
                ));
            }
            found
        }
        None => ordering
            .and_then(|t| cursor_term(resource, t))
            .or_else(|| cursor_term(resource, "-created"))
            .or_else(|| cursor_term(resource, "-created_at"))
            .or_else(|| cursor_term(resource, "-id")),
    };
}
