//! The owner as a serializer of the user renders it: a nested `UserSerializer(read_only=True)`
//! (`related = "nested"` with `owner_fields`), or a `HyperlinkedRelatedField` to djoser's
//! `user-detail` (`related = "hyperlink"`). Rows come out of [`super::rows::render_row`] with
//! the owner as its id; [`fill`] renders the owners of a whole page with one query.

use std::collections::HashMap;

use sea_query::{Expr, ExprTrait, Query};
use serde_json::{Map, Value, json};

use super::rows::Row;
use super::schema::{Field, FieldKind, OwnerSource, Resource, Schema};
use crate::config::Config;
use crate::http::ApiError;
use crate::state::AppState;
use crate::store::timestamp::to_drf;
use crate::store::{Cell, Storage};

/// Ids per `IN (...)` query: far below any database's limit on bound values.
const IDS_PER_QUERY: usize = 500;

/// How one of Django's `User` fields is stored and shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Id,
    Text,
    Flag,
    Time,
}

/// The fields of `django.contrib.auth`'s `User` a nested serializer may list, as DRF's
/// `ModelSerializer` builds them: (name, kind, OPTIONS attributes after `type` and `required`).
/// `password` is not here on purpose: a hash is never rendered, whatever the project's
/// serializer lists. `groups` and `user_permissions` (many-to-many) are not offered.
const USER_FIELDS: &[(&str, Kind)] = &[
    ("id", Kind::Id),
    ("username", Kind::Text),
    ("email", Kind::Text),
    ("first_name", Kind::Text),
    ("last_name", Kind::Text),
    ("is_staff", Kind::Flag),
    ("is_active", Kind::Flag),
    ("is_superuser", Kind::Flag),
    ("date_joined", Kind::Time),
    ("last_login", Kind::Time),
];

fn kind_of(name: &str) -> Option<Kind> {
    USER_FIELDS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, k)| *k)
}

/// `owner_fields` checked: each a field of the user model, once; the password refused.
pub(crate) fn check_fields(fields: &[String]) -> Result<(), String> {
    if fields.is_empty() {
        return Err("owner_fields is empty: list the user serializer's Meta.fields".into());
    }
    for (i, name) in fields.iter().enumerate() {
        if name == "password" {
            return Err("owner_fields lists \"password\": Portcullis never renders the password hash (drop it from the user serializer's fields)".into());
        }
        if kind_of(name).is_none() {
            let known: Vec<&str> = USER_FIELDS.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "owner_fields: {name:?} is not a field of the user model ({})",
                known.join(", ")
            ));
        }
        if fields[..i].contains(name) {
            return Err(format!("owner_fields lists {name:?} twice"));
        }
    }
    Ok(())
}

/// What the configuration makes of the schema's owners: a nested `username` on a model
/// without one, a hyperlink without djoser's user detail to point at.
pub(crate) fn problems(config: &Config, schema: &Schema) -> Vec<(String, String)> {
    let email_user = crate::accounts::login_identity::email_is_username(config);
    let has_users = crate::http::layout::user_detail_path(config, 1).is_some();
    let mut out = Vec::new();
    for resource in &schema.resources {
        let Some(field) = resource.owner_field() else {
            continue;
        };
        let at = format!("resource {}, field {}", resource.name, field.name);
        if field.owner_source == OwnerSource::Nested
            && email_user
            && field.owner_fields.iter().any(|f| f == "username")
        {
            out.push(("schema_file".into(), format!("{at}: owner_fields lists \"username\", but the user model has none ([user_model] username_field = \"email\"): list \"email\"")));
        }
        if field.owner_source == OwnerSource::Hyperlink && !has_users {
            out.push(("schema_file".into(), format!("{at}: related = \"hyperlink\" links djoser's user-detail, but no [[urls]] entry includes djoser.urls (Django's reverse would fail on every body)")));
        }
    }
    out
}

/// Whether the owner of `resource` is rendered after the row is read.
pub(crate) fn expands(resource: &Resource) -> bool {
    resource.owner_field().is_some_and(|f| {
        !f.write_only && matches!(f.owner_source, OwnerSource::Nested | OwnerSource::Hyperlink)
    })
}

/// Replace each row's owner id by the nested user or the link to its djoser detail.
pub(crate) async fn fill(
    state: &AppState,
    base: &str,
    resource: &Resource,
    rows: &mut [Row],
) -> Result<(), ApiError> {
    let Some(field) = resource.owner_field().filter(|_| expands(resource)) else {
        return Ok(());
    };
    let mut ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.json.get(&field.name).and_then(Value::as_i64))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let rendered = match field.owner_source {
        OwnerSource::Hyperlink => ids.iter().map(|&id| (id, link(state, base, id))).collect(),
        _ => nested_users(state, field, &ids).await?,
    };
    for row in rows.iter_mut() {
        if let Some(slot) = row.json.get_mut(&field.name)
            && let Some(id) = slot.as_i64()
        {
            *slot = rendered.get(&id).cloned().unwrap_or(Value::Null);
        }
    }
    Ok(())
}

