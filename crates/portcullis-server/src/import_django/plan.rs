//! Deciding, row by row, what an import writes: a pure function of what the Django database
//! holds and what the target holds already, so that a second run finds everything present and
//! writes nothing, and `--dry-run` reports exactly what a real run would do.
//!
//! Users are matched by id and username together: both equal is the same user (left as it is),
//! one equal and not the other is a conflict (reported, never overwritten). Groups are matched
//! by name. Django's model permissions become Portcullis's per-resource ones when a declared
//! resource carries the model's name (`notes.add_note` → resource `note` or `notes`, `add`).

use std::collections::{BTreeMap, BTreeSet};

use super::report::{Report, Tally};
use super::source::{DjangoData, DjangoPermission};
use crate::auth::token_key::TokenKeys;
use crate::store::import::{Existing, ImportRows, ImportedToken};

/// Django's default model permissions, the only ones Portcullis's resources have.
const ACTIONS: [&str; 4] = ["add", "change", "delete", "view"];

/// What to write, and the report of it.
pub(crate) struct Plan {
    pub(crate) rows: ImportRows,
    pub(crate) report: Report,
    /// The Django user ids that exist here after the import (imported or already here).
    pub(crate) users: BTreeSet<i64>,
}

/// The Portcullis permission id for a Django permission, or why there is none.
fn map_permission(
    p: &DjangoPermission,
    existing: &Existing,
    tables: &[(String, String)],
) -> Result<i64, String> {
    let suffix = format!("_{}", p.model);
    let action = p
        .codename
        .strip_suffix(&suffix)
        .filter(|a| ACTIONS.contains(a))
        .ok_or_else(|| format!("custom permission {}.{}", p.app_label, p.codename))?;
    // Django names a model's table `<app_label>_<model>`: a `--resource NAME=TABLE` names it.
    let table = format!("{}_{}", p.app_label, p.model);
    let mapped = tables
        .iter()
        .filter(|(_, t)| *t == table)
        .map(|(r, _)| r.clone());
    let candidates: Vec<String> = mapped
        .chain([p.model.clone(), p.app_label.clone(), table.clone()])
        .collect();
    candidates
        .iter()
        .find_map(|r| existing.permissions.get(&(r.clone(), action.to_string())))
        .copied()
        .ok_or_else(|| {
            format!(
                "no declared resource for {}.{} (named `{}` or `{}`)",
                p.app_label, p.model, p.model, p.app_label
            )
        })
}

fn plan_users(
    data: &DjangoData,
    existing: &Existing,
    rows: &mut ImportRows,
) -> (Tally, BTreeSet<i64>) {
    let mut tally = Tally::new("users");
    let mut usable = BTreeSet::new();
    let by_name: BTreeMap<&str, i64> = existing
        .users
        .iter()
        .map(|(id, name)| (name.as_str(), *id))
        .collect();
    for u in &data.users {
        let label = format!("user {} \"{}\"", u.id, u.username);
        match (existing.users.get(&u.id), by_name.get(u.username.as_str())) {
            (Some(name), _) if *name == u.username => {
                tally.present += 1;
                usable.insert(u.id);
            }
            (Some(name), _) => tally.skip(format!("{label}: id {} is \"{name}\" here", u.id)),
            (None, Some(other)) => {
                tally.skip(format!("{label}: the username is user {other}'s here"))
            }
            (None, None) => {
                tally.imported += 1;
                usable.insert(u.id);
                rows.users.push(u.clone());
            }
        }
    }
    (tally, usable)
}

fn plan_groups(
    data: &DjangoData,
    existing: &Existing,
    rows: &mut ImportRows,
) -> (Tally, BTreeMap<i64, i64>) {
    let mut tally = Tally::new("groups");
    let mut mapped = BTreeMap::new();
    let by_name: BTreeMap<&str, i64> = existing
        .groups
        .iter()
        .map(|(id, name)| (name.as_str(), *id))
        .collect();
    for (id, name) in &data.groups {
        if let Some(here) = by_name.get(name.as_str()) {
            tally.present += 1;
            mapped.insert(*id, *here);
        } else if let Some(other) = existing.groups.get(id) {
            tally.skip(format!(
                "group {id} \"{name}\": id {id} is group \"{other}\" here"
            ));
        } else {
            tally.imported += 1;
            mapped.insert(*id, *id);
            rows.groups.push((*id, name.clone()));
        }
    }
    (tally, mapped)
}

