//! The table a declared resource needs: its columns (Django's `id`, one per field, the
//! timestamps) and the indexes its filters, orderings and unique fields need.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::resources::schema::{Field, FieldKind, Resource};
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
/// key, a unique one per unique field, and one for a default ordering no single index serves.
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
    for c in single {
        out.push(Index {
            name: format!("ix_{table}_{c}"),
            unique: false,
            columns: vec![(c, false)],
        });
    }
    let ordering: Vec<&(String, bool)> = resource
        .ordering
        .iter()
        .filter(|(c, _)| c != "id")
        .collect();
    if ordering.len() > 1
        || ordering.first().is_some_and(|(c, _)| {
            !resource
                .ordering_fields
                .iter()
                .any(|f| resource.column_of(f).as_deref() == Some(c))
        })
    {
        let names: Vec<&str> = resource.ordering.iter().map(|(c, _)| c.as_str()).collect();
        out.push(Index {
            name: format!("ix_{table}_order_{}", names.join("_")),
            unique: false,
            columns: resource.ordering.clone(),
        });
    }
    out
}
