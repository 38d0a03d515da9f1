//! Events of changes made outside any request: by the command line (`createsuperuser`,
//! `changepassword`, `token create`, `user activate|deactivate`) and by `import-django`, which
//! write to the database directly. There is no client: the address and the user agent are
//! empty and `detail.actor` is `"cli"`. The event is written at once rather than through the
//! writer's queue, which belongs to a serving process; the change is made by then, so a write
//! that fails is reported to the operator rather than dropped.

use anyhow::Context;
use serde_json::{Value, json};

use super::{Event, truncate};
use crate::state::AppState;
use crate::store::User;
use crate::store::audit::{AuditRecord, AuditWrite};
use crate::store::timestamp::now_db;

/// Record `event` about `user` (none: an event about no one account, as an import), made by
/// the command line; `detail` (an object, never a secret) gains `"actor": "cli"`.
pub(crate) async fn cli_event(
    state: &AppState,
    event: Event,
    user: Option<&User>,
    detail: Value,
) -> anyhow::Result<()> {
    let mut detail = detail;
    if let Value::Object(map) = &mut detail {
        map.insert("actor".into(), json!("cli"));
    }
    let record = AuditRecord {
        at: now_db(),
        event: event.name(),
        user_id: user.map(|u| u.id),
        username: truncate(user.map(|u| u.username.as_str()).unwrap_or(""), 150),
        client_addr: String::new(),
        user_agent: String::new(),
        detail: detail.to_string(),
    };
    state
        .store()
        .audit()
        .audit_write(&[AuditWrite::Event(record)])
        .await
        .with_context(|| {
            format!(
                "the change was made, but its audit event ({}) could not be written",
                event.name()
            )
        })
}
