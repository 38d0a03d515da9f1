//! Two `portcullis serve` processes on one PostgreSQL, over real TCP, as two instances behind a
//! load balancer: each kind of revocation made through one instance (a DRF token logged out, a
//! JWT `logout_all`, a password change, a user deleted) or by another process (`portcullis user deactivate`) is
//! refused by the other within one second, although both keep authentication lookups for a
//! minute here: only PostgreSQL's `NOTIFY` can explain the refusal. Throttle counters shared
//! through Redis across processes are tested in `cli.rs`.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::http::{Answer, Server, portcullis, request, serve_with};
use support::pg_server::PgServer;

const PASSWORD: &str = "kV7#mountain-Lamp";

/// Long enough that a refusal within a second cannot come from the cache expiring.
const CACHE_MS: &str = "60000";

/// Two instances (A and B) on the database at `url`; their ports.
fn two_instances(dir: &Path, url: &str) -> [(Server, u16); 2] {
    let env = [
        ("PORTCULLIS_LIMITS__AUTH_CACHE_MS", CACHE_MS),
        // A password change logs the user out everywhere (djoser's LOGOUT_ON_PASSWORD_CHANGE).
        ("PORTCULLIS_JWT__REVOKE_ON_PASSWORD_CHANGE", "true"),
    ];
    let a = serve_with(dir, url, &env, "a.log");
    let b = serve_with(dir, url, &env, "b.log");
    [a, b]
}

fn post(port: u16, path: &str, auth: Option<&str>, body: &str) -> Answer {
    request(port, "POST", path, auth, body)
}

fn credentials(username: &str) -> String {
    format!(r#"{{"username":"{username}","password":"{PASSWORD}"}}"#)
}

/// `GET /auth/users/me/` with a DRF token.
fn me(port: u16, token: &str) -> Answer {
    request(port, "GET", "/auth/users/me/", Some(token), "")
}

fn json(answer: &Answer, key: &str) -> String {
    let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    body[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {}", answer.body))
        .to_string()
}

/// A registered user's DRF token, logged in on `port`.
fn user_with_token(port: u16, username: &str) -> String {
    assert_eq!(
        post(port, "/auth/users/", None, &credentials(username)).status,
        201
    );
    let login = post(port, "/api-token-auth/", None, &credentials(username));
    assert_eq!(login.status, 200, "{}", login.body);
    json(&login, "token")
}

/// Poll `attempt` every 50 ms until it answers 401; how long that took (at most a second).
fn refused_within_a_second(mut attempt: impl FnMut() -> Answer) -> Duration {
    let start = Instant::now();
    loop {
        let answer = attempt();
        if answer.status == 401 {
            return start.elapsed();
        }
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "still accepted after {:?}",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The other instance has read (and cached) the credential: it is accepted there first.
fn accepted_on(port: u16, token: &str) {
    let answer = me(port, token);
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[test]
fn revocations_through_one_instance_or_another_process_reach_the_other_within_a_second() {
    let Some(mut pg) = PgServer::init() else {
        return;
    };
    pg.start();
    let dir = tempfile::tempdir().unwrap();
    let [(_a, a), (_b, b)] = two_instances(dir.path(), &pg.url());

    // A DRF token logged out on A.
    let token = user_with_token(a, "ada");
    accepted_on(b, &token);
    assert_eq!(post(a, "/auth/token/logout/", Some(&token), "").status, 204);
    refused_within_a_second(|| me(b, &token));

    // Log out everywhere on A: the new token goes, on B too.
    let login = post(a, "/api-token-auth/", None, &credentials("ada"));
    let token = json(&login, "token");
    accepted_on(b, &token);
    assert_eq!(post(a, "/auth/logout_all/", Some(&token), "").status, 204);
    refused_within_a_second(|| me(b, &token));

    // A password changed through djoser on A.
    let token = json(
        &post(a, "/api-token-auth/", None, &credentials("ada")),
        "token",
    );
    accepted_on(b, &token);
    let body = format!(r#"{{"current_password":"{PASSWORD}","new_password":"{PASSWORD}-2"}}"#);
    let changed = post(a, "/auth/users/set_password/", Some(&token), &body);
    assert_eq!(changed.status, 204, "{}", changed.body);
    refused_within_a_second(|| me(b, &token));

    // A user deactivated by another process (the command line) on the same database.
    let token = user_with_token(a, "grace");
    accepted_on(b, &token);
    let deactivate = portcullis(dir.path(), &pg.url())
        .args(["user", "deactivate", "grace"])
        .output()
        .unwrap();
    assert!(deactivate.status.success(), "{deactivate:?}");
    refused_within_a_second(|| me(b, &token));

    // A user deleting itself on A.
    let token = user_with_token(a, "linus");
    accepted_on(b, &token);
    let body = format!(r#"{{"current_password":"{PASSWORD}"}}"#);
    let deleted = request(a, "DELETE", "/auth/users/me/", Some(&token), &body);
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    refused_within_a_second(|| me(b, &token));
}
