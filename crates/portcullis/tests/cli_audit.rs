//! The command line's changes are audited as the HTTP ones are: `createsuperuser`,
//! `changepassword`, `token create --reset` and `user deactivate|activate` each write their
//! events, with `detail.actor` "cli" and no client address or user agent, as staff then read
//! them at `GET /api/admin/audit/` over real HTTP. The import's summary event is checked in
//! `import_django.rs`.
#![allow(clippy::unwrap_used)]

use std::path::Path;

mod support;
#[allow(dead_code)]
mod workdir;

use serde_json::{Value, json};
use support::http::{request, serve};
use workdir::{Workdir, portcullis, run, run_with_input, stderr, stdout};

const PASSWORD: &str = "admin-pass-123";
const NEW_PASSWORD: &str = "Fresh-Pass-2024!";

fn createsuperuser(dir: &Path, name: &str) {
    let output = portcullis(dir)
        .args(["createsuperuser", "--noinput", "--username", name])
        .args(["--email", &format!("{name}@example.com")])
        .env("PORTCULLIS_SUPERUSER_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

fn succeeds(dir: &Path, args: &[&str]) -> String {
    let output = run(dir, args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    stdout(&output)
}

/// `(event, username, detail)` of every row of the log, oldest first.
fn log_rows(page: &Value) -> Vec<(String, String, Value)> {
    let rows = page["results"].as_array().unwrap();
    for row in rows {
        assert_eq!(row["client_addr"], "", "{row}");
        assert_eq!(row["user_agent"], "", "{row}");
    }
    rows.iter()
        .rev()
        .map(|r| {
            let text = |v: &Value| v.as_str().unwrap().to_string();
            (text(&r["event"]), text(&r["username"]), r["detail"].clone())
        })
        .collect()
}

#[test]
fn the_command_lines_changes_are_in_the_audit_log_with_actor_cli() {
    let dir = Workdir::new();
    createsuperuser(dir.path(), "admin");
    createsuperuser(dir.path(), "ops");
    let answers = format!("{NEW_PASSWORD}\n{NEW_PASSWORD}\n");
    let changed = run_with_input(dir.path(), &["changepassword", "ops"], &answers);
    assert!(changed.status.success(), "{}", stderr(&changed));
    let printed = succeeds(dir.path(), &["token", "create", "admin", "--reset"]);
    let key = printed
        .strip_prefix("Generated token ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    succeeds(dir.path(), &["user", "deactivate", "ops"]);
    succeeds(dir.path(), &["user", "activate", "ops"]);
    // Already active: nothing changes, nothing is logged.
    succeeds(dir.path(), &["user", "activate", "ops"]);

    let url = workdir::database_url(dir.path()).unwrap_or_else(|| {
        format!(
            "sqlite://{}",
            dir.path().join("portcullis.sqlite3").display()
        )
    });
    let (_server, port) = serve(dir.path(), &url);
    let page = request(port, "GET", "/api/admin/audit/", Some(&key), "");
    assert_eq!(page.status, 200, "{}", page.body);
    let page: Value = serde_json::from_str(&page.body).unwrap();
    let cli = |more: Value| {
        let mut detail = more;
        detail["actor"] = json!("cli");
        detail
    };
    let flags = json!({"is_active": true, "is_staff": true, "is_superuser": true});
    let token = json!({"kind": "token"});
    let expected = [
        ("user_created", "admin", cli(flags.clone())),
        ("token_created", "admin", cli(token.clone())),
        ("user_created", "ops", cli(flags)),
        ("token_created", "ops", cli(token.clone())),
        ("password_changed", "ops", cli(json!({}))),
        ("token_revoked", "admin", cli(token.clone())),
        ("token_created", "admin", cli(token)),
        ("user_deactivated", "ops", cli(json!({}))),
        ("user_activated", "ops", cli(json!({}))),
    ];
    let expected: Vec<(String, String, Value)> = expected
        .into_iter()
        .map(|(e, u, d)| (e.to_string(), u.to_string(), d))
        .collect();
    assert_eq!(log_rows(&page), expected);
    let text = page.to_string();
    for secret in [PASSWORD, NEW_PASSWORD, key.as_str()] {
        assert!(!text.contains(secret), "the log shows a secret");
    }
}
