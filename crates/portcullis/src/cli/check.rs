//! `portcullis check`: the configuration was validated on load (a bad value stops the command
//! with the key and the reason); here the database and the secret are tried too.

use portcullis_server::Config;
use portcullis_server::store::Store;

pub(super) async fn run(config: Config) -> anyhow::Result<()> {
    let store = Store::connect(&config.database_url)
        .await
        .map_err(|e| anyhow::anyhow!("database_url: cannot open {}: {e}", config.database_url))?;
    let pending = store.migrations().pending_migrations().await?;
    if !pending.is_empty() {
        println!(
            "Note: {} unapplied migration(s): {} (serve or migrate applies them).",
            pending.len(),
            pending.join(", ")
        );
    }
    portcullis_server::auth::secret::load_or_create(&config)?;
    println!("System check identified no issues (0 silenced).");
    Ok(())
}
