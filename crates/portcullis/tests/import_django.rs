//! `portcullis import-django` end to end: a Django database (made by the reference Django
//! project when its virtualenv exists, else skipped saying so, or failed under `CI`; and a hand-made Django-shaped
//! SQLite file, which needs no Django) imported into a fresh Portcullis database, then over
//! HTTP: the users log in with their old passwords and get their old keys back, the old keys
//! authenticate, the notes come over, a second import changes nothing, and `--dry-run` writes
//! nothing. A PostgreSQL source is in `import_django_postgres.rs`.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

mod support;
#[allow(dead_code)]
mod workdir;

use support::http::{portcullis, request, serve};
use support::oracle::oracle;
use workdir::{Workdir, stderr, stdout};

/// The target database of the working directory: its SQLite file, or its PostgreSQL database.
fn target_url(dir: &Path) -> String {
    workdir::database_url(dir)
        .unwrap_or_else(|| format!("sqlite://{}", dir.join("portcullis.sqlite3").display()))
}

fn import(dir: &Path, source: &Path, extra: &[&str]) -> Output {
    let source = source.to_string_lossy();
    let output = portcullis(dir, &target_url(dir))
        .args(["import-django", "--database", &source])
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    output
}

/// `manage.py ARGS` of the reference project on the SQLite file `db`; its stdout.
fn manage(project: &Path, python: &Path, db: &Path, args: &[&str]) -> String {
    let output = Command::new(python)
        .current_dir(project)
        .arg("manage.py")
        .args(args)
        .env("DJANGO_SETTINGS_MODULE", "refproject.settings")
        .env("ORACLE_DB", db)
        .env("ORACLE_CACHE_DIR", db.with_extension("cache"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "manage.py {args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// Users, a group and tokens made by Django itself; `(username, token key)` of each user.
const DJANGO_USERS: &str = "
from django.contrib.auth.models import User, Group, Permission
from rest_framework.authtoken.models import Token
alice = User.objects.create_user('alice', 'alice@example.com', 'alice-pass-123')
bob = User.objects.create_user('bob', 'bob@example.com', 'bob-pass-456', is_staff=True)
editors = Group.objects.create(name='editors')
editors.permissions.add(*Permission.objects.filter(codename__in=['add_note', 'change_note']))
bob.groups.add(editors)
from notes.models import Note
note = Note.objects.create(owner=alice, title='from django', body='kept', is_public=True)
print('note', note.id, note.created_at.isoformat())
for u in (alice, bob):
    print(u.username, Token.objects.get_or_create(user=u)[0].key)
";

fn body_field(body: &str, field: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    json[field].as_str().unwrap_or_default().to_string()
}

#[test]
fn users_made_by_django_log_in_with_their_old_passwords_and_tokens() {
    let Some((project, python)) = oracle() else {
        return;
    };
    let django = tempfile::tempdir().unwrap();
    let db = django.path().join("django.sqlite3");
    manage(&project, &python, &db, &["migrate", "--noinput", "-v", "0"]);
    let printed = manage(
        &project,
        &python,
        &db,
        &["shell", "-v", "0", "-c", DJANGO_USERS],
    );
    let keys: Vec<(String, String)> = printed
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(u, k)| (u.to_string(), k.to_string()))
        .collect();
    assert_eq!(keys.len(), 3, "{printed}");
    let note = keys.iter().find(|(name, _)| name == "note").unwrap();
    let (note_id, note_created) = note.1.split_once(' ').unwrap();
    let keys: Vec<_> = keys.iter().filter(|(name, _)| name != "note").collect();

    let dir = Workdir::new();
    // The resources first (the built-in `notes`), so that Django's grants find their permissions.
    let migrated = portcullis(dir.path(), &target_url(dir.path()))
        .arg("migrate")
        .output()
        .unwrap();
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    let notes = ["--resource", "notes=notes_note"];
    let dry = stdout(&import(
        dir.path(),
        &db,
        &[&notes[..], &["--dry-run"]].concat(),
    ));
    assert!(
        dry.contains("users: 2 to import, 0 already here, 0 skipped\n"),
        "{dry}"
    );
    assert!(
        dry.ends_with("Dry run: 9 rows would be imported; nothing was written.\n"),
        "{dry}"
    );
    // The dry run wrote nothing: the real run still finds everything to import.
    let first = stdout(&import(dir.path(), &db, &notes));
    assert!(
        first.contains("users: 2 imported, 0 already here, 0 skipped\n"),
        "{first}"
    );
    assert!(
        first.contains("tokens: 2 imported, 0 already here, 0 skipped\n"),
        "{first}"
    );
    assert!(
        first.contains("group permissions: 2 imported, 0 already here, 0 skipped\n"),
        "{first}"
    );
    assert!(
        first.contains("notes rows: 1 imported, 0 already here, 0 skipped\n"),
        "{first}"
    );
    assert!(first.ends_with("Imported 9 rows.\n"), "{first}");
    let second = stdout(&import(dir.path(), &db, &notes));
    assert!(
        second.contains("users: 0 imported, 2 already here, 0 skipped\n"),
        "{second}"
    );
    assert!(
        second.ends_with("Nothing to import: no change was made.\n"),
        "{second}"
    );

    let (_server, port) = serve(dir.path(), &target_url(dir.path()));
    let (alice_key, bob_key) = (&keys[0].1, &keys[1].1);
    assert_eq!((keys[0].0.as_str(), keys[1].0.as_str()), ("alice", "bob"));
    let login = r#"{"username": "alice", "password": "alice-pass-123"}"#;
    let answer = request(port, "POST", "/api-token-auth/", None, login);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(&body_field(&answer.body, "token"), alice_key);
    let login = r#"{"username": "bob", "password": "bob-pass-456"}"#;
    let answer = request(port, "POST", "/auth/token/login/", None, login);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(&body_field(&answer.body, "auth_token"), bob_key);
    let wrong = r#"{"username": "bob", "password": "not-bobs"}"#;
    assert_eq!(
        request(port, "POST", "/auth/token/login/", None, wrong).status,
        400
    );
    let me = request(port, "GET", "/auth/users/me/", Some(bob_key), "");
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(body_field(&me.body, "username"), "bob");
    assert!(me.body.contains("\"id\":2"), "{}", me.body);
    // Alice's note, as Django made it.
    let path = format!("/api/notes/{note_id}/");
    let note = request(port, "GET", &path, Some(alice_key), "");
    assert_eq!(note.status, 200, "{}", note.body);
    assert_eq!(body_field(&note.body, "title"), "from django");
    assert_eq!(body_field(&note.body, "owner"), "alice");
    let created = note_created.replace("+00:00", "Z");
    assert_eq!(body_field(&note.body, "created_at"), created);
    // Django's model permissions are the resource's now.
    let groups = request(port, "GET", "/api/admin/groups/", Some(bob_key), "");
    assert_eq!(groups.status, 200, "{}", groups.body);
    let expected = r#""name":"editors","permissions":["notes.add","notes.change"]"#;
    assert!(groups.body.contains(expected), "{}", groups.body);
}

/// Django's tables as its migrations make them on SQLite, the columns the import reads.
const DJANGO_SCHEMA: &str = "
CREATE TABLE django_content_type (id INTEGER PRIMARY KEY, app_label TEXT, model TEXT);
CREATE TABLE auth_user (id INTEGER PRIMARY KEY, password TEXT, last_login DATETIME NULL,
  is_superuser BOOL, username TEXT UNIQUE, last_name TEXT, email TEXT, is_staff BOOL,
  is_active BOOL, date_joined DATETIME, first_name TEXT);
CREATE TABLE auth_group (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE auth_permission (id INTEGER PRIMARY KEY, content_type_id INTEGER, codename TEXT,
  name TEXT);
CREATE TABLE auth_user_groups (id INTEGER PRIMARY KEY, user_id INTEGER, group_id INTEGER);
CREATE TABLE auth_group_permissions (id INTEGER PRIMARY KEY, group_id INTEGER,
  permission_id INTEGER);
CREATE TABLE auth_user_user_permissions (id INTEGER PRIMARY KEY, user_id INTEGER,
  permission_id INTEGER);
CREATE TABLE authtoken_token (key TEXT PRIMARY KEY, created DATETIME, user_id INTEGER UNIQUE);
CREATE TABLE notes_note (id INTEGER PRIMARY KEY, title varchar(200), body text, is_public bool,
  created_at datetime, updated_at datetime, owner_id integer);
INSERT INTO notes_note VALUES
  (4, 'ann''s', '', 1, '2024-05-06 07:08:09', '2024-05-06 07:08:09', 1),
  (9, 'bob''s', 'plans', 0, '2024-05-06 07:08:09.25', '2024-06-07 08:09:10.5', 2);
INSERT INTO auth_user VALUES
  (1, 'pbkdf2_sha256$1000$handmadesalt1234$ZwZkkgqJcYniwet0h2ShJFAYvwmkiReEvQ3+XwFAPbY=',
   NULL, 0, 'ann', '', 'ann@example.com', 0, 1, '2024-03-04 05:06:07', ''),
  (2, 'pbkdf2_sha256$1000$handmadesalt1234$R9Qnc788KRPnj9599pj7PTXVkzriG7uCvS1uw1hr0Og=',
   '2025-01-02 03:04:05.678900', 0, 'bob', 'Builder', 'bob@example.com', 0, 1,
   '2024-03-04 05:06:07.123456', 'Bob');
INSERT INTO authtoken_token VALUES
  ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '2024-03-04 05:06:08', 1),
  ('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', '2024-03-04 05:06:09.5', 2);
";

fn handmade_django(path: &Path) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::raw_sql(DJANGO_SCHEMA).execute(&pool).await.unwrap();
        pool.close().await;
    });
}

