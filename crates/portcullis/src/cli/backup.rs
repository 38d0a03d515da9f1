//! `portcullis backup FILE`: a consistent copy of the SQLite database, taken while the server
//! runs (`store/sqlite/backup.rs` says how). PostgreSQL has `pg_dump` for that, and the command
//! says so instead of writing anything.

use std::path::PathBuf;

use portcullis_server::Config;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Where to write the copy (a new file; see --force).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

pub(super) async fn run(config: Config, args: Args) -> anyhow::Result<()> {
    let url = config.database_url.clone();
    // SQLite's copy blocks its thread for as long as it runs: off the async runtime's threads.
    let copy = tokio::task::spawn_blocking(move || {
        portcullis_server::store::backup(&url, &args.file, args.force)
    })
    .await??;
    println!(
        "Backed up {} to {} ({} bytes, integrity_check ok).",
        copy.source.display(),
        copy.target.display(),
        copy.bytes
    );
    Ok(())
}
