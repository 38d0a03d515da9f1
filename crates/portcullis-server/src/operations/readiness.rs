//! Readiness: whether this instance should be sent traffic, that is whether its database answers
//! and every migration is applied. A load balancer polls it, so each check is bounded by a short
//! timeout: a database that hangs makes the answer a 503, not a poll that never returns.

use std::time::Duration;

use serde_json::{Value, json};

use crate::state::AppState;

/// How long each step of the check may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(2);

/// `Ok` with the body of a 200, or `Err` with the body of a 503 naming what is wrong.
pub(crate) async fn check(state: &AppState) -> Result<Value, Value> {
    let store = state.store();
    let database = bounded(store.migrations().probe()).await.err();
    // The fixed tables' migrations, read from the database (a failure here is the database's).
    let (database, pending) = match database {
        Some(why) => (Some(why), None),
        None => match bounded(store.migrations().pending_migrations()).await {
            Ok(pending) => (None, Some(pending)),
            Err(why) => (Some(why), None),
        },
    };
    let availability = store.availability();
    // Not ready and not in an outage: `serve` is still applying (or waiting to apply) the
    // startup migrations, the resources' included.
    let starting = !availability.serves() && !availability.is_down();
    let migrations = match pending {
        None => "unknown".to_string(),
        Some(pending) if !pending.is_empty() => format!("pending: {}", pending.join(", ")),
        Some(_) if starting => "the startup migrations have not run yet".to_string(),
        Some(_) => "applied".to_string(),
    };
    let database = match database {
        Some(why) => why,
        None if availability.is_down() => "recovering from an outage".to_string(),
        None => "ok".to_string(),
    };
    let ok = database == "ok" && migrations == "applied";
    let body = json!({
        "status": if ok { "ok" } else { "unavailable" },
        "database": database,
        "migrations": migrations,
    });
    if ok { Ok(body) } else { Err(body) }
}

/// The step's outcome, or what went wrong in words anyone may read. `/readyz` answers every
/// client: the driver's own message (a host name, a port, a role) goes to the log, with the
/// request's id, not into the answer.
async fn bounded<T>(
    step: impl Future<Output = Result<T, crate::store::StoreError>>,
) -> Result<T, String> {
    match tokio::time::timeout(STEP_TIMEOUT, step).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the database step failed");
            Err(if e.is_transient() {
                "unavailable".to_string()
            } else {
                "failed (see the server's log)".to_string()
            })
        }
        Err(_) => Err(format!("no answer within {} s", STEP_TIMEOUT.as_secs_f32())),
    }
}
