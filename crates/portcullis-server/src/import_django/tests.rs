//! The plan on hand-made contents: what a first import writes, that a second finds everything
//! present, and that conflicts are reported instead of overwritten.

use super::plan::plan;
use super::source::{DjangoData, DjangoPermission, DjangoToken};
use crate::auth::token_key::TokenKeys;
use crate::store::User;
use crate::store::import::Existing;

const KEY: &str = "0123456789abcdef0123456789abcdef01234567";

fn user(id: i64, name: &str) -> User {
    let mut u = User::fixture(id, false, false);
    u.username = name.to_string();
    u
}

fn data() -> DjangoData {
    DjangoData {
        users: vec![user(1, "ann"), user(7, "bob")],
        groups: vec![(3, "editors".to_string())],
        permissions: vec![
            DjangoPermission {
                id: 20,
                app_label: "notes".to_string(),
                model: "note".to_string(),
                codename: "add_note".to_string(),
            },
            DjangoPermission {
                id: 21,
                app_label: "notes".to_string(),
                model: "note".to_string(),
                codename: "publish_note".to_string(),
            },
        ],
        user_groups: vec![(7, 3)],
        group_permissions: vec![(3, 20), (3, 21)],
        user_permissions: vec![],
        tokens: vec![DjangoToken {
            key: KEY.to_string(),
            user_id: 7,
            created: "2026-01-02 03:04:05.000000".to_string(),
        }],
        has_tokens_table: true,
    }
}

fn keys() -> TokenKeys {
    TokenKeys::from_secret(b"a secret that is long enough for the tests")
}

/// The target after writing `rows`, as the next snapshot would read it.
fn after(mut existing: Existing, rows: &crate::store::import::ImportRows) -> Existing {
    existing
        .users
        .extend(rows.users.iter().map(|u| (u.id, u.username.clone())));
    existing.groups.extend(rows.groups.iter().cloned());
    existing
        .user_groups
        .extend(rows.user_groups.iter().copied());
    existing
        .group_permissions
        .extend(rows.group_permissions.iter().copied());
    existing
        .user_permissions
        .extend(rows.user_permissions.iter().copied());
    existing.tokens.extend(
        rows.tokens
            .iter()
            .map(|t| (t.user_id, t.stored.digest.clone())),
    );
    existing
}

#[test]
fn a_first_import_writes_everything_mappable_and_a_second_nothing() {
    let mut target = Existing::default();
    target
        .permissions
        .insert(("notes".to_string(), "add".to_string()), 5);
    let first = plan(&data(), &target, &keys(), &[]);
    assert_eq!(first.rows.users.len(), 2);
    assert_eq!(first.rows.group_permissions, vec![(3, 5)]);
    assert_eq!(first.rows.tokens.len(), 1);
    assert_eq!(first.rows.tokens[0].stored.digest, keys().digest(KEY));
    let grants = first.report.tally("group permissions").unwrap();
    assert_eq!(grants.imported, 1);
    assert!(
        grants.skipped[0].contains("custom permission notes.publish_note"),
        "{grants:?}"
    );

    let second = plan(&data(), &after(target, &first.rows), &keys(), &[]);
    assert!(second.rows.is_empty(), "{:?}", second.rows);
    assert_eq!(second.report.imported(), 0);
    assert_eq!(second.report.tally("users").unwrap().present, 2);
    assert_eq!(second.report.tally("tokens").unwrap().present, 1);
    assert!(
        second
            .report
            .to_string()
            .ends_with("Nothing to import: no change was made.")
    );
}

#[test]
fn conflicting_users_are_reported_with_what_hangs_on_them() {
    let mut target = Existing::default();
    target.users.insert(1, "someone-else".to_string());
    target.users.insert(2, "bob".to_string());
    let planned = plan(&data(), &target, &keys(), &[]);
    assert!(planned.rows.users.is_empty());
    let users = planned.report.tally("users").unwrap();
    assert_eq!(users.skipped.len(), 2);
    assert!(
        users.skipped[0].contains("id 1 is \"someone-else\" here"),
        "{users:?}"
    );
    assert!(
        users.skipped[1].contains("the username is user 2's here"),
        "{users:?}"
    );
    let tokens = planned.report.tally("tokens").unwrap();
    assert!(
        tokens.skipped[0].contains("the user was not imported"),
        "{tokens:?}"
    );
    assert_eq!(
        planned
            .report
            .tally("group memberships")
            .unwrap()
            .skipped
            .len(),
        1
    );
}

#[test]
fn a_user_with_another_token_here_keeps_it() {
    let mut target = Existing::default();
    target.users.insert(7, "bob".to_string());
    target.tokens.insert(7, keys().digest("another key"));
    let planned = plan(&data(), &target, &keys(), &[]);
    assert!(planned.rows.tokens.is_empty());
    let tokens = planned.report.tally("tokens").unwrap();
    assert!(
        tokens.skipped[0].contains("has another token here"),
        "{tokens:?}"
    );
}
