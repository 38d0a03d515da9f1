//! `portcullis migrate`: apply the fixed tables' migrations, then bring the resource tables in
//! step with the schema, saying what was done — or, for a change that would lose data, what was
//! refused and how to allow it.

use portcullis_server::Config;
use portcullis_server::migrating;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Allow changes that lose data: dropping a removed field's or resource's stored values,
    /// converting a retyped column's values.
    #[arg(long)]
    pub allow_destructive: bool,
}

pub(super) async fn run(config: Config, args: Args) -> anyhow::Result<()> {
    let state = super::connect(config).await?;
    // One clear line for a database that is down, or held by another migrator too long.
    let migrated = migrating::migrate(&state, args.allow_destructive)
        .await
        .map_err(|e| anyhow::anyhow!("cannot migrate the database: {e}"))?;
    let (applied, outcome) = (&migrated.fixed, &migrated.resources);
    println!("Operations to perform:");
    for name in applied {
        println!("  Applying {name}... OK");
    }
    if !outcome.refused.is_empty() {
        for line in &outcome.refused {
            eprintln!("  Refused: {line}");
        }
        anyhow::bail!("nothing of the resources was changed");
    }
    for line in &outcome.applied {
        println!("  {line}... OK");
    }
    if applied.is_empty() && outcome.applied.is_empty() {
        println!("  No migrations to apply.");
    }
    Ok(())
}
