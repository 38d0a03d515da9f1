//! The audit log of authentication events and the record of which client each session was
//! issued to. Handlers call [`record`] (and [`session_issued`], [`session_used`]); the rows are
//! written by one writer task (`writer.rs`) in batches, off the request's path.
//!
//! What is never lost silently: an event is queued on a bounded channel with `send().await`,
//! so a request whose change committed waits for room in the queue (only when the writer is
//! thousands of events behind) rather than drop its event; the writer retries a failed batch
//! and, if the database keeps refusing it, logs every event of it at `error` level with its
//! fields, so the log holds what the table could not. What a kill of the process loses is
//! the queue of the last moments (milliseconds), as any buffered log does. "Last used" is
//! advisory and is dropped instead when the queue is full.

pub(crate) mod events;
pub(crate) mod outside;
mod writer;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use crate::http::ApiRequest;
use crate::store::Store;
use crate::store::audit::{AuditRecord, AuditWrite, SessionClient};
use crate::store::timestamp::now_db;

/// Events queued before a request waits for the writer.
const QUEUE: usize = 4096;
/// A user agent is kept up to this many characters.
pub(crate) const USER_AGENT_CHARS: usize = 200;
/// A session's "last used" is written at most this often.
const TOUCH_EVERY: Duration = Duration::from_secs(60);
/// Sessions whose last touch is remembered; the memory is cleared past it (costing at most
/// one extra write per session).
const TOUCHED_MAX: usize = 100_000;

/// The events, by the name the log and its `event` filter use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    Login,
    LoginFailed,
    Logout,
    LogoutAll,
    TokenCreated,
    TokenRevoked,
    PasswordChanged,
    UsernameChanged,
    UserActivated,
    UserDeactivated,
    StaffChanged,
    SuperuserChanged,
    GroupsChanged,
    PermissionsChanged,
    SessionEnded,
    UserCreated,
    UserDeleted,
    DjangoImported,
}

impl Event {
    pub(crate) const ALL: &'static [Event] = &[
        Event::Login,
        Event::LoginFailed,
        Event::Logout,
        Event::LogoutAll,
        Event::TokenCreated,
        Event::TokenRevoked,
        Event::PasswordChanged,
        Event::UsernameChanged,
        Event::UserActivated,
        Event::UserDeactivated,
        Event::StaffChanged,
        Event::SuperuserChanged,
        Event::GroupsChanged,
        Event::PermissionsChanged,
        Event::SessionEnded,
        Event::UserCreated,
        Event::UserDeleted,
        Event::DjangoImported,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Event::Login => "login",
            Event::LoginFailed => "login_failed",
            Event::Logout => "logout",
            Event::LogoutAll => "logout_all",
            Event::TokenCreated => "token_created",
            Event::TokenRevoked => "token_revoked",
            Event::PasswordChanged => "password_changed",
            Event::UsernameChanged => "username_changed",
            Event::UserActivated => "user_activated",
            Event::UserDeactivated => "user_deactivated",
            Event::StaffChanged => "staff_changed",
            Event::SuperuserChanged => "superuser_changed",
            Event::GroupsChanged => "groups_changed",
            Event::PermissionsChanged => "permissions_changed",
            Event::SessionEnded => "session_ended",
            Event::UserCreated => "user_created",
            Event::UserDeleted => "user_deleted",
            Event::DjangoImported => "django_imported",
        }
    }
}

/// What the writer task is sent.
enum Message {
    Write(AuditWrite),
    /// Answered once everything queued before it is written.
    Flush(oneshot::Sender<()>),
}

/// The audit log's handle in `AppState`: the queue to the writer, started on first use.
pub(crate) struct Audit {
    store: Store,
    retention_days: u32,
    sender: OnceLock<mpsc::Sender<Message>>,
    touched: Mutex<HashMap<String, Instant>>,
}

impl Audit {
    pub(crate) fn new(store: Store, retention_days: u32) -> Audit {
        Audit {
            store,
            retention_days,
            sender: OnceLock::new(),
            touched: Mutex::new(HashMap::new()),
        }
    }

    /// The queue, with its writer task spawned on first use (a request always runs on the
    /// runtime; `AppState` may be built before one exists).
    fn sender(&self) -> &mpsc::Sender<Message> {
        self.sender.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(QUEUE);
            tokio::spawn(writer::run(
                self.store.clone(),
                self.retention_days,
                receiver,
            ));
            sender
        })
    }

    /// Queue a write, waiting for room rather than dropping it.
    async fn write(&self, write: AuditWrite) {
        if self.sender().send(Message::Write(write)).await.is_err() {
            tracing::error!("the audit writer has stopped; an event was not recorded");
        }
    }

    /// Wait until everything queued so far is written (the staff list reads its own writes).
    pub(crate) async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.sender().send(Message::Flush(done)).await.is_ok() {
            // A writer that stopped drops the answer: nothing more to wait for.
            let _ = wait.await;
        }
    }

    /// Record that a session was used now, at most once a minute per session and never
    /// waiting: "last used" is advisory.
    pub(crate) fn used(&self, kind: &'static str, reference: &str) {
        let now = Instant::now();
        {
            let Ok(mut touched) = self.touched.lock() else {
                return;
            };
            if touched
                .get(reference)
                .is_some_and(|at| now.duration_since(*at) < TOUCH_EVERY)
            {
                return;
            }
            if touched.len() >= TOUCHED_MAX {
                touched.clear();
            }
            touched.insert(reference.to_string(), now);
        }
        let touch = AuditWrite::Touch {
            kind,
            reference: reference.to_string(),
            at: now_db(),
        };
        // Full queue: this touch is dropped; the next use after a minute writes it.
        let _ = self.sender().try_send(Message::Write(touch));
    }
}

/// Who made a request: the address the throttle identifies it by (`X-Forwarded-For` only
/// through `throttle.num_proxies` trusted proxies) and its user agent, truncated.
pub(crate) fn client_of(req: &ApiRequest) -> (String, String) {
    let addr = crate::http::throttle::client_ident(
        &req.headers,
        req.client,
        req.state.config().throttle.num_proxies,
    );
    let agent = req
        .headers
        .get(axum::http::header::USER_AGENT)
        .map(|v| crate::http::request::latin1(v.as_bytes()))
        .unwrap_or_default();
    (truncate(&addr, 64), truncate(&agent, USER_AGENT_CHARS))
}

pub(crate) fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// Record an event of `user_id` (when known; `username` is the name given or the user's).
/// `detail` is a JSON object saying what changed; it must never hold a secret.
pub(crate) async fn record(
    req: &ApiRequest,
    event: Event,
    user_id: Option<i64>,
    username: &str,
    detail: Value,
) {
    let (client_addr, user_agent) = client_of(req);
    let record = AuditRecord {
        at: now_db(),
        event: event.name(),
        user_id,
        username: truncate(username, 150),
        client_addr,
        user_agent,
        detail: detail.to_string(),
    };
    req.state.audit().write(AuditWrite::Event(record)).await;
}

/// Record the client a session was issued to: `kind` "token" with the token's keyed digest,
/// or "jwt" with the refresh token's `jti` and the revocation epoch it carries.
pub(crate) async fn session_issued(
    req: &ApiRequest,
    kind: &'static str,
    reference: String,
    user_id: i64,
    epoch: i64,
) {
    let (client_addr, user_agent) = client_of(req);
    let client = SessionClient {
        kind,
        reference,
        user_id,
        at: now_db(),
        client_addr,
        user_agent,
        epoch,
    };
    req.state.audit().write(AuditWrite::Session(client)).await;
}
