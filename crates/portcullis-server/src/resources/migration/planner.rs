//! The changes one resource's table needs, decided against the table as it is: what is added,
//! what is reshaped, and what is refused because it would lose data.

use super::Outcome;
use super::table::table;
use crate::resources::schema::Resource;
use crate::store::tables::{Change, Column, Table};
use crate::store::{ColumnInfo, Store, StoreError};

/// Plan the changes of one resource, appending to `changes` and to the outcome's lines.
pub(super) async fn plan_resource(
    store: &Store,
    resource: &Resource,
    allow_destructive: bool,
    changes: &mut Vec<Change>,
    outcome: &mut Outcome,
) -> Result<(), StoreError> {
    let wanted = table(resource);
    let mut plan = Planner {
        store,
        resource,
        table: resource.table(),
        allow_destructive,
        changes,
        outcome,
    };
    let actual = store.resources().table_columns(plan.table).await?;
    if actual.is_empty() {
        if resource.name == crate::accounts::own_fields::TABLE {
            plan.applied(format!(
                "Create table {} (the user model's own fields)",
                resource.name
            ));
        } else {
            plan.applied(format!("Create resource {}", resource.name));
        }
        plan.changes.push(Change::CreateTable(wanted));
        return Ok(());
    }
    let has_rows = store.resources().has_data(plan.table, None).await?;
    let mut reshape = false;
    for column in &wanted.columns {
        let existing = actual.iter().find(|a| a.name == column.name);
        reshape |= plan.column(column, existing, has_rows).await?;
    }
    for existing in actual
        .iter()
        .filter(|a| !wanted.columns.iter().any(|c| c.name == a.name))
    {
        reshape |= plan.removed_column(existing).await?;
    }
    if reshape {
        let kept = wanted
            .columns
            .iter()
            .filter(|c| actual.iter().any(|a| a.name == c.name))
            .map(|c| c.name.clone())
            .collect();
        plan.changes.push(Change::Reshape {
            table: wanted,
            kept,
        });
        return Ok(());
    }
    plan.indexes(&wanted).await
}

/// The changes of one resource's table, as they are planned.
struct Planner<'a> {
    store: &'a Store,
    resource: &'a Resource,
    table: &'a str,
    allow_destructive: bool,
    changes: &'a mut Vec<Change>,
    outcome: &'a mut Outcome,
}

impl Planner<'_> {
    fn applied(&mut self, line: String) {
        self.outcome.applied.push(line);
    }

    fn refused(&mut self, line: String) {
        self.outcome.refused.push(line);
    }

    /// A wanted column against the table's: added, refused, or marked for a reshape (true).
    async fn column(
        &mut self,
        column: &Column,
        existing: Option<&ColumnInfo>,
        has_rows: bool,
    ) -> Result<bool, StoreError> {
        let (name, field) = (&self.resource.name, &column.name);
        match existing {
            None if column.needs_value() && has_rows => self.refused(format!(
                "resource {name}, field {field}: a required column cannot be added to a table with rows; give the field a default or null = true"
            )),
            None => {
                self.changes.push(Change::AddColumn {
                    table: self.table.to_string(),
                    column: column.clone(),
                });
                self.applied(format!("Add field {field} to {name}"));
            }
            Some(existing)
                if existing.name != "id"
                    && existing.storage == Some(column.storage())
                    && existing.not_null != column.not_null =>
            {
                // Only the nullability changes: no stored value is converted, so this is not
                // destructive. Tightening is impossible while a row holds a null, whatever is
                // allowed: no value can be made up for it.
                if column.not_null && self.store.resources().has_nulls(self.table, field).await? {
                    self.refused(format!(
                        "resource {name}, field {field}: the column holds nulls and would no longer accept them; set a value in those rows first, or keep null = true"
                    ));
                } else {
                    self.applied(format!("Alter field {field} of {name}"));
                    return Ok(true);
                }
            }
            Some(existing) if existing.name != "id" && existing.storage != Some(column.storage()) => {
                let holds_data = self.store.resources().has_data(self.table, Some(field)).await?;
                if holds_data && !self.allow_destructive {
                    self.refused(format!(
                        "resource {name}, field {field}: changing the column from {} to {} would convert stored values; run `portcullis migrate --allow-destructive` to do it",
                        existing.storage.map_or("another type".to_string(), |s| s.to_string()),
                        column.storage()
                    ));
                } else {
                    self.applied(format!("Alter field {field} of {name}"));
                    return Ok(true);
                }
            }
            Some(_) => {}
        }
        Ok(false)
    }

    /// A column the schema no longer has: refused while it holds data, else dropped by a
    /// reshape (true).
    async fn removed_column(&mut self, existing: &ColumnInfo) -> Result<bool, StoreError> {
        let (name, field) = (&self.resource.name, &existing.name);
        let holds_data = self
            .store
            .resources()
            .has_data(self.table, Some(field))
            .await?;
        if holds_data && !self.allow_destructive {
            self.refused(format!(
                "resource {name}, field {field}: removed from the schema but the column holds data; run `portcullis migrate --allow-destructive` to drop it"
            ));
            return Ok(false);
        }
        self.applied(format!("Remove field {field} from {name}"));
        Ok(true)
    }

    /// Create the indexes the queries need and drop the ones of fields no longer filtered or
    /// ordered (only Portcullis' own, `ix_`/`ux_`).
    async fn indexes(&mut self, wanted: &Table) -> Result<(), StoreError> {
        let existing = self.store.resources().table_indexes(self.table).await?;
        for index in &wanted.indexes {
            if !existing.iter().any(|e| index.is_named(e)) {
                self.applied(format!("Create index {}", index.name));
                self.changes.push(Change::CreateIndex {
                    table: self.table.to_string(),
                    index: index.clone(),
                });
            }
        }
        for old in existing.iter().filter(|n| {
            (n.starts_with("ix_") || n.starts_with("ux_"))
                && !wanted.indexes.iter().any(|i| i.is_named(n))
        }) {
            self.applied(format!("Remove index {old}"));
            self.changes.push(Change::DropIndex(old.clone()));
        }
        Ok(())
    }
}
