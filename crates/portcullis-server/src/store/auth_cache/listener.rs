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
use crate::store::postgres::data_version::{self, DataVersion};

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
    /// Start listening for the database at `url`, forgetting in `cache` what it announces and,
    /// with `data`, moving the resource data's version on every announcement.
    pub(crate) fn spawn(
        url: &str,
        cache: Arc<AuthCache>,
        data: Option<Arc<DataVersion>>,
    ) -> Result<Listener, StoreError> {
        let options = PgConnectOptions::from_str(url)?.application_name(APPLICATION_NAME);
        let heard = Heard { cache, data };
        Ok(Listener(tokio::spawn(listen(options, heard))))
    }
}

/// What the announcements change.
struct Heard {
    cache: Arc<AuthCache>,
    data: Option<Arc<DataVersion>>,
}

impl Heard {
    fn set_announced(&self, announced: bool) {
        self.cache.set_announced(announced);
        if let Some(data) = &self.data {
            data.set_announced(announced);
        }
    }

    /// A row changed: on the resource channel a table's, on the user channel a user's (whose
    /// name and flags resource rows show), or everyone's (`*`, or anything unexpected).
    fn announced(&self, channel: &str, payload: &str) {
        if let Some(data) = &self.data {
            data.changed();
        }
        if channel == data_version::CHANNEL {
            return;
        }
        match payload.parse::<i64>() {
            Ok(id) => self.cache.forget_user(id),
            Err(_) => self.cache.forget_all(),
        }
    }

    /// The connection was lost and made again: whatever was announced in between is lost.
    fn missed(&self) {
        self.cache.forget_all();
        if let Some(data) = &self.data {
            data.changed();
        }
    }
}

/// Listen for as long as the task lives, reconnecting after each failure.
async fn listen(options: PgConnectOptions, heard: Heard) {
    let mut warned = false;
    loop {
        match subscribe(&options).await {
            Ok(mut listener) => {
                // Listening from now on: what was kept before may have missed announcements.
                heard.set_announced(true);
                if warned {
                    tracing::info!("listening for changed users again");
                }
                let err = follow(&mut listener, &heard).await;
                heard.set_announced(false);
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

/// A connection listening on [`CHANNEL`] and on the resource tables' channel.
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
    listener
        .listen_all([CHANNEL, data_version::CHANNEL])
        .await?;
    Ok(listener)
}

/// Act on each announcement until the connection fails; the failure.
async fn follow(listener: &mut PgListener, heard: &Heard) -> sqlx::Error {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => {
                heard.announced(notification.channel(), notification.payload())
            }
            // The connection was lost and made again (listening anew): announcements made in
            // between are lost.
            Ok(None) => heard.missed(),
            Err(err) => return err,
        }
    }
}
