//! The `[email]` table: how mail leaves the server (Django's `EMAIL_BACKEND`, `EMAIL_HOST`...,
//! `DEFAULT_FROM_EMAIL`, as one SMTP URL), and the queue that keeps sending off the request path.

use serde::{Deserialize, Serialize};

/// Django's email backends that Portcullis has.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EmailBackend {
    /// `console.EmailBackend`: each mail printed to standard output (development).
    #[default]
    Console,
    /// `smtp.EmailBackend`: each mail sent to `smtp_url`.
    Smtp,
}

/// Mail delivery.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct EmailConfig {
    pub backend: EmailBackend,
    /// `smtp://user:password@host:587?tls=starttls` (`tls` is `starttls`, `tls` for
    /// implicit TLS, or `none`; `starttls` by default).
    pub smtp_url: String,
    /// `DEFAULT_FROM_EMAIL`.
    pub from: String,
    /// How many mails may wait to be sent; beyond, a mail is dropped with an error log.
    pub queue_size: usize,
    /// How many times a mail is tried before it is dropped.
    pub attempts: u32,
    /// Seconds before the second attempt; doubled at each further one.
    pub retry_delay_seconds: u64,
    /// Seconds one SMTP conversation may take.
    pub timeout_seconds: u64,
}

impl Default for EmailConfig {
    fn default() -> Self {
        EmailConfig {
            backend: EmailBackend::Console,
            smtp_url: "smtp://localhost:25?tls=none".into(),
            from: "webmaster@localhost".into(),
            queue_size: 1000,
            attempts: 5,
            retry_delay_seconds: 2,
            timeout_seconds: 30,
        }
    }
}

impl EmailConfig {
    pub(crate) fn check(&self, bad: &mut impl FnMut(&str, String)) {
        if self.from.parse::<lettre::message::Mailbox>().is_err() {
            bad(
                "email.from",
                format!("{:?} is not an email address", self.from),
            );
        }
        if self.backend == EmailBackend::Smtp
            && let Err(why) = crate::mail::smtp::transport(self)
        {
            bad("email.smtp_url", why);
        }
        if self.queue_size == 0 {
            bad("email.queue_size", "must be at least 1".into());
        }
        if self.attempts == 0 {
            bad("email.attempts", "must be at least 1".into());
        }
    }
}
