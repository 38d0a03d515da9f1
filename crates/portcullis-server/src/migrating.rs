//! A database's whole migration — the fixed tables, then the resources' tables — under the
//! database's migration lock, as `portcullis migrate` and `serve` run it; and `serve`'s way of
//! starting on a database that is down: answer 503 and retry in the background until the
//! migration has run, then serve.

use std::time::Duration;

use crate::resources::migration::Outcome;
use crate::state::AppState;
use crate::store::StoreError;

/// First and longest pause between two attempts at the startup migration.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LONGEST_RETRY: Duration = Duration::from_secs(5);

/// What a migration did.
#[derive(Debug, Default)]
pub struct Migrated {
    /// The fixed tables' migrations applied, by name.
    pub fixed: Vec<String>,
    /// The resources' changes applied, or refused (then nothing of the resources changed).
    pub resources: Outcome,
}

/// Migrate everything while holding the migration lock, so that two migrators never interleave
/// DDL: the second waits (up to `limits.migration_lock_wait_secs`), then finds nothing to do.
pub async fn migrate(state: &AppState, allow_destructive: bool) -> Result<Migrated, StoreError> {
    let store = state.store();
    // A database that cannot be reached says so at once, with the cause, instead of after the
    // pool's wait as "busy".
    store.migrations().probe().await?;
    let wait = Duration::from_secs(state.config().limits.migration_lock_wait_secs);
    let lock = store.migrations().lock_migrations(wait).await?;
    let migrated = async {
        let fixed = store.migrations().migrate().await?;
        let resources = state.migrate_resources(allow_destructive).await?;
        Ok(Migrated { fixed, resources })
    }
    .await;
    lock.release().await;
    migrated
}

/// `serve`'s startup migration once the first attempt met a database that is down (the store
/// is then marked not ready: every request is answered 503). Attempts go on with a growing
/// pause until one runs; the store serves again unless the migration refused a change (the
/// caller stops then, as `serve` stops at start). Any failure but an outage ends the attempts.
pub async fn retry_until_migrated(state: AppState) -> Result<Migrated, StoreError> {
    let mut pause = FIRST_RETRY;
    loop {
        tokio::time::sleep(pause).await;
        match migrate(&state, false).await {
            Ok(migrated) => {
                if migrated.resources.refused.is_empty() {
                    state.store().availability().set_ready(true);
                    tracing::info!("the database is back; startup migrations done, serving");
                }
                return Ok(migrated);
            }
            Err(e) if e.is_transient() => {
                tracing::debug!(error = %e, "the database is still unavailable");
                pause = (pause * 2).min(LONGEST_RETRY);
            }
            Err(e) => return Err(e),
        }
    }
}
