//! The audit writer: one task per application that takes what handlers queued and writes it
//! in batches (one transaction per batch, so a login flood costs the database one commit per
//! batch, not one per event), and purges events past the retention once an hour.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::Message;
use crate::store::Store;
use crate::store::audit::AuditWrite;
use crate::store::timestamp::to_db;

/// Most writes in one transaction.
const BATCH: usize = 256;
/// Waits before the retries of a failed batch.
const RETRIES: [Duration; 3] = [
    Duration::from_millis(100),
    Duration::from_secs(1),
    Duration::from_secs(5),
];
const PURGE_EVERY: Duration = Duration::from_secs(3600);

pub(super) async fn run(store: Store, retention_days: u32, mut queue: mpsc::Receiver<Message>) {
    // Purged first, before anything queued is written, then every hour.
    purge_old(&store, retention_days).await;
    let mut purge =
        tokio::time::interval_at(tokio::time::Instant::now() + PURGE_EVERY, PURGE_EVERY);
    purge.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            first = queue.recv() => {
                let Some(first) = first else { return };
                let mut batch = Vec::new();
                let mut flushes = Vec::new();
                take(first, &mut batch, &mut flushes);
                while batch.len() < BATCH {
                    match queue.try_recv() {
                        Ok(next) => take(next, &mut batch, &mut flushes),
                        Err(_) => break,
                    }
                }
                write(&store, &batch).await;
                for done in flushes {
                    let _ = done.send(());
                }
            }
            _ = purge.tick() => purge_old(&store, retention_days).await,
        }
    }
}

fn take(message: Message, batch: &mut Vec<AuditWrite>, flushes: &mut Vec<oneshot::Sender<()>>) {
    match message {
        Message::Write(write) => batch.push(write),
        Message::Flush(done) => flushes.push(done),
    }
}

/// Write a batch, retrying; a batch the database keeps refusing goes to the log instead.
async fn write(store: &Store, batch: &[AuditWrite]) {
    if batch.is_empty() {
        return;
    }
    let mut last = None;
    for wait in RETRIES.iter().copied().chain([Duration::ZERO]) {
        match store.audit().audit_write(batch).await {
            Ok(()) => return,
            Err(err) => {
                last = Some(err);
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
    let error = last.map(|e| e.to_string()).unwrap_or_default();
    for write in batch {
        if let AuditWrite::Event(e) = write {
            tracing::error!(
                error = error.as_str(),
                at = e.at.as_str(),
                event = e.event,
                user_id = e.user_id,
                username = e.username.as_str(),
                client_addr = e.client_addr.as_str(),
                user_agent = e.user_agent.as_str(),
                detail = e.detail.as_str(),
                "audit event not written to the database"
            );
        }
    }
}

async fn purge_old(store: &Store, retention_days: u32) {
    if retention_days == 0 {
        return;
    }
    let before = time::OffsetDateTime::now_utc() - time::Duration::days(i64::from(retention_days));
    match store.audit().audit_purge(&to_db(before)).await {
        Ok(0) => {}
        Ok(purged) => tracing::info!(purged, "purged audit events past their retention"),
        // An outage is reported once, by the store's availability: the next purge catches up.
        Err(err) if err.is_transient() => {
            tracing::debug!(error = %err, "old audit events not purged: the database is away")
        }
        Err(err) => tracing::warn!(error = %err, "could not purge old audit events"),
    }
}
