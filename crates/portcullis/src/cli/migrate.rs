//! `portcullis migrate`: apply pending migrations and say which, as Django's `migrate` does.

use portcullis_server::Config;
use portcullis_server::store::Store;

pub async fn run(config: Config) -> anyhow::Result<()> {
    let store = Store::connect(&config.database_url).await?;
    let applied = store.migrate().await?;
    println!("Operations to perform:");
    if applied.is_empty() {
        println!("  No migrations to apply.");
    }
    for name in applied {
        println!("  Applying {name}... OK");
    }
    Ok(())
}
