//! Schema migrations: compare each declared resource with its table and bring the table in
//! step — create tables, add columns, create indexes for every filter and ordering column. A
//! change that would lose data (dropping or retyping a column that holds values, dropping a
//! resource's table) is refused with the reason unless explicitly allowed. The changes are
//! planned here in the store's neutral terms (`store::tables`); the store writes the DDL.

mod join_tables;
mod planner;
mod table;

use serde_json::Value;

use super::access::CODENAMES;
use super::schema::{Resource, Schema};
use crate::store::tables::Change;
use crate::store::{Store, StoreError};

/// What `migrate` did, or why it refused.
#[derive(Debug, Default)]
pub struct Outcome {
    /// One line per change applied.
    pub applied: Vec<String>,
    /// One line per change refused (nothing at all is applied when this is not empty).
    pub refused: Vec<String>,
}

/// The definition recorded after a successful migration (to notice removed resources).
fn snapshot(resource: &Resource) -> String {
    let fields: Vec<Value> = resource
        .fields
        .iter()
        .map(|f| serde_json::json!({"name": f.name, "type": f.kind.name(), "column": f.column()}))
        .collect();
    serde_json::json!({"name": resource.name, "fields": fields}).to_string()
}

/// Plan and, unless something is refused, apply the migrations of every resource.
pub(crate) async fn migrate(
    store: &Store,
    schema: &Schema,
    allow_destructive: bool,
    known: &[String],
) -> Result<Outcome, StoreError> {
    let mut outcome = Outcome::default();
    let mut changes = Vec::new();
    for resource in &schema.resources {
        planner::plan_resource(
            store,
            resource,
            allow_destructive,
            &mut changes,
            &mut outcome,
        )
        .await?;
        join_tables::plan(
            store,
            resource,
            allow_destructive,
            &mut changes,
            &mut outcome,
        )
        .await?;
    }
    let joins: Vec<String> = schema
        .resources
        .iter()
        .flat_map(join_tables::snapshots)
        .map(|(name, _)| name)
        .collect();
    for gone in known
        .iter()
        .filter(|k| schema.resource(k).is_none() && !joins.contains(k))
    {
        if store.resources().table_columns(gone).await?.is_empty() {
            continue;
        }
        let what = join_tables::gone_name(schema, gone);
        if store.resources().has_data(gone, None).await? && !allow_destructive {
            outcome.refused.push(format!(
                "{what}: removed from the schema but its table holds rows; run `portcullis migrate --allow-destructive` to drop it"
            ));
        } else {
            changes.push(Change::DropTable(gone.clone()));
            outcome.applied.push(format!("Drop {what}"));
        }
    }
    if !outcome.refused.is_empty() {
        outcome.applied.clear();
        return Ok(outcome);
    }
    if !changes.is_empty() {
        store.resources().apply_changes(&changes).await?;
    }
    for resource in &schema.resources {
        store
            .resources()
            .save_schema_snapshot(&resource.name, &snapshot(resource))
            .await?;
        for (join, definition) in join_tables::snapshots(resource) {
            store
                .resources()
                .save_schema_snapshot(&join, &definition)
                .await?;
        }
        // The user model's own fields are no resource: no permissions of their own.
        if resource.name != crate::accounts::own_fields::TABLE {
            store
                .resources()
                .ensure_permissions(&resource.name, &resource.label, CODENAMES)
                .await?;
        }
    }
    Ok(outcome)
}
