//! Mail delivery off the request path, seen from a client: a mail server that is not up yet
//! still gets the mail on a retry, and one that accepts connections but never answers holds no
//! request, however many mails are waiting for it.

use std::time::Duration;

use crate::harness::smtp_server::{SmtpServer, free_port};
use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::EmailBackend;
use serde_json::json;

const RESET: &str = "/auth/users/reset_password/";

fn smtp_config(port: u16) -> Config {
    let mut config = Config::default();
    config.email.backend = EmailBackend::Smtp;
    config.email.smtp_url = format!("smtp://127.0.0.1:{port}?tls=none");
    config
}

#[tokio::test]
async fn a_mail_server_that_comes_up_late_gets_the_mail_on_a_retry() {
    let port = free_port();
    let mut config = smtp_config(port);
    // The first attempt is refused at once (nothing listens yet); the next comes a second later.
    config.email.retry_delay_seconds = 1;
    config.email.attempts = 5;
    let app = TestApp::with_config(config).await;
    app.register("alice", PASSWORD).await;
    let res = app
        .anon()
        .post(RESET, json!({"email": "alice@example.com"}))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    let Some(smtp) = SmtpServer::start_on(port) else {
        return;
    };
    let mails = smtp.wait_for(1).await;
    assert_eq!(mails[0]["to"], json!(["alice@example.com"]));
    assert!(
        mails[0]["subject"]
            .as_str()
            .is_some_and(|s| s.starts_with("Password reset")),
        "{}",
        mails[0]
    );
}

#[tokio::test]
async fn a_mail_server_that_never_answers_holds_no_request() {
    // Accepts connections and never says a word: each send waits for the SMTP greeting.
    let silent = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("a loopback port");
    let port = silent.local_addr().expect("its address").port();
    let held = tokio::spawn(async move {
        let mut conns = Vec::new();
        while let Ok((conn, _)) = silent.accept().await {
            conns.push(conn);
        }
    });
    let mut config = smtp_config(port);
    config.email.queue_size = 2;
    let app = TestApp::with_config(config).await;
    app.register("alice", PASSWORD).await;
    // More mails than the senders and the queue hold together: the last ones are dropped.
    let anon = app.anon();
    for _ in 0..12 {
        let reset = anon.post(RESET, json!({"email": "alice@example.com"}));
        // Not a speed assertion: a request that waited for the mail server would wait for
        // lettre's timeout (a minute by default); this only keeps such a failure from hanging.
        let res = tokio::time::timeout(Duration::from_secs(20), reset)
            .await
            .expect("the request was answered while the mail server stayed silent");
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
        assert!(res.body.is_empty());
    }
    held.abort();
}
