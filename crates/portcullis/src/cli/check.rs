//! `portcullis check`: the configuration was validated on load (a bad value stops the command
//! with the key and the reason); here the database and the secret are tried too, and the
//! Redis of `throttle.cache_url` if any (a note: serving counts in memory while it is away).

use portcullis_server::Config;
use portcullis_server::store::Store;

pub(super) async fn run(config: Config) -> anyhow::Result<()> {
    let cannot_open = |e| anyhow::anyhow!("database_url: cannot open {}: {e}", config.database_url);
    let store = Store::connect(&config.database_url)
        .await
        .map_err(cannot_open)?;
    // A database that is down is named at once, with the cause, not after the pool's wait.
    store.migrations().probe().await.map_err(cannot_open)?;
    let pending = store
        .migrations()
        .pending_migrations()
        .await
        .map_err(cannot_open)?;
    if !pending.is_empty() {
        println!(
            "Note: {} unapplied migration(s): {} (serve or migrate applies them).",
            pending.len(),
            pending.join(", ")
        );
    }
    portcullis_server::auth::secret::load_or_create(&config)?;
    if let Some(url) = &config.throttle.cache_url {
        let timeout = std::time::Duration::from_secs(2);
        if let Err(why) = portcullis_server::http::probe_shared_cache(url, timeout).await {
            println!(
                "Note: throttle.cache_url: Redis does not answer ({why}); each instance counts \
                 its throttles in its own memory until it does."
            );
        }
    }
    println!("System check identified no issues (0 silenced).");
    Ok(())
}
