//! `[audit]`: how long the audit log of authentication events keeps its rows.

use serde::{Deserialize, Serialize};

/// The audit log's settings.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    /// Days an event is kept; older ones are purged hourly. 0 keeps every event.
    pub retention_days: u32,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig { retention_days: 90 }
    }
}
