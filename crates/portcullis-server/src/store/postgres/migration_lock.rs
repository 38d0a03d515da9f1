//! PostgreSQL's migration lock: a session-level `pg_advisory_lock` on a fixed key, held on a
//! connection of its own for the whole migration (the fixed tables and the resources' DDL,
//! which run on the pools meanwhile). Not on a pooled connection: one going back to its pool
//! would keep the lock, and one lost with its pool could not release it. Advisory locks are
//! scoped to a database, so instances of other projects on the same server never wait for it.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection, Executor};

use crate::store::StoreError;
use crate::store::migration_lock::{HeldLock, MigrationLock};

/// The lock's key: "portcull" in ASCII (sqlx's migrator locks its own key, derived from the
/// database's name, inside this one).
const KEY: i64 = 0x706f_7274_6375_6c6c;

/// PostgreSQL's `lock_not_available`: `pg_advisory_lock` waited past `lock_timeout`.
const LOCK_NOT_AVAILABLE: &str = "55P03";

/// Take the lock, waiting up to `wait` for another migrator to release it.
pub(super) async fn lock(
    options: &PgConnectOptions,
    wait: Duration,
) -> Result<MigrationLock, StoreError> {
    // Waiting is this connection's purpose: no "slow statement" warning for it.
    let options = options.clone().disable_statement_logging();
    let mut conn = PgConnection::connect_with(&options).await?;
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(KEY)
        .fetch_one(&mut conn)
        .await?;
    if !free {
        let wait_secs = wait.as_secs();
        tracing::info!(
            wait_secs,
            "another migrator holds the migration lock; waiting for it to finish"
        );
        // `lock_timeout` bounds the wait of `pg_advisory_lock` (this connection's only).
        let setting = format!("SET lock_timeout = {}", wait.as_millis().max(1));
        conn.execute(sqlx::AssertSqlSafe(setting)).await?;
        let waited = sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(KEY)
            .execute(&mut conn)
            .await;
        match waited {
            Ok(_) => tracing::info!("the other migrator finished; migrating"),
            Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some(LOCK_NOT_AVAILABLE) => {
                return Err(StoreError::MigrationLocked(wait_secs));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(MigrationLock::held(Box::new(Held { conn })))
}

/// The connection holding the lock. Dropped without `release`, it closes, and the server
/// releases a closed session's advisory locks.
struct Held {
    conn: PgConnection,
}

impl HeldLock for Held {
    fn release(self: Box<Self>) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(async move {
            let mut conn = self.conn;
            let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(KEY)
                .execute(&mut conn)
                .await;
            if let Err(e) = unlocked {
                // Closing the session releases it all the same.
                tracing::warn!(error = %e, "could not release the migration lock; closing its connection");
            }
            let _ = conn.close().await;
        })
    }
}