/// Links `(a, b)` whose ends both map to the target: new ones written, present ones counted.
/// `ends` names the two ends in the report (`("user", "group")`).
fn plan_links(
    (kind, ends): (&'static str, (&str, &str)),
    links: &[(i64, i64)],
    left: impl Fn(i64) -> Result<i64, String>,
    right: impl Fn(i64) -> Result<i64, String>,
    present: &BTreeSet<(i64, i64)>,
    out: &mut Vec<(i64, i64)>,
) -> Tally {
    let mut tally = Tally::new(kind);
    for (a, b) in links {
        match (left(*a), right(*b)) {
            (Ok(x), Ok(y)) if present.contains(&(x, y)) => tally.present += 1,
            (Ok(x), Ok(y)) => {
                tally.imported += 1;
                out.push((x, y));
            }
            (Err(why), _) | (_, Err(why)) => {
                tally.skip(format!("{} {a} → {} {b}: {why}", ends.0, ends.1))
            }
        }
    }
    tally
}

fn plan_tokens(
    data: &DjangoData,
    existing: &Existing,
    usable: &BTreeSet<i64>,
    keys: &TokenKeys,
    rows: &mut ImportRows,
) -> Tally {
    let mut tally = Tally::new("tokens");
    let digests: BTreeSet<&str> = existing.tokens.values().map(String::as_str).collect();
    for t in &data.tokens {
        let label = format!("the token of user {}", t.user_id);
        let digest = keys.digest(&t.key);
        match existing.tokens.get(&t.user_id) {
            _ if !usable.contains(&t.user_id) => {
                tally.skip(format!("{label}: the user was not imported"))
            }
            Some(here) if *here == digest => tally.present += 1,
            Some(_) => tally.skip(format!("{label}: the user has another token here")),
            None if digests.contains(digest.as_str()) => {
                tally.skip(format!("{label}: another user has this key here"))
            }
            None => {
                tally.imported += 1;
                rows.tokens.push(ImportedToken {
                    user_id: t.user_id,
                    stored: keys.store(&t.key),
                    created: t.created.clone(),
                });
            }
        }
    }
    tally
}

/// The rows to write and the report, from the two databases' contents.
pub(crate) fn plan(
    data: &DjangoData,
    existing: &Existing,
    keys: &TokenKeys,
    tables: &[(String, String)],
) -> Plan {
    let mut rows = ImportRows::default();
    let (users, usable) = plan_users(data, existing, &mut rows);
    let (groups, group_ids) = plan_groups(data, existing, &mut rows);
    let mut notes = Vec::new();
    let permissions: BTreeMap<i64, Result<i64, String>> = data
        .permissions
        .iter()
        .map(|p| (p.id, map_permission(p, existing, tables)))
        .collect();
    let user = |id: i64| {
        usable
            .contains(&id)
            .then_some(id)
            .ok_or_else(|| format!("user {id} was not imported"))
    };
    let group = |id: i64| {
        group_ids
            .get(&id)
            .copied()
            .ok_or_else(|| format!("group {id} was not imported"))
    };
    let permission = |id: i64| match permissions.get(&id) {
        Some(mapped) => mapped.clone(),
        None => Err(format!("permission {id} does not exist")),
    };
    let memberships = plan_links(
        ("group memberships", ("user", "group")),
        &data.user_groups,
        user,
        group,
        &existing.user_groups,
        &mut rows.user_groups,
    );
    let group_grants = plan_links(
        ("group permissions", ("group", "permission")),
        &data.group_permissions,
        group,
        permission,
        &existing.group_permissions,
        &mut rows.group_permissions,
    );
    let user_grants = plan_links(
        ("user permissions", ("user", "permission")),
        &data.user_permissions,
        user,
        permission,
        &existing.user_permissions,
        &mut rows.user_permissions,
    );
    let tokens = plan_tokens(data, existing, &usable, keys, &mut rows);
    let grants = data.group_permissions.len() + data.user_permissions.len();
    if grants > 0 && existing.permissions.is_empty() {
        notes.push(
            "no resource permissions here yet: run `portcullis migrate` (with the resources \
             declared) before importing, so that Django's grants find theirs"
                .to_string(),
        );
    }
    if !data.has_tokens_table {
        notes.push("the Django database has no authtoken_token table: no tokens".to_string());
    }
    Plan {
        rows,
        report: Report {
            tallies: vec![
                users,
                groups,
                memberships,
                group_grants,
                user_grants,
                tokens,
            ],
            notes,
            dry_run: false,
        },
        users: usable,
    }
}
