//! PostgreSQL's announcements of changed users: one connection per instance that `LISTEN`s on
//! [`CHANNEL`], where the triggers of migration 0005 `pg_notify` the id of every user whose
//! row, DRF token or JWT epoch changes, whichever process made the change (another instance,
//! the command line, Django's admin on the same database). Each announcement forgets that user.
//!
//! The cache serves only while the connection listens: when it is lost, everything is
//! forgotten and nothing is kept until it listens again, since announcements made meanwhile
//! are lost; it reconnects by itself.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};

use super::AuthCache;
use crate::store::StoreError;

/// The channel the triggers announce on (migration 0005 names it too).
pub(crate) const CHANNEL: &str = "portcullis_auth";

/// The listening connection's `application_name`, to tell it apart in `pg_stat_activity`.
pub(crate) const APPLICATION_NAME: &str = "portcullis-auth-listener";

/// How long to wait before connecting again after the connection failed.
const RETRY: Duration = Duration::from_millis(250);

/// The listening task; stopped when dropped (with the store that owns it).
pub(crate) struct Listener(tokio::task::JoinHandle<()>);

impl Drop for Listener {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Listener {
    /// Start listening for the database at `url`, forgetting in `cache` what it announces.
    pub(crate) fn spawn(url: &str, cache: Arc<AuthCache>) -> Result<Listener, StoreError> {
        let options = PgConnectOptions::from_str(url)?.application_name(APPLICATION_NAME);
        Ok(Listener(tokio::spawn(listen(options, cache))))
    }
}

/// Listen for as long as the task lives, reconnecting after each failure.
async fn listen(options: PgConnectOptions, cache: Arc<AuthCache>) {
    let mut warned = false;
    loop {
        match subscribe(&options).await {
            Ok(mut listener) => {
                // Listening from now on: what was kept before may have missed announcements.
                cache.set_announced(true);
                if warned {
                    tracing::info!("listening for changed users again");
                }
                let err = follow(&mut listener, &cache).await;
                cache.set_announced(false);
                tracing::warn!(
                    error = %err,
                    "lost the connection announcing changed users; authenticating from the \
                     database until it is back"
                );
                warned = true;
            }
            Err(err) => {
                if !warned {
                    tracing::warn!(
                        error = %err,
                        "cannot listen for changed users; authenticating from the database \
                         until it can"
                    );
                    warned = true;
                }
            }
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// A connection listening on [`CHANNEL`].
async fn subscribe(options: &PgConnectOptions) -> Result<PgListener, sqlx::Error> {
    // A pool of one connection that never expires: the listener reconnects through it.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .max_lifetime(None)
        .idle_timeout(None)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options.clone())
        .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Forget each announced user until the connection fails; the failure.
async fn follow(listener: &mut PgListener, cache: &AuthCache) -> sqlx::Error {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => match notification.payload().parse::<i64>() {
                Ok(id) => cache.forget_user(id),
                // `*` (a table emptied) or anything unexpected: forget everyone.
                Err(_) => cache.forget_all(),
            },
            // The connection was lost and made again (listening anew): announcements made in
            // between are lost.
            Ok(None) => cache.forget_all(),
            Err(err) => return err,
        }
    }
}
