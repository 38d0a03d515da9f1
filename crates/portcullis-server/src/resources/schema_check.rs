//! The schema file as written (TOML) and the checks that turn it into the model of
//! [`super::schema`]: every problem is collected and reported with the resource, the field and
//! the reason, so a broken schema is refused at start as a whole.

use serde::Deserialize;

use super::access::{Access, Rule};
use super::schema::{Field, FieldKind, Resource, Visibility};
use super::schema_field_check::RawField;
use super::schema_wire::{add_timestamps, check_str, check_wire};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSchema {
    #[serde(default)]
    pub(super) resources: Vec<RawResource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawResource {
    name: String,
    label: Option<String>,
    #[serde(default)]
    timestamps: bool,
    #[serde(default)]
    ordering: Vec<String>,
    #[serde(default)]
    search_fields: Vec<String>,
    #[serde(default)]
    ordering_fields: Vec<String>,
    #[serde(default)]
    filter_fields: Vec<String>,
    visible_to: Option<String>,
    public_flag: Option<String>,
    #[serde(default)]
    access: RawAccess,
    page_size: Option<u32>,
    page_size_query_param: Option<String>,
    max_page_size: Option<u32>,
    pagination: Option<String>,
    cursor_ordering: Option<String>,
    id_field: Option<String>,
    /// The model's `__str__`: the field it returns.
    #[serde(rename = "str")]
    str_field: Option<String>,
    /// The serializer's `Meta.fields` (`"url"` for a `HyperlinkedModelSerializer`'s own link).
    serializer_fields: Option<Vec<String>>,
    #[serde(default)]
    fields: Vec<RawField>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccess {
    list: Option<RawRule>,
    retrieve: Option<RawRule>,
    create: Option<RawRule>,
    update: Option<RawRule>,
    destroy: Option<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawRule {
    One(String),
    All(Vec<String>),
}

/// Identifiers that reach SQL: lowercase ASCII, digits and underscores, not a reserved prefix.
/// Names whose `/api/<name>/` is a built-in endpoint (the admin API, simplejwt's token views,
/// the schema and docs).
const RESERVED_RESOURCE_NAMES: &[&str] = &["admin", "token", "schema", "docs"];

pub(super) fn valid_identifier(name: &str) -> bool {
    let reserved = ["auth_", "authtoken_", "portcullis_", "sqlite_", "pg_"];
    !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !reserved.iter().any(|p| name.starts_with(p))
}

/// Django's default verbose name, capitalized as DRF labels it: `is_public` → "Is public".
pub(super) fn label_of(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl RawResource {
    pub(super) fn check(self, problems: &mut Vec<String>) -> Option<Resource> {
        let before = problems.len();
        let resource_name = self.name.clone();
        let mut bad = |what: String| problems.push(format!("resource {resource_name}: {what}"));
        let RawResource {
            name,
            label,
            timestamps,
            ordering,
            search_fields,
            ordering_fields,
            filter_fields,
            visible_to,
            public_flag,
            access,
            page_size,
            page_size_query_param,
            max_page_size,
            pagination,
            cursor_ordering,
            id_field,
            str_field,
            serializer_fields,
            fields,
        } = self;
        let first_ordering = ordering.first().cloned();
        check_name(&name, &mut bad);
        let mut fields = check_fields(fields, &mut bad);
        if timestamps {
            add_timestamps(&mut fields, &mut bad);
        }
        let id_field = check_id_field(id_field, &fields, &mut bad);
        let wire = check_wire(serializer_fields, &id_field, &fields, &mut bad);
        let label = label.unwrap_or_else(|| {
            let singular = name.strip_suffix('s').unwrap_or(&name);
            label_of(singular).replace(' ', "")
        });
        let mut resource = Resource {
            name,
            label,
            fields,
            wire,
            str_field: None,
            ordering: Vec::new(),
            search_fields,
            ordering_fields,
            filter_fields,
            visibility: Visibility::Everyone,
            access: Access::default(),
            page_size,
            page_size_query_param,
            max_page_size,
            pagination: None,
            cursor_ordering: None,
            id_field,
        };
        super::schema_pagination::check(
            &mut resource,
            pagination.as_deref(),
            cursor_ordering.as_deref(),
            first_ordering.as_deref(),
            &mut bad,
        );
        resource.str_field = check_str(&resource, str_field, &mut bad);
        resource.ordering = check_ordering(&resource, ordering, &mut bad);
        check_field_lists(&resource, &mut bad);
        resource.visibility = check_visibility(&resource, visible_to, public_flag, &mut bad);
        resource.access = check_access(&resource, access, &mut bad);
        if let Some(0) = resource.page_size {
            bad("page_size must be at least 1".into());
        }
        (problems.len() == before).then_some(resource)
    }
}

/// The primary key's name on the wire: `id` (a `ModelSerializer`'s default) or `pk` (a
/// serializer listing `fields = ["pk", ...]`, common in tutorials).
fn check_id_field(raw: Option<String>, fields: &[Field], bad: &mut impl FnMut(String)) -> String {
    let name = raw.unwrap_or_else(|| "id".into());
    if name != "id" && name != "pk" {
        bad(format!(
            "id_field {name:?}: the primary key is rendered as \"id\" or \"pk\""
        ));
    } else if fields.iter().any(|f| f.name == name) {
        bad(format!("id_field {name:?}: a field already has that name"));
    }
    name
}

fn check_name(name: &str, bad: &mut impl FnMut(String)) {
    if !valid_identifier(name) {
        bad("the name must be lowercase letters, digits and _, start with a letter, and not start with auth_, authtoken_, portcullis_, sqlite_ or pg_".into());
    }
    if RESERVED_RESOURCE_NAMES.contains(&name) {
        bad(format!(
            "the name is taken by a built-in URL under /api/ ({})",
            RESERVED_RESOURCE_NAMES.join(", ")
        ));
    }
}

/// The fields that check out, each name and column once; at most one owner.
fn check_fields(raw_fields: Vec<RawField>, bad: &mut impl FnMut(String)) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    for raw in raw_fields {
        match raw.check() {
            Ok(field) => {
                let same_column = fields.iter().find(|f| f.column() == field.column());
                if field.name == "id" || fields.iter().any(|f| f.name == field.name) {
                    bad(format!("field {}: the name is already taken", field.name));
                } else if let Some(other) = same_column
                    && let Err(why) = super::schema_wire::share_column(other, &field)
                {
                    // A reference `parent` lives in `parent_id`: a field of that name would
                    // make CREATE TABLE fail at migrate time, far from the cause.
                    bad(format!(
                        "field {}: its column \"{}\" is already the column of field {}{why}",
                        field.name,
                        field.column(),
                        other.name
                    ));
                } else {
                    fields.push(field);
                }
            }
            Err((field, why)) => bad(format!("field {field}: {why}")),
        }
    }
    if fields.iter().filter(|f| f.kind == FieldKind::Owner).count() > 1 {
        bad("only one field may have type \"owner\"".into());
    }
    fields
}

/// The default ordering as (column, descending); `-id` when none is given.
fn check_ordering(
    resource: &Resource,
    ordering: Vec<String>,
    bad: &mut impl FnMut(String),
) -> Vec<(String, bool)> {
    let ordering = if ordering.is_empty() {
        vec!["-id".to_string()]
    } else {
        ordering
    };
    let mut out = Vec::new();
    for term in ordering {
        let (name, desc) = match term.strip_prefix('-') {
            Some(n) => (n.to_string(), true),
            None => (term.clone(), false),
        };
        match resource.column_of(&name) {
            Some(column) => out.push((column, desc)),
            None if resource
                .model_field(&name)
                .is_some_and(|f| f.kind == FieldKind::ManyToMany) =>
            {
                bad(format!(
                    "ordering: {name:?} is a many-to-many field: it holds a list of ids, which rows cannot be ordered by"
                ))
            }
            None => bad(format!(
                "ordering: {name:?} is not a field{}",
                wire_hint(resource, &name)
            )),
        }
    }
    out
}

/// When `name` is a serializer field over another model field: DRF's filters name the model's.
fn wire_hint(resource: &Resource, name: &str) -> String {
    match resource.field(name) {
        Some(field) if field.attr != name => format!(
            " of the model ({name} is the serializer's name for {:?}, which filters name)",
            field.attr
        ),
        _ => String::new(),
    }
}

/// search, ordering and filter fields name fields; search fields are textual.
fn check_field_lists(resource: &Resource, bad: &mut impl FnMut(String)) {
    for (list, what) in [
        (&resource.search_fields, "search_fields"),
        (&resource.ordering_fields, "ordering_fields"),
        (&resource.filter_fields, "filter_fields"),
    ] {
        for name in list {
            let many = resource
                .model_field(name)
                .is_some_and(|f| f.kind == FieldKind::ManyToMany);
            if many && what != "filter_fields" {
                bad(format!(
                    "{what}: {name:?} is a many-to-many field: it holds a list of ids, which rows cannot be {}",
                    if what == "search_fields" {
                        "searched in (search looks in string and text fields)"
                    } else {
                        "ordered by"
                    }
                ));
            } else if !many && resource.column_of(name).is_none() {
                bad(format!(
                    "{what}: {name:?} is not a field{}",
                    wire_hint(resource, name)
                ));
            }
        }
    }
    for name in &resource.search_fields {
        if let Some(f) = resource.model_field(name)
            && !matches!(
                f.kind,
                FieldKind::String | FieldKind::Text | FieldKind::ManyToMany
            )
        {
            bad(format!(
                "search_fields: {name:?} is not a string or text field"
            ));
        }
    }
}

fn check_visibility(
    resource: &Resource,
    visible_to: Option<String>,
    public_flag: Option<String>,
    bad: &mut impl FnMut(String),
) -> Visibility {
    let visibility = match (visible_to.as_deref(), public_flag) {
        (None | Some("everyone"), _) => Visibility::Everyone,
        (Some("owner"), _) => Visibility::Owner,
        (Some("owner_or_public"), Some(flag)) => {
            if !resource
                .model_field(&flag)
                .is_some_and(|f| f.kind == FieldKind::Boolean)
            {
                bad(format!("public_flag: {flag:?} is not a boolean field"));
            }
            Visibility::OwnerOrPublic { flag }
        }
        (Some("owner_or_public"), None) => {
            bad("visible_to = \"owner_or_public\" needs public_flag = \"<boolean field>\"".into());
            Visibility::Everyone
        }
        (Some(other), _) => {
            bad(format!(
                "visible_to: {other:?} is not one of everyone, owner, owner_or_public"
            ));
            Visibility::Everyone
        }
    };
    if visibility != Visibility::Everyone && resource.owner_field().is_none() {
        bad("visible_to needs a field of type \"owner\"".into());
    }
    visibility
}

/// The access rule of each action; `authenticated` where none is given.
fn check_access(resource: &Resource, access: RawAccess, bad: &mut impl FnMut(String)) -> Access {
    let has_owner = resource.owner_field().is_some();
    let mut rule = |action: &str, raw: Option<RawRule>| -> Rule {
        let words = match raw {
            None => vec!["authenticated".to_string()],
            Some(RawRule::One(w)) => vec![w],
            Some(RawRule::All(ws)) => ws,
        };
        match Rule::parse(&words, &resource.name) {
            Ok(rule) => {
                if rule.needs_owner() && !has_owner {
                    bad(format!(
                        "access.{action}: \"owner\" needs a field of type \"owner\""
                    ));
                }
                rule
            }
            Err(why) => {
                bad(format!("access.{action}: {why}"));
                Rule::default()
            }
        }
    };
    Access {
        list: rule("list", access.list),
        retrieve: rule("retrieve", access.retrieve),
        create: rule("create", access.create),
        update: rule("update", access.update),
        destroy: rule("destroy", access.destroy),
    }
}
