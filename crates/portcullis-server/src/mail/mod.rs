//! Mail delivery off the request path. A handler hands a [`Mail`] to [`Mailer::send`], which
//! only puts it in a bounded queue and returns; a background task sends it (over SMTP with
//! retries and a doubling delay, or to standard output). A slow or unreachable mail server
//! therefore never slows or fails a request, and a full queue drops the mail with an error
//! log rather than holding the request.

pub(crate) mod djoser_mails;
pub(crate) mod smtp;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use lettre::AsyncTransport;
use tokio::sync::{Semaphore, mpsc};

use crate::config::{EmailBackend, EmailConfig};

/// One mail: a text body and optionally its HTML alternative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Mail {
    pub(crate) to: String,
    pub(crate) subject: String,
    pub(crate) text: String,
    pub(crate) html: Option<String>,
}

/// How many mails are in an SMTP conversation at once: enough to keep one slow recipient
/// from holding the others, few enough not to flood the relay.
const CONCURRENT_SENDS: usize = 4;

/// The queue's sending end; the worker starts with the first mail (inside the runtime).
pub(crate) struct Mailer {
    config: EmailConfig,
    queue: OnceLock<mpsc::Sender<Mail>>,
}

impl Mailer {
    pub(crate) fn new(config: &EmailConfig) -> Mailer {
        Mailer {
            config: config.clone(),
            queue: OnceLock::new(),
        }
    }

    /// Queue `mail`; never waits. A full queue drops it (logged).
    pub(crate) fn send(&self, mail: Mail) {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::channel(self.config.queue_size.max(1));
            tokio::spawn(run(self.config.clone(), rx));
            tx
        });
        match queue.try_send(mail) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(mail)) => {
                tracing::error!(to = %mail.to, subject = %mail.subject, "mail queue full; mail dropped");
            }
            Err(mpsc::error::TrySendError::Closed(mail)) => {
                tracing::error!(to = %mail.to, subject = %mail.subject, "mail worker gone; mail dropped");
            }
        }
    }
}

/// The worker: each mail in its own task, at most [`CONCURRENT_SENDS`] at once.
async fn run(config: EmailConfig, mut queue: mpsc::Receiver<Mail>) {
    let transport = match config.backend {
        EmailBackend::Console => None,
        EmailBackend::Smtp => match smtp::transport(&config) {
            Ok(transport) => Some(transport),
            Err(why) => {
                // Refused at start by the configuration check; kept as a log line, not a panic.
                tracing::error!(%why, "email.smtp_url is unusable; mails are dropped");
                return;
            }
        },
    };
    let config = Arc::new(config);
    let slots = Arc::new(Semaphore::new(CONCURRENT_SENDS));
    while let Some(mail) = queue.recv().await {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let config = Arc::clone(&config);
        let transport = transport.clone();
        tokio::spawn(async move {
            deliver(&config, transport.as_ref(), mail).await;
            drop(slot);
        });
    }
}

/// Send one mail, retrying with a doubling delay; the last failure is logged.
async fn deliver(config: &EmailConfig, transport: Option<&smtp::Transport>, mail: Mail) {
    let message = match smtp::message(&config.from, &mail) {
        Ok(message) => message,
        Err(why) => {
            tracing::error!(to = %mail.to, %why, "mail not sent: cannot build the message");
            return;
        }
    };
    let Some(transport) = transport else {
        print_to_console(&message);
        return;
    };
    let mut delay = Duration::from_secs(config.retry_delay_seconds);
    for attempt in 1..=config.attempts {
        match transport.send(message.clone()).await {
            Ok(_) => {
                tracing::info!(to = %mail.to, subject = %mail.subject, attempt, "mail sent");
                return;
            }
            Err(e) if attempt < config.attempts && !e.is_permanent() => {
                tracing::warn!(to = %mail.to, attempt, error = %e, "mail not sent; retrying");
                tokio::time::sleep(delay).await;
                delay = delay.saturating_mul(2);
            }
            Err(e) => {
                tracing::error!(to = %mail.to, subject = %mail.subject, attempt, error = %e, "mail not sent; dropped");
                return;
            }
        }
    }
}

/// Django's console backend: the whole message, then a line of 79 dashes.
fn print_to_console(message: &lettre::Message) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // A closed stdout loses the mail, as Django's console backend would fail; nothing to do.
    let _ = out.write_all(console_text(message).as_bytes());
    let _ = out.flush();
}

/// What the console backend writes for `message`.
fn console_text(message: &lettre::Message) -> String {
    let formatted = String::from_utf8_lossy(&message.formatted()).into_owned();
    format!("{formatted}\n{}\n", "-".repeat(79))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_shows_the_whole_mail_then_79_dashes() {
        let mail = Mail {
            to: "alice@example.com".into(),
            subject: "Password reset on localhost".into(),
            text: "http://localhost/#/password/reset/confirm/MQ/abc-123".into(),
            html: Some("<p>hi</p>".into()),
        };
        let message = smtp::message("webmaster@localhost", &mail).expect("a message");
        let text = console_text(&message);
        assert!(
            text.contains("Subject: Password reset on localhost\r\n"),
            "{text}"
        );
        assert!(text.contains("To: alice@example.com\r\n"), "{text}");
        assert!(text.contains("Content-Transfer-Encoding: 7bit"), "{text}");
        assert!(
            text.contains("http://localhost/#/password/reset/confirm/MQ/abc-123"),
            "{text}"
        );
        assert!(text.ends_with(&format!("\n{}\n", "-".repeat(79))), "{text}");
    }
}