#[test]
fn a_conflicting_user_is_reported_and_left_alone_and_the_others_come_over() {
    let django = tempfile::tempdir().unwrap();
    let db = django.path().join("django.sqlite3");
    handmade_django(&db);
    let dir = Workdir::new();
    // The target's own first user holds id 1, which Django's "ann" also has.
    let made = portcullis(dir.path(), &target_url(dir.path()))
        .args(["createsuperuser", "--noinput", "--username", "admin"])
        .args(["--email", "admin@example.com"])
        .env("PORTCULLIS_SUPERUSER_PASSWORD", "admin-pass-123")
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", stderr(&made));
    let report = stdout(&import(
        dir.path(),
        &db,
        &["--resource", "notes=notes_note"],
    ));
    assert!(
        report.contains("users: 1 imported, 0 already here, 1 skipped\n"),
        "{report}"
    );
    assert!(
        report.contains("notes rows: 1 imported, 0 already here, 1 skipped\n"),
        "{report}"
    );
    assert!(
        report.contains("  skipped notes 4: its owner, user 1, was not imported\n"),
        "{report}"
    );
    assert!(
        report.contains("  skipped user 1 \"ann\": id 1 is \"admin\" here\n"),
        "{report}"
    );
    assert!(
        report.contains("  skipped the token of user 1: the user was not imported\n"),
        "{report}"
    );
    assert!(report.ends_with("Imported 3 rows.\n"), "{report}");
    let again = stdout(&import(
        dir.path(),
        &db,
        &["--resource", "notes=notes_note"],
    ));
    assert!(
        again.contains("notes rows: 0 imported, 1 already here, 1 skipped\n"),
        "{again}"
    );
    assert!(
        again.ends_with("Nothing to import: no change was made.\n"),
        "{again}"
    );

    let (_server, port) = serve(dir.path(), &target_url(dir.path()));
    let bob = r#"{"username": "bob", "password": "bob-old-pass-1"}"#;
    let answer = request(port, "POST", "/api-token-auth/", None, bob);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(body_field(&answer.body, "token"), "b".repeat(40));
    let me = request(port, "GET", "/auth/users/me/", Some(&"b".repeat(40)), "");
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(body_field(&me.body, "email"), "bob@example.com");
    // Ann's key and password do not open the account that holds her id here.
    let ann_key = "a".repeat(40);
    assert_eq!(
        request(port, "GET", "/auth/users/me/", Some(&ann_key), "").status,
        401
    );
    let ann = r#"{"username": "ann", "password": "ann-old-pass-1"}"#;
    assert_eq!(
        request(port, "POST", "/api-token-auth/", None, ann).status,
        400
    );
    let admin = r#"{"username": "admin", "password": "admin-pass-123"}"#;
    let answer = request(port, "POST", "/api-token-auth/", None, admin);
    assert_eq!(answer.status, 200, "{}", answer.body);
    // One summary event for the import that wrote rows, none for the one that found nothing.
    let admin_key = body_field(&answer.body, "token");
    let path = "/api/admin/audit/?event=django_imported";
    let log = request(port, "GET", path, Some(&admin_key), "");
    assert_eq!(log.status, 200, "{}", log.body);
    let log: serde_json::Value = serde_json::from_str(&log.body).unwrap();
    assert_eq!(log["count"], 1, "{log}");
    let event = &log["results"][0];
    assert_eq!(event["user"], serde_json::Value::Null, "{event}");
    assert_eq!(event["client_addr"], "", "{event}");
    let detail = &event["detail"];
    assert_eq!(detail["actor"], "cli", "{event}");
    assert_eq!(detail["imported"], 3, "{event}");
    assert_eq!(detail["skipped"], 3, "{event}");
    assert_eq!(detail["kinds"]["users"], 1, "{event}");
    assert_eq!(detail["kinds"]["notes rows"], 1, "{event}");
    // Bob's note, with its id, its owner and Django's times.
    let note = request(port, "GET", "/api/notes/9/", Some(&"b".repeat(40)), "");
    assert_eq!(note.status, 200, "{}", note.body);
    assert_eq!(body_field(&note.body, "body"), "plans");
    assert_eq!(body_field(&note.body, "owner"), "bob");
    assert!(note.body.contains("\"is_public\":false"), "{}", note.body);
    assert_eq!(
        body_field(&note.body, "created_at"),
        "2024-05-06T07:08:09.250000Z"
    );
    assert_eq!(
        body_field(&note.body, "updated_at"),
        "2024-06-07T08:09:10.500000Z"
    );
    // The ids Django used are spent: the next note and the next user get fresh ones.
    let made = request(
        port,
        "POST",
        "/api/notes/",
        Some(&"b".repeat(40)),
        r#"{"title": "new"}"#,
    );
    assert_eq!(made.status, 201, "{}", made.body);
    assert!(made.body.contains("\"id\":10"), "{}", made.body);
    let carol = r#"{"username": "carol", "password": "carol-pass-789x", "email": "c@example.com"}"#;
    let made = request(port, "POST", "/auth/users/", None, carol);
    assert_eq!(made.status, 201, "{}", made.body);
    assert!(made.body.contains("\"id\":3"), "{}", made.body);
}

#[test]
fn a_file_that_is_not_a_django_database_is_refused_with_the_reason() {
    let dir = Workdir::new();
    let empty = dir.path().join("empty.sqlite3");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}?mode=rwc", empty.display());
        sqlx::SqlitePool::connect(&url).await.unwrap().close().await;
    });
    let output = portcullis(dir.path(), &target_url(dir.path()))
        .args(["import-django", "--database", &empty.to_string_lossy()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not a Django database: it has no auth_user table"),
        "{}",
        stderr(&output)
    );
}
