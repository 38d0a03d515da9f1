//! The SMTP connection `[email] smtp_url` names, and one mail as lettre builds it (Django's
//! `EmailMultiAlternatives`: a text body and, when there is one, an HTML alternative).

use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Message, Tokio1Executor};
use percent_encoding::percent_decode_str;

use super::Mail;
use crate::config::EmailConfig;

pub(crate) type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// How the connection is secured (`?tls=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    StartTls,
    Implicit,
    None,
}

/// The transport of `smtp://[user[:password]@]host[:port][?tls=starttls|tls|none]`; the
/// reason when the URL is not one.
pub(crate) fn transport(config: &EmailConfig) -> Result<Transport, String> {
    let url = &config.smtp_url;
    let rest = url
        .strip_prefix("smtp://")
        .ok_or_else(|| format!("{url:?} does not start with smtp://"))?;
    let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
    let authority = authority.trim_end_matches('/');
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => (Some(userinfo), hostport),
        None => (None, authority),
    };
    let mut security = Security::StartTls;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match (key.as_ref(), value.as_ref()) {
            ("tls", "starttls") => security = Security::StartTls,
            ("tls", "tls") => security = Security::Implicit,
            ("tls", "none") => security = Security::None,
            _ => {
                return Err(format!(
                    "unknown parameter {key}={value} (tls=starttls|tls|none)"
                ));
            }
        }
    }
    let (host, port) = split_host_port(hostport)?;
    let port = port.unwrap_or(match security {
        Security::StartTls => 587,
        Security::Implicit => 465,
        Security::None => 25,
    });
    let tls = || TlsParameters::new(host.clone()).map_err(|e| format!("TLS for {host}: {e}"));
    let builder = Transport::builder_dangerous(host.as_str())
        .port(port)
        .timeout(Some(Duration::from_secs(config.timeout_seconds)));
    let builder = match security {
        Security::StartTls => builder.tls(Tls::Required(tls()?)),
        Security::Implicit => builder.tls(Tls::Wrapper(tls()?)),
        Security::None => builder.tls(Tls::None),
    };
    let builder = match userinfo {
        Some(userinfo) => {
            let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            builder.credentials(Credentials::new(decode(user), decode(password)))
        }
        None => builder,
    };
    Ok(builder.build())
}

fn split_host_port(hostport: &str) -> Result<(String, Option<u16>), String> {
    let (host, port) = match hostport.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || hostport.starts_with('[') => {
            let port = port
                .parse::<u16>()
                .map_err(|_| format!("{port:?} is not a port"))?;
            (host, Some(port))
        }
        _ => (hostport, None),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err("the URL names no host".into());
    }
    Ok((host.to_owned(), port))
}

/// The mail as sent: `From`, `To`, `Subject`, `Date`, and the text (with its HTML alternative).
pub(crate) fn message(from: &str, mail: &Mail) -> Result<Message, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("from: {e}"))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| format!("to {:?}: {e}", mail.to))?;
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(&mail.subject)
        .message_id(None);
    let text = part(ContentType::TEXT_PLAIN, &mail.text);
    let built = match &mail.html {
        Some(html) => builder.multipart(
            MultiPart::alternative()
                .singlepart(text)
                .singlepart(part(ContentType::TEXT_HTML, html)),
        ),
        None => builder.singlepart(text),
    };
    built.map_err(|e| e.to_string())
}

/// One body part, `7bit` as Django writes djoser's mails whenever the text allows it (the links
/// stay whole, unwrapped, in the raw message); lettre's choice otherwise.
fn part(kind: ContentType, text: &str) -> SinglePart {
    let body = Body::new_with_encoding(text.to_owned(), ContentTransferEncoding::SevenBit)
        .unwrap_or_else(|_| Body::new(text.to_owned()));
    SinglePart::builder().header(kind).body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> EmailConfig {
        EmailConfig {
            smtp_url: url.into(),
            ..EmailConfig::default()
        }
    }

    #[test]
    fn smtp_urls_are_read_or_refused_with_a_reason() {
        for good in [
            "smtp://localhost:2525?tls=none",
            "smtp://user:p%40ss@mail.example.com:587?tls=starttls",
            "smtp://mail.example.com?tls=tls",
            "smtp://[::1]:25?tls=none",
        ] {
            assert!(transport(&config(good)).is_ok(), "{good}");
        }
        for bad in [
            "http://localhost",
            "smtp://localhost:x",
            "smtp://localhost?tls=maybe",
            "smtp://",
        ] {
            assert!(transport(&config(bad)).is_err(), "{bad}");
        }
    }
}
