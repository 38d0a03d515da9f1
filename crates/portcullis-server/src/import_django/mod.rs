//! `portcullis import-django`: adopting a Django project's database. Users (ids, password
//! hashes as they are, flags, `date_joined`, `last_login`), groups, memberships, model
//! permissions mapped onto the declared resources', and DRF tokens stored the Portcullis way
//! (digest and sealed copy), so that the old passwords and the old keys keep working. The source
//! is only read; the target is written in one transaction, and only with rows it lacks
//! (`plan.rs` decides), so that a second run changes nothing.

mod plan;
pub mod report;
mod source;

pub use report::{Report, Tally};

use crate::AppState;

/// What to import, and whether to write it.
#[derive(Debug, Clone)]
pub struct Options {
    /// A Django SQLite file's path, or a PostgreSQL URL.
    pub database: String,
    /// Plan and report, write nothing.
    pub dry_run: bool,
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
    let data = source.read().await;
    source.close().await;
    let data = data?;
    let existing = state.store().import().import_snapshot().await?;
    let plan = plan::plan(&data, &existing, state.token_keys());
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
    Ok(report)
}

#[cfg(test)]
mod tests;