/// DRF's `reverse("user-detail", kwargs={"id": id})` made absolute.
fn link(state: &AppState, base: &str, id: i64) -> Value {
    crate::http::layout::user_detail_path(state.config(), id)
        .map_or(Value::Null, |path| Value::String(format!("{base}{path}")))
}

/// The users with these ids, each as the nested serializer renders it.
async fn nested_users(
    state: &AppState,
    field: &Field,
    ids: &[i64],
) -> Result<HashMap<i64, Value>, ApiError> {
    let kinds: Vec<Kind> = field
        .owner_fields
        .iter()
        .filter_map(|n| kind_of(n))
        .collect();
    let mut storages = vec![Storage::Integer];
    storages.extend(kinds.iter().map(|k| match k {
        Kind::Id | Kind::Flag => Storage::Integer,
        Kind::Text | Kind::Time => Storage::Text,
    }));
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let mut q = Query::select();
        q.from("auth_user").column(("auth_user", "id"));
        for name in &field.owner_fields {
            match kind_of(name) {
                // A flag is a BOOLEAN of `auth_user` on PostgreSQL, 0/1 on SQLite: read as an
                // integer on both (PostgreSQL casts a boolean to INTEGER only; the name is one of
                // `USER_FIELDS`).
                Some(Kind::Flag) => {
                    q.expr(Expr::cust(format!(
                        "CAST(CAST(\"auth_user\".\"{name}\" AS INTEGER) AS BIGINT)"
                    )));
                }
                _ => {
                    q.column(("auth_user", name.clone()));
                }
            }
        }
        q.and_where(Expr::col(("auth_user", "id")).is_in(chunk.iter().copied()));
        for cells in state.store().resources().select_rows(&q, &storages).await? {
            let Some(Cell::Int(id)) = cells.first() else {
                continue;
            };
            let mut user = Map::new();
            for ((name, kind), cell) in field.owner_fields.iter().zip(&kinds).zip(&cells[1..]) {
                user.insert(name.clone(), render(*kind, cell));
            }
            out.insert(*id, Value::Object(user));
        }
    }
    Ok(out)
}

fn render(kind: Kind, cell: &Cell) -> Value {
    match (kind, cell) {
        (_, Cell::Null) => Value::Null,
        (Kind::Id, Cell::Int(n)) => json!(n),
        (Kind::Flag, Cell::Int(n)) => json!(*n != 0),
        (Kind::Time, Cell::Text(t)) => json!(to_drf(t)),
        (_, Cell::Text(t)) => json!(t),
        (_, Cell::Int(n)) => json!(n),
        (_, Cell::Real(f)) => json!(f),
    }
}

/// SimpleMetadata's `children` of the nested user serializer: each field as DRF's
/// `ModelSerializer` builds it from Django's `User` (recorded from the reference project).
pub(crate) fn children_info(config: &Config, field: &Field) -> Value {
    // A model that logs in with its email declares `EmailField(unique=True)`: not blank, so
    // DRF makes it required (Django's `User` has `blank=True`: optional).
    let email_required = crate::accounts::login_identity::email_is_username(config);
    let mut out = Map::new();
    for name in &field.owner_fields {
        out.insert(name.clone(), child_info(name, email_required));
    }
    Value::Object(out)
}

fn child_info(name: &str, email_required: bool) -> Value {
    let staff = "Designates whether the user can log into this admin site.";
    let active = "Designates whether this user should be treated as active. Unselect this instead of deleting accounts.";
    let superuser =
        "Designates that this user has all permissions without explicitly assigning them.";
    let username = "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.";
    let (kind, required, label, extra) = match name {
        "id" => {
            return json!({"type": "integer", "required": false, "read_only": true, "label": "ID"});
        }
        "username" => (
            "string",
            true,
            "Username",
            json!({"help_text": username, "max_length": 150}),
        ),
        "email" => (
            "email",
            email_required,
            "Email address",
            json!({"max_length": 254}),
        ),
        "first_name" => ("string", false, "First name", json!({"max_length": 150})),
        "last_name" => ("string", false, "Last name", json!({"max_length": 150})),
        "is_staff" => (
            "boolean",
            false,
            "Staff status",
            json!({"help_text": staff}),
        ),
        "is_active" => ("boolean", false, "Active", json!({"help_text": active})),
        "is_superuser" => (
            "boolean",
            false,
            "Superuser status",
            json!({"help_text": superuser}),
        ),
        "date_joined" => ("datetime", false, "Date joined", json!({})),
        _ => ("datetime", false, "Last login", json!({})),
    };
    // A nested serializer's own fields keep their writability: `read_only=True` is the
    // nested field's, not its children's.
    let mut m = Map::new();
    m.insert("type".into(), json!(kind));
    m.insert("required".into(), json!(required));
    m.insert("read_only".into(), json!(false));
    m.insert("label".into(), json!(label));
    if let Value::Object(extra) = extra {
        m.extend(extra);
    }
    Value::Object(m)
}

/// Whether `field` is an owner rendered as a nested object (OPTIONS' `"nested object"`).
pub(crate) fn is_nested_owner(field: &Field) -> bool {
    field.kind == FieldKind::Owner && field.owner_source == OwnerSource::Nested
}
