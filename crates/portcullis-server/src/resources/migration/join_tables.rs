//! The join tables of many-to-many fields, planned as Django's migrations make them: `id`, the
//! row's id and the target's id (each a foreign key whose rows go with the row they point at),
//! the pair unique, and an index on each side. A join table is created with its field, and
//! dropped with it (refused while it holds links, unless destruction is allowed).

use super::Outcome;
use crate::resources::many_to_many::{self, JoinTable};
use crate::resources::schema::{Field, Resource, Schema};
use crate::store::tables::{Change, Column, ColumnKind, Index, OnDelete, Table};
use crate::store::{Storage, Store, StoreError};

/// The table a many-to-many field needs.
pub(super) fn table(resource: &Resource, field: &Field) -> Table {
    let join = JoinTable::of(resource, field);
    let target_table = field.to.clone().unwrap_or_default();
    let reference = |name: &str, to: &str| Column {
        name: name.to_string(),
        kind: ColumnKind::Value(Storage::Integer),
        not_null: true,
        default: None,
        references: Some((to.to_string(), OnDelete::Cascade)),
    };
    let index = |prefix: &str, unique: bool, columns: &[&str]| Index {
        name: format!("{prefix}_{}_{}", join.name, columns.join("_")),
        unique,
        columns: columns.iter().map(|c| (c.to_string(), false)).collect(),
    };
    Table {
        name: join.name.clone(),
        columns: vec![
            Column {
                name: "id".into(),
                kind: ColumnKind::Id,
                not_null: true,
                default: None,
                references: None,
            },
            reference(&join.source, resource.table()),
            reference(&join.target, &target_table),
        ],
        indexes: vec![
            index("ux", true, &[&join.source, &join.target]),
            index("ix", false, &[&join.source]),
            index("ix", false, &[&join.target]),
        ],
    }
}

/// Plan the join tables of `resource`'s many-to-many fields.
pub(super) async fn plan(
    store: &Store,
    resource: &Resource,
    allow_destructive: bool,
    changes: &mut Vec<Change>,
    outcome: &mut Outcome,
) -> Result<(), StoreError> {
    for field in many_to_many::fields(resource) {
        let wanted = table(resource, field);
        let actual = store.resources().table_columns(&wanted.name).await?;
        if actual.is_empty() {
            outcome.applied.push(format!(
                "Create join table {} of field {} of {}",
                wanted.name, field.name, resource.name
            ));
            changes.push(Change::CreateTable(wanted));
            continue;
        }
        let same = actual.len() == wanted.columns.len()
            && wanted
                .columns
                .iter()
                .all(|c| actual.iter().any(|a| a.name == c.name));
        if !same {
            // The field now points at another resource: its links name rows of the old one.
            if store.resources().has_data(&wanted.name, None).await? && !allow_destructive {
                outcome.refused.push(format!(
                    "resource {}, field {}: the join table {} links other rows than the field now points at; run `portcullis migrate --allow-destructive` to drop its links",
                    resource.name, field.name, wanted.name
                ));
            } else {
                outcome.applied.push(format!(
                    "Recreate join table {} of field {} of {}",
                    wanted.name, field.name, resource.name
                ));
                changes.push(Change::DropTable(wanted.name.clone()));
                changes.push(Change::CreateTable(wanted));
            }
            continue;
        }
        let existing = store.resources().table_indexes(&wanted.name).await?;
        for index in wanted
            .indexes
            .iter()
            .filter(|i| !existing.iter().any(|e| i.is_named(e)))
        {
            outcome.applied.push(format!("Create index {}", index.name));
            changes.push(Change::CreateIndex {
                table: wanted.name.clone(),
                index: index.clone(),
            });
        }
    }
    Ok(())
}

/// The snapshots recorded for the join tables (so that a removed field's table is noticed as a
/// removed resource's is).
pub(super) fn snapshots(resource: &Resource) -> Vec<(String, String)> {
    many_to_many::fields(resource)
        .map(|field| {
            let join = JoinTable::of(resource, field);
            let definition = serde_json::json!({
                "join_table_of": resource.name,
                "field": field.name,
                "to": field.to,
            });
            (join.name, definition.to_string())
        })
        .collect()
}

/// How a table gone from the schema is named in `migrate`'s lines: the join table of a field
/// of a resource still declared, or a resource.
pub(super) fn gone_name(schema: &Schema, gone: &str) -> String {
    let owner = schema.resources.iter().find_map(|r| {
        let field = gone.strip_prefix(&r.name)?.strip_prefix('_')?;
        Some(format!(
            "join table {gone} (many-to-many field {field} of {})",
            r.name
        ))
    });
    owner.unwrap_or_else(|| format!("resource {gone}"))
}
