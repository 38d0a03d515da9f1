//! The `portcullis` binary end to end, each test in a fresh working directory (where the default
//! configuration keeps `portcullis.sqlite3` and `portcullis.secret`): `migrate`,
//! `createsuperuser --noinput`, `token create`, `changepassword` with answers on stdin, `check`
//! on a bad configuration, and `serve` answering real HTTP. Throttle counters shared through
//! Redis by two `serve` processes are in `throttle_redis.rs`.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

mod support;
#[allow(dead_code)]
mod workdir;

use support::http::Server;
use workdir::{Workdir, portcullis, run, run_with_input, stderr, stdout};

const ADMIN_PASSWORD: &str = "admin-pass-123";

fn create_admin(dir: &Path) {
    let output = portcullis(dir)
        .args(["createsuperuser", "--noinput", "--username", "admin"])
        .args(["--email", "admin@example.com"])
        .env("PORTCULLIS_SUPERUSER_PASSWORD", ADMIN_PASSWORD)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "Superuser created successfully.\n");
}

/// The key of "Generated token <key> for user admin".
fn token_create(dir: &Path, args: &[&str]) -> String {
    let output = run(dir, &[&["token", "create", "admin"], args].concat());
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let key = text
        .strip_prefix("Generated token ")
        .and_then(|rest| rest.strip_suffix(" for user admin\n"))
        .unwrap_or_else(|| panic!("unexpected output: {text:?}"));
    assert_eq!(key.len(), 40, "{key}");
    assert!(key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    key.to_string()
}

#[test]
fn migrate_applies_once_then_has_nothing_to_do() {
    let dir = Workdir::new();
    let first = run(dir.path(), &["migrate"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let text = stdout(&first);
    assert!(text.starts_with("Operations to perform:\n"), "{text}");
    assert!(text.contains("  Applying 0001_accounts... OK\n"), "{text}");
    assert_eq!(
        dir.path().join("portcullis.sqlite3").exists(),
        !workdir::on_postgres()
    );

    let second = run(dir.path(), &["migrate"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(
        stdout(&second),
        "Operations to perform:\n  No migrations to apply.\n"
    );
}

#[test]
fn createsuperuser_noinput_and_tokens() {
    let dir = Workdir::new();
    create_admin(dir.path());

    let again = portcullis(dir.path())
        .args(["createsuperuser", "--noinput", "--username", "admin"])
        .env("PORTCULLIS_SUPERUSER_PASSWORD", ADMIN_PASSWORD)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(stderr(&again).contains("That username is already taken."));
    let nameless = run(dir.path(), &["createsuperuser", "--noinput"]);
    assert!(!nameless.status.success());
    assert!(stderr(&nameless).contains("You must use --username with --noinput."));

    let key = token_create(dir.path(), &[]);
    assert_eq!(token_create(dir.path(), &[]), key);
    let reset = token_create(dir.path(), &["--reset"]);
    assert_ne!(reset, key);
    assert_eq!(token_create(dir.path(), &[]), reset);

    let ghost = run(dir.path(), &["token", "create", "ghost"]);
    assert!(!ghost.status.success());
    assert!(stderr(&ghost).contains("user 'ghost' does not exist"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let secret = std::fs::metadata(dir.path().join("portcullis.secret")).unwrap();
        assert_eq!(secret.permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn changepassword_reads_its_answers_from_stdin() {
    let dir = Workdir::new();
    create_admin(dir.path());

    // A mismatch, then a password Django's validators refuse, then a good one.
    let answers = "Fresh-Pass-2024!\nother\n123\n123\nFresh-Pass-2024!\nFresh-Pass-2024!\n";
    let output = run_with_input(dir.path(), &["changepassword", "admin"], answers);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "Changing password for user 'admin'\nPassword changed successfully for user 'admin'\n"
    );
    let err = stderr(&output);
    assert!(
        err.contains("Passwords do not match. Please try again."),
        "{err}"
    );
    assert!(err.contains("This password is too short."), "{err}");
    assert!(err.contains("This password is entirely numeric."), "{err}");

    let three_misses = "a1\nb2\nc3\nd4\ne5\nf6\n";
    let output = run_with_input(dir.path(), &["changepassword", "admin"], three_misses);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("Aborting password change for user 'admin' after 3 attempts"));

    let ghost = run_with_input(dir.path(), &["changepassword", "ghost"], answers);
    assert!(!ghost.status.success());
    assert!(stderr(&ghost).contains("user 'ghost' does not exist"));
}

#[test]
fn check_names_the_bad_key() {
    let dir = Workdir::new();
    let good = run(dir.path(), &["check"]);
    assert!(good.status.success(), "{}", stderr(&good));
    assert!(stdout(&good).contains("System check identified no issues (0 silenced)."));

    let output = portcullis(dir.path())
        .arg("check")
        .env("PORTCULLIS_BIND", "nonsense")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("invalid configuration"), "{err}");
    assert!(
        err.contains("bind: \"nonsense\" is not an address"),
        "{err}"
    );

    let output = portcullis(dir.path())
        .arg("check")
        .env("PORTCULLIS_PAGE_SIZE", "0")
        .env("PORTCULLIS_SECRET_KEY", "short")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("page_size: must be between 1 and 1000"),
        "{err}"
    );
    assert!(
        err.contains("secret_key: must be at least 32 characters long"),
        "{err}"
    );

    let unknown = portcullis(dir.path())
        .arg("check")
        .env("PORTCULLIS_NO_SUCH_KEY", "1")
        .output()
        .unwrap();
    // Unknown variables are not configuration: ignored, with a warning naming them.
    assert!(unknown.status.success(), "{}", stderr(&unknown));
    assert!(
        stderr(&unknown).contains("PORTCULLIS_NO_SUCH_KEY is not a configuration key"),
        "{}",
        stderr(&unknown)
    );

    // An unknown key in the configuration file is refused with its name.
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "no_such_key = 1\n").unwrap();
    let output = portcullis(dir.path())
        .arg("--config")
        .arg(&file)
        .arg("check")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no_such_key"),
        "{}",
        stderr(&output)
    );

    // A pagination class DRF does not have is refused, naming the ones it has.
    std::fs::write(&file, "pagination = \"PagePagination\"\n").unwrap();
    let output = portcullis(dir.path())
        .arg("--config")
        .arg(&file)
        .arg("check")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("pagination"), "{err}");
    assert!(err.contains("PagePagination"), "{err}");
    assert!(err.contains("LimitOffsetPagination"), "{err}");
}

/// One HTTP/1.1 exchange over a fresh connection; the raw response.
fn http(port: u16, request: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

#[test]
fn serve_answers_real_http() {
    let dir = Workdir::new();
    create_admin(dir.path());
    let key = token_create(dir.path(), &[]);
    let new_password = "Fresh-Pass-2024!";
    let answers = format!("{new_password}\n{new_password}\n");
    let changed = run_with_input(dir.path(), &["changepassword", "admin"], &answers);
    assert!(changed.status.success(), "{}", stderr(&changed));

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let _server = Server(
        portcullis(dir.path())
            .args(["serve", "--bind", &bind])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );

    let me = "GET /auth/users/me/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    let deadline = Instant::now() + Duration::from_secs(60);
    let anonymous = loop {
        match http(port, me) {
            Ok(response) => break response,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!("serve never answered on {bind}: {e}"),
        }
    };
    assert!(anonymous.starts_with("HTTP/1.1 401"), "{anonymous}");
    assert!(
        anonymous
            .to_ascii_lowercase()
            .contains("www-authenticate: token")
    );
    assert!(anonymous.ends_with("{\"detail\":\"Authentication credentials were not provided.\"}"));

    let login = |password: &str| {
        let body = format!("{{\"username\":\"admin\",\"password\":\"{password}\"}}");
        let request = format!(
            "POST /api-token-auth/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        http(port, &request).unwrap()
    };
    let old = login(ADMIN_PASSWORD);
    assert!(old.starts_with("HTTP/1.1 400"), "{old}");
    let response = login(new_password);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.ends_with(&format!("{{\"token\":\"{key}\"}}")),
        "{response}"
    );

    let authed = format!(
        "GET /auth/users/me/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Authorization: Token {key}\r\n\r\n"
    );
    let response = http(port, &authed).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"username\":\"admin\""), "{response}");
    assert!(
        response.contains("\"email\":\"admin@example.com\""),
        "{response}"
    );
}

#[test]
fn user_deactivate_and_activate_name_the_outcome() {
    let dir = Workdir::new();
    create_admin(dir.path());
    let off = run(dir.path(), &["user", "deactivate", "admin"]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert_eq!(stdout(&off).trim(), "User 'admin' is now inactive.");
    let on = run(dir.path(), &["user", "activate", "admin"]);
    assert_eq!(stdout(&on).trim(), "User 'admin' is now active.");
    let ghost = run(dir.path(), &["user", "deactivate", "ghost"]);
    assert!(!ghost.status.success());
    assert!(
        stderr(&ghost).contains("user 'ghost' does not exist"),
        "{}",
        stderr(&ghost)
    );
}

#[test]
fn migrate_refuses_to_lose_data_unless_allowed() {
    let dir = Workdir::new();
    let schema = dir.path().join("schema.toml");
    let with_field = "[[resources]]\nname = \"things\"\n[[resources.fields]]\nname = \"label\"\ntype = \"text\"\n[[resources.fields]]\nname = \"size\"\ntype = \"integer\"\n";
    std::fs::write(&schema, with_field).unwrap();
    let schema_arg = format!("schema_file = {:?}\n", schema.to_string_lossy());
    let config = dir.path().join("portcullis.toml");
    std::fs::write(&config, &schema_arg).unwrap();
    let config = config.to_string_lossy().into_owned();
    let first = run(dir.path(), &["--config", &config, "migrate"]);
    assert!(
        stdout(&first).contains("Create resource things... OK"),
        "{}",
        stdout(&first)
    );
    // A row with a size, then a schema without the field.
    let insert = "INSERT INTO things (label, size) VALUES ('a', 3)";
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        if let Some(url) = workdir::database_url(dir.path()) {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query(insert).execute(&pool).await.unwrap();
            pool.close().await;
        } else {
            let db = dir.path().join("portcullis.sqlite3");
            let url = format!("sqlite://{}", db.display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query(insert).execute(&pool).await.unwrap();
            pool.close().await;
        }
    });
    std::fs::write(&schema, "[[resources]]\nname = \"things\"\n[[resources.fields]]\nname = \"label\"\ntype = \"text\"\n").unwrap();
    let refused = run(dir.path(), &["--config", &config, "migrate"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("field size: removed from the schema but the column holds data"),
        "{}",
        stderr(&refused)
    );
    let allowed = run(
        dir.path(),
        &["--config", &config, "migrate", "--allow-destructive"],
    );
    assert!(allowed.status.success(), "{}", stderr(&allowed));
    assert!(
        stdout(&allowed).contains("Remove field size from things... OK"),
        "{}",
        stdout(&allowed)
    );
}

#[test]
fn createsuperuser_takes_the_email_when_the_model_logs_in_with_it() {
    let dir = Workdir::new();
    let config = dir.path().join("portcullis.toml");
    std::fs::write(
        &config,
        "[user_model]\nusername_field = \"email\"\nrequired_fields = [\"first_name\", \"last_name\"]\n",
    )
    .unwrap();
    let config = config.to_string_lossy().into_owned();
    let with_config = |args: &[&'static str]| -> Vec<String> {
        ["--config", config.as_str()]
            .iter()
            .chain(args)
            .map(|a| a.to_string())
            .collect()
    };

    let nameless = portcullis(dir.path())
        .args(with_config(&[
            "createsuperuser",
            "--noinput",
            "--username",
            "admin",
        ]))
        .env("PORTCULLIS_SUPERUSER_PASSWORD", ADMIN_PASSWORD)
        .output()
        .unwrap();
    assert!(!nameless.status.success());
    assert!(stderr(&nameless).contains("You must use --email with --noinput."));
    let created = portcullis(dir.path())
        .args(with_config(&["createsuperuser", "--noinput"]))
        .args(["--email", "Admin@Example.COM"])
        .env("PORTCULLIS_SUPERUSER_PASSWORD", ADMIN_PASSWORD)
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", stderr(&created));
    assert_eq!(stdout(&created), "Superuser created successfully.\n");
    // The manager normalizes the domain; the email is the name every command takes.
    let again = portcullis(dir.path())
        .args(with_config(&["createsuperuser", "--noinput"]))
        .args(["--email", "Admin@example.com"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(stderr(&again).contains("That email address is already taken."));
    let token = portcullis(dir.path())
        .args(with_config(&["token", "create", "Admin@example.com"]))
        .output()
        .unwrap();
    assert!(token.status.success(), "{}", stderr(&token));
    assert!(stdout(&token).ends_with(" for user Admin@example.com\n"));

    // Interactive: Django asks for the USERNAME_FIELD first, then each of REQUIRED_FIELDS, then
    // the password twice; the password may resemble neither the email nor the names.
    let answers = "taken\nana@example.com\nAna\nZimmermannova\nana.example\nana.example\nn\n\
                   zimmermannova1\nzimmermannova1\nn\nFresh-Pass-2024!\nFresh-Pass-2024!\n";
    let args = with_config(&["createsuperuser"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let asked = run_with_input(
        dir.path(),
        &args,
        &answers.replacen("taken", "Admin@example.com", 1),
    );
    assert!(asked.status.success(), "{}", stderr(&asked));
    let err = stderr(&asked);
    assert!(
        err.contains("Error: That email address is already taken."),
        "{err}"
    );
    assert!(
        err.contains("The password is too similar to the email address."),
        "{err}"
    );
    assert!(
        err.contains("The password is too similar to the last name."),
        "{err}"
    );
    let args = with_config(&["changepassword", "ana@example.com"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run_with_input(dir.path(), &args, "Other-Pass-2025!\nOther-Pass-2025!\n");
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_user_model_with_fields_of_its_own_is_checked_and_migrated() {
    let dir = Workdir::new();
    let config = dir.path().join("portcullis.toml");
    let own = "[user_model]\nrequired_fields = [\"email\", \"city\"]\n[[user_model.fields]]\nname = \"city\"\ntype = \"string\"\nmax_length = 40\n";
    let writable_flag = "[djoser.serializers.current_user]\nfields = [\"id\", \"username\", \"is_staff\"]\nread_only_fields = [\"username\"]\n";
    std::fs::write(&config, format!("{own}{writable_flag}")).unwrap();
    let config_arg = config.to_string_lossy().into_owned();
    let output = run(dir.path(), &["--config", &config_arg, "check"]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("djoser.serializers.current_user: is_staff: must be in read_only_fields: a user could grant itself this flag"),
        "{err}"
    );

    std::fs::write(&config, own).unwrap();
    let first = run(dir.path(), &["--config", &config_arg, "migrate"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first)
            .contains("Create table portcullis_user_profile (the user model's own fields)... OK"),
        "{}",
        stdout(&first)
    );
    // createsuperuser does not ask for the model's own fields: they keep their defaults.
    let admin = portcullis(dir.path())
        .args(["--config", &config_arg, "createsuperuser", "--noinput"])
        .args(["--username", "admin", "--email", "admin@example.com"])
        .env("PORTCULLIS_SUPERUSER_PASSWORD", "kV7#mountain-Lamp")
        .output()
        .unwrap();
    assert!(admin.status.success(), "{}", stderr(&admin));
}
