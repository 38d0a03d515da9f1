//! `portcullis import-django --database <sqlite file | postgres url> [--dry-run]`: adopt a Django
//! project's users, groups, permissions and DRF tokens (`portcullis_server::import_django` says
//! how). A progress bar on a terminal, plain lines otherwise (a log, a CI job), then the report.

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

pub(super) async fn run(state: AppState, args: Args) -> anyhow::Result<()> {
    let options = Options {
        database: args.database,
        dry_run: args.dry_run,
    };
    let progress = progress();
    let report = import_django::import(&state, &options, progress.as_ref()).await?;
    println!("{report}");
    Ok(())
}
