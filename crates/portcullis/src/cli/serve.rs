//! `portcullis serve`: bind, serve, stop cleanly on Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use anyhow::Context;
use portcullis_server::Config;
use portcullis_server::migrating::{self, Migrated};

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
    let state = super::connect(config).await?;
    let background = match migrating::migrate(&state, false).await {
        Ok(migrated) => {
            report(&migrated)?;
            None
        }
        // A database that is down at start is an outage to ride out: serve 503s meanwhile.
        Err(e) if e.is_transient() => {
            tracing::warn!(
                error = %e,
                "the database is unavailable; answering 503 and retrying the migrations until it is back"
            );
            state.store().availability().set_ready(false);
            Some(tokio::spawn(migrating::retry_until_migrated(state.clone())))
        }
        Err(e) => return Err(e.into()),
    };
    let bind = state.config().bind.clone();
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    tracing::info!("portcullis listening on http://{}", listener.local_addr()?);
    let limits = state.config().limits.clone();
    let metrics = metrics_listener(&state).await?;
    let app = portcullis_server::app(state.clone());
    // A startup migration that fails in the background stops the server as it would at start.
    let (failed_tx, failed_rx) = tokio::sync::oneshot::channel();
    if let Some(background) = background {
        tokio::spawn(async move {
            let outcome = match background.await {
                Ok(Ok(migrated)) => report(&migrated),
                Ok(Err(e)) => Err(e.into()),
                Err(e) => Err(anyhow::anyhow!("the startup migration stopped: {e}")),
            };
            if let Err(e) = outcome {
                let _ = failed_tx.send(e);
            }
        });
    }
    let failed = async move {
        match failed_rx.await {
            Ok(e) => Some(e),
            // Migrated (the sender is dropped): serve on.
            Err(_) => std::future::pending().await,
        }
    };
    let mut failure = None;
    let stop = async {
        tokio::select! {
            () = shutdown() => {},
            e = failed => failure = e,
        }
    };
    // The metrics listener stops when the main one has drained.
    let (stopped_tx, stopped_rx) = tokio::sync::watch::channel(());
    let metrics = metrics.map(|listener| serve_metrics(listener, &state, stopped_rx));
    let served = portcullis_server::server::serve(listener, app, &limits, stop).await;
    drop(stopped_tx);
    if let Some(metrics) = metrics {
        let _ = metrics.await;
    }
    served?;
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The listener of `operations.metrics_addr`, when the metrics are served apart.
async fn metrics_listener(
    state: &portcullis_server::AppState,
) -> anyhow::Result<Option<tokio::net::TcpListener>> {
    let operations = &state.config().operations;
    if operations.metrics_addr.is_empty() || operations.metrics_path.is_empty() {
        return Ok(None);
    }
    let addr = &operations.metrics_addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (operations.metrics_addr)"))?;
    tracing::info!(
        "metrics on http://{}{}",
        listener.local_addr()?,
        operations.metrics_path
    );
    Ok(Some(listener))
}

/// Serve the metrics alone on `listener` until `stopped` changes or closes.
fn serve_metrics(
    listener: tokio::net::TcpListener,
    state: &portcullis_server::AppState,
    mut stopped: tokio::sync::watch::Receiver<()>,
) -> tokio::task::JoinHandle<std::io::Result<()>> {
    let app = portcullis_server::operations::metrics_app(state.clone());
    let limits = state.config().limits.clone();
    tokio::spawn(async move {
        let stop = async move {
            let _ = stopped.changed().await;
        };
        portcullis_server::server::serve(listener, app, &limits, stop).await
    })
}

/// Log what the startup migration applied; a refused change stops the server.
fn report(migrated: &Migrated) -> anyhow::Result<()> {
    let outcome = &migrated.resources;
    if !outcome.refused.is_empty() {
        anyhow::bail!(
            "the schema needs changes that would lose data:\n  {}\nrun `portcullis migrate --allow-destructive` to allow them",
            outcome.refused.join("\n  ")
        );
    }
    for line in &outcome.applied {
        tracing::info!("migrated: {line}");
    }
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
