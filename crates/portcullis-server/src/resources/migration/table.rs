//! The table a declared resource needs: its columns (Django's `id`, one per field, the
//! timestamps) and the indexes its filters, orderings and unique fields need.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::resources::query;
use crate::resources::schema::{Field, FieldKind, Resource, Visibility};
use crate::store::tables::{Column, ColumnKind, Index, Literal, Table};
use crate::store::timestamp::now_db;

pub(super) fn table(resource: &Resource) -> Table {
    Table {
        name: resource.table().to_string(),
        columns: columns(resource),
        indexes: indexes(resource),
    }
}

/// A default from the schema file as the literal stored in the column.
fn literal(field: &Field, value: &Value) -> Option<Literal> {
    Some(match (field.kind, value) {
        (_, Value::Null) => return None,
        (FieldKind::Boolean, Value::Bool(b)) => Literal::Bool(*b),
        (FieldKind::Json, v) => Literal::Text(v.to_string()),
        (_, Value::Number(n)) => Literal::Number(n.to_string()),
        (_, Value::String(s)) => Literal::Text(s.clone()),
        (_, v) => Literal::Text(v.to_string()),
    })
}

fn columns(resource: &Resource) -> Vec<Column> {
    let mut out = vec![Column {
        name: "id".into(),
        kind: ColumnKind::Id,
        not_null: true,
        default: None,
        references: None,
    }];
    for field in resource.column_fields() {
        // Two serializer fields over one model field (`source=`) share its column.
        if out.iter().any(|c| c.name == field.column()) {
            continue;
        }
        let default = match (&field.default, field.kind) {
            // Django's makemigrations offers `timezone.now` for rows that exist when an
            // auto_now(_add) field is added: they get the time of the migration. Every insert
            // sets the value itself, so the default only ever serves those rows.
            _ if field.set_on_create() => Some(Literal::Text(now_db())),
            (Some(v), _) => literal(field, v),
            (None, FieldKind::Boolean) => Some(Literal::Bool(false)),
            (None, FieldKind::String | FieldKind::Text) if field.blank => {
                Some(Literal::Text(String::new()))
            }
            _ => None,
        };
        let target = match field.kind {
            FieldKind::Owner => Some("auth_user"),
            FieldKind::Reference => field.to.as_deref(),
            _ => None,
        };
        out.push(Column {
            name: field.column(),
            kind: ColumnKind::Value(field.kind.storage()),
            not_null: !field.null,
            default,
            references: target.map(|t| (t.to_string(), field.on_delete)),
        });
    }
    out
}

/// The indexes a resource's queries need: one per filtered or ordered column and per foreign
/// key, a unique one per unique field, and the ones that read a list in its default ordering
/// (see [`list_indexes`]).
fn indexes(resource: &Resource) -> Vec<Index> {
    let table = resource.table();
    let mut out = Vec::new();
    let mut single: BTreeSet<String> = BTreeSet::new();
    for name in resource
        .filter_fields
        .iter()
        .chain(&resource.ordering_fields)
    {
        if let Some(c) = resource.column_of(name).filter(|c| c != "id") {
            single.insert(c);
        }
    }
    for field in &resource.fields {
        if matches!(field.kind, FieldKind::Owner | FieldKind::Reference) {
            single.insert(field.column());
        }
        if field.unique
            && !out
                .iter()
                .any(|i: &Index| i.columns == [(field.column(), false)])
        {
            out.push(Index {
                name: format!("ux_{table}_{}", field.column()),
                unique: true,
                columns: vec![(field.column(), false)],
            });
        }
    }
    let listed = list_indexes(resource);
    // An index led by a column serves that column's filter, ordering and foreign key as well
    // as a one-column index would (in both directions, the id after it): one index less to
    // write on every insert.
    single.retain(|c| {
        !listed
            .iter()
            .any(|i| i.columns.first().is_some_and(|(f, _)| f == c))
    });
    out.extend(listed);
    for c in single {
        out.push(Index {
            name: format!("ix_{table}_{c}"),
            unique: false,
            columns: vec![(c, false)],
        });
    }
    out
}

/// The indexes that read a list in its default ordering, the id last as the list orders ties
/// (`list_ordering`; PostgreSQL's indexes do not end with the row's id as SQLite's do): the
/// ordering alone, for a caller who sees every row; and one per part of the visible rows (see
/// `list_query`): `(owner, ordering…)` for the caller's own rows and `(flag, ordering…)` for
/// the public rows. Those two end with the filtered columns (the flag among them for the
/// owner's): a filtered count of a part then reads its index alone, and SQLite, which plans
/// without statistics, prefers it to a filter's own index (which reads every row with that
/// value, the caller's or not).
fn list_indexes(resource: &Resource) -> Vec<Index> {
    let table = resource.table();
    let ordering = query::list_ordering(resource, None);
    let names: Vec<&str> = ordering.iter().map(|(c, _)| c.as_str()).collect();
    let names = names.join("_");
    let mut filtered: Vec<String> = resource
        .filter_fields
        .iter()
        .filter(|f| resource.model_field(f).is_some_and(Field::has_column))
        .filter_map(|f| resource.column_of(f))
        .collect();
    if let Visibility::OwnerOrPublic { flag } = &resource.visibility {
        filtered.push(flag.clone());
    }
    let led_by = |lead: Option<&str>| {
        let mut columns: Vec<(String, bool)> =
            lead.map(|l| (l.to_string(), false)).into_iter().collect();
        columns.extend(
            ordering
                .iter()
                .filter(|(c, _)| Some(c.as_str()) != lead)
                .cloned(),
        );
        if lead.is_some() {
            for last in &filtered {
                if !columns.iter().any(|(c, _)| c == last) {
                    columns.push((last.clone(), false));
                }
            }
        }
        let name = match lead {
            Some(lead) => format!("ix_{table}_{lead}_order_{names}"),
            None => format!("ix_{table}_order_{names}"),
        };
        Index {
            name,
            unique: false,
            columns,
        }
    };
    let mut out = Vec::new();
    // Ordered by the id alone, the table itself is the index.
    if ordering.iter().any(|(c, _)| c != "id") {
        out.push(led_by(None));
    }
    let owner = resource.owner_field().map(Field::column);
    match (&resource.visibility, owner) {
        (Visibility::Owner, Some(owner)) => out.push(led_by(Some(&owner))),
        (Visibility::OwnerOrPublic { flag }, Some(owner)) => {
            out.push(led_by(Some(&owner)));
            out.push(led_by(Some(flag)));
        }
        _ => {}
    }
    // An ordering led by the owner (or the flag) needs no second index of the same columns.
    let mut seen = BTreeSet::new();
    out.retain(|i| seen.insert(i.columns.clone()));
    out
}
