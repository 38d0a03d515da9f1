//! `portcullis import-django`: adopting a Django project's database. Users (ids, password
//! hashes as they are, flags, `date_joined`, `last_login`), groups, memberships, model
//! permissions mapped onto the declared resources', and DRF tokens stored the Portcullis way
//! (digest and sealed copy), so that the old passwords and the old keys keep working. The source
//! is only read; the target is written in one transaction, and only with rows it lacks
//! (`plan.rs` decides), so that a second run changes nothing.

mod plan;
pub mod report;
mod resource_rows;
mod source;

pub use report::{Report, Tally};

use crate::AppState;
use crate::resources::schema::{FieldKind, Resource};

/// What to import, and whether to write it.
#[derive(Debug, Clone)]
pub struct Options {
    /// A Django SQLite file's path, or a PostgreSQL URL.
    pub database: String,
    /// Plan and report, write nothing.
    pub dry_run: bool,
    /// Django model tables to copy into declared resources: `(resource, table)`, in this order.
    pub resources: Vec<(String, String)>,
}

/// Told how the writing goes (a progress bar on a terminal, plain lines otherwise).
pub trait Progress: Send + Sync {
    /// Writing starts: `rows` rows in all.
    fn start(&self, rows: u64);
    /// One more row written.
    fn row(&self);
    /// Writing is over (committed or not).
    fn finish(&self);
}

/// Import from the Django database `options.database` into the state's database.
pub async fn import(
    state: &AppState,
    options: &Options,
    progress: &dyn Progress,
) -> anyhow::Result<Report> {
    let source = source::Source::open(&options.database).await?;
    let read = read(state, &source, &options.resources).await;
    source.close().await;
    let (data, tables) = read?;
    let existing = state.store().import().import_snapshot().await?;
    let mut plan = plan::plan(&data, &existing, state.token_keys(), &options.resources);
    for (resource, columns, rows) in &tables {
        let present = state
            .store()
            .import()
            .import_resource_ids(resource.table())
            .await?;
        let (out, tally) = resource_rows::plan_rows(resource, columns, rows, &present, &plan.users);
        plan.rows.resources.push(out);
        plan.report.tallies.push(tally);
    }
    let mut report = plan.report;
    report.dry_run = options.dry_run;
    if options.dry_run || plan.rows.is_empty() {
        return Ok(report);
    }
    progress.start(plan.rows.len() as u64);
    let row = || progress.row();
    let written = state.store().import().import_apply(&plan.rows, &row).await;
    progress.finish();
    written?;
    audit(state, &report).await?;
    Ok(report)
}

/// One summary event of an import that wrote rows: what came over, kind by kind, and how many
/// rows were skipped. Never the source's URL, which may hold a password.
async fn audit(state: &AppState, report: &Report) -> anyhow::Result<()> {
    let kinds: serde_json::Map<String, serde_json::Value> = report
        .tallies
        .iter()
        .map(|t| (t.kind.clone(), serde_json::json!(t.imported)))
        .collect();
    let detail = serde_json::json!({
        "imported": report.imported(),
        "skipped": report.skipped(),
        "kinds": kinds,
    });
    let event = crate::audit::Event::DjangoImported;
    crate::audit::outside::cli_event(state, event, None, detail).await
}

/// A declared resource, its columns and the Django table's rows for it.
type TableRows<'a> = (
    &'a Resource,
    Vec<(String, FieldKind)>,
    resource_rows::TextRows,
);

/// Everything read from the Django database: the accounts, then each `--resource` table.
async fn read<'a>(
    state: &'a AppState,
    source: &source::Source,
    resources: &[(String, String)],
) -> anyhow::Result<(source::DjangoData, Vec<TableRows<'a>>)> {
    let data = source.read().await?;
    let mut tables = Vec::new();
    for (name, table) in resources {
        let resource = state.schema().resource(name).ok_or_else(|| {
            anyhow::anyhow!("--resource {name}={table}: no resource {name} is declared")
        })?;
        let columns = resource_rows::columns(resource).map_err(|e| anyhow::anyhow!(e))?;
        let rows = source.text_rows(table, &columns).await?;
        tables.push((resource, columns, rows));
    }
    Ok((data, tables))
}

#[cfg(test)]
mod tests;
