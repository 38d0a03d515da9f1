//! `portcullis import-django --database <sqlite file | postgres url> [--dry-run] [--resource
//! NAME=TABLE ...]`: adopt a Django project's users, groups, permissions, DRF tokens and model
//! rows (`portcullis_server::import_django` says how). A progress bar on a terminal, plain lines
//! otherwise (a log, a CI job), then the report.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressStyle};
use portcullis_server::AppState;
use portcullis_server::import_django::{self, Options, Progress};

/// Plain lines every this many rows, so that a long import shows it is alive.
const LINE_EVERY: u64 = 1000;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The Django database: a SQLite file's path or a PostgreSQL URL (read only).
    #[arg(long, value_name = "PATH_OR_URL")]
    pub database: String,
    /// Report what would be imported; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also copy a Django model's table into a declared resource with the same fields, ids
    /// kept (repeatable, referenced resources first).
    #[arg(long, value_name = "NAME=TABLE", value_parser = resource_pair)]
    pub resource: Vec<(String, String)>,
}

/// `NAME=TABLE`, both non-empty.
fn resource_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, table)) if !name.is_empty() && !table.is_empty() => {
            Ok((name.to_string(), table.to_string()))
        }
        _ => Err(format!(
            "expected NAME=TABLE (e.g. notes=notes_note), got {text:?}"
        )),
    }
}

/// A bar on a terminal.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, rows: u64) {
        self.0.set_length(rows);
        self.0.reset();
    }
    fn row(&self) {
        self.0.inc(1);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Plain lines elsewhere.
#[derive(Default)]
struct Lines {
    total: AtomicU64,
    done: AtomicU64,
}

impl Progress for Lines {
    fn start(&self, rows: u64) {
        self.total.store(rows, Ordering::Relaxed);
        println!("Writing {rows} rows...");
    }
    fn row(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if done.is_multiple_of(LINE_EVERY) {
            println!("  {done}/{} rows", self.total.load(Ordering::Relaxed));
        }
    }
    fn finish(&self) {
        let done = self.done.load(Ordering::Relaxed);
        println!(
            "  {done}/{} rows written",
            self.total.load(Ordering::Relaxed)
        );
    }
}

fn progress() -> Box<dyn Progress> {
    if !std::io::stderr().is_terminal() {
        return Box::new(Lines::default());
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} rows ({eta})") {
        bar.set_style(style);
    }
    Box::new(Bar(bar))
}

/// Bring the target's tables in step with the schema first, as `serve` does: the import plans
/// against them (the resources' permissions and tables). Changes that would lose data are
/// refused here as by `portcullis migrate`.
async fn migrate(state: &AppState) -> anyhow::Result<()> {
    let migrated = portcullis_server::migrating::migrate(state, false)
        .await
        .map_err(|e| anyhow::anyhow!("cannot migrate the database: {e}"))?;
    if let Some(first) = migrated.resources.refused.first() {
        anyhow::bail!("the resources need `portcullis migrate --allow-destructive` first: {first}");
    }
    Ok(())
}

pub(super) async fn run(state: AppState, args: Args) -> anyhow::Result<()> {
    migrate(&state).await?;
    let options = Options {
        database: args.database,
        dry_run: args.dry_run,
        resources: args.resource,
    };
    let progress = progress();
    let report = import_django::import(&state, &options, progress.as_ref()).await?;
    println!("{report}");
    Ok(())
}
