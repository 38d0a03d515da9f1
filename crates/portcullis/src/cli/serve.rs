//! `portcullis serve`: bind, serve, stop cleanly on Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use anyhow::Context;
use portcullis_server::Config;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Address to listen on (overrides the configuration's `bind`).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<SocketAddr>,
}

pub(super) async fn run(mut config: Config, args: Args) -> anyhow::Result<()> {
    if let Some(bind) = args.bind {
        config.bind = bind.to_string();
    }
    let state = super::state(config).await?;
    let outcome = state.migrate_resources(false).await?;
    if !outcome.refused.is_empty() {
        anyhow::bail!(
            "the schema needs changes that would lose data:\n  {}\nrun `portcullis migrate --allow-destructive` to allow them",
            outcome.refused.join("\n  ")
        );
    }
    for line in &outcome.applied {
        tracing::info!("migrated: {line}");
    }
    let bind = state.config().bind.clone();
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    tracing::info!("portcullis listening on http://{}", listener.local_addr()?);
    let limits = state.config().limits.clone();
    let app = portcullis_server::app(state);
    portcullis_server::server::serve(listener, app, &limits, shutdown()).await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
