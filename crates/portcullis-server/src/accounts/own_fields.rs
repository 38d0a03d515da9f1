//! A custom user model's own fields (`class User(AbstractUser): phone = models.CharField(...)`),
//! declared as `[[user_model.fields]]` with the keys of a resource's field and checked,
//! validated and rendered by the resource engine (`resources::schema_field_check`,
//! `resources::values`).
//!
//! They live in a table of their own, one row per user keyed by the user's id
//! (`portcullis_user_profile.user_id`, unique, `ON DELETE CASCADE`), so that `auth_user` stays
//! the table Django reads. The table is planned and migrated like a resource's. Its columns
//! all accept NULL whatever the field says: a user created by the command line or the admin
//! API has no row (or a row from before a field was added), and a missing value renders as
//! the field's default, as Django fills a new column with it.

use std::collections::HashMap;

use sea_query::{Alias, Expr, ExprTrait, Query};
use serde_json::{Map, Value, json};

use crate::config::UserModelConfig;
use crate::resources::Schema;
use crate::resources::schema::{Field, FieldKind, Resource};
use crate::resources::values::{Outcome, render, validate};
use crate::serializer::Errors;
use crate::store::{Cell, OwnRow, Store, StoreError};

/// The table holding the fields.
pub(crate) const TABLE: &str = "portcullis_user_profile";

/// The column naming the user.
const USER_COLUMN: &str = "user_id";

/// `AbstractUser`'s own names, which a field of the subclass cannot take (and the table's
/// column naming the user).
const TAKEN: &[&str] = &[
    "id",
    "pk",
    "username",
    "email",
    "first_name",
    "last_name",
    "is_active",
    "is_staff",
    "is_superuser",
    "date_joined",
    "last_login",
    "password",
    "groups",
    "user_permissions",
    "user",
    // The column naming the user in the fields' table.
    "user_id",
];

/// The checked fields and the table that stores them.
#[derive(Debug, Clone, Default)]
pub(crate) struct OwnFields {
    fields: Vec<Field>,
    /// The storage: the fields, nullable, and the owner `user`; `None` without fields.
    table: Option<Resource>,
}

/// Validated values, each as `(column, value)`, ready to bind.
pub(crate) type OwnValues = Vec<(String, sea_query::Value)>;

impl OwnFields {
    /// Check `[[user_model.fields]]`: every problem as `(field, reason)`.
    pub(crate) fn parse(model: &UserModelConfig) -> Result<OwnFields, Vec<(String, String)>> {
        if model.fields.is_empty() {
            return Ok(OwnFields::default());
        }
        let mut problems = precheck(model);
        // The resource engine checks the rest, on a table whose owner is the user.
        let mut fields = vec![json!({"name": "user", "type": "owner", "unique": true})];
        fields.extend(model.fields.iter().cloned());
        let doc = json!({"resources": [{"name": "user_profile", "fields": fields}]});
        let text = toml::to_string(&doc).map_err(|e| vec![(String::new(), e.to_string())])?;
        let mut resource = match Schema::parse(&text) {
            Ok(mut schema) if problems.is_empty() => schema.resources.remove(0),
            Ok(_) => return Err(problems),
            Err(found) => {
                problems.extend(found.iter().map(|p| engine_problem(p)));
                return Err(problems);
            }
        };
        resource.name = TABLE.to_string();
        let fields: Vec<Field> = resource
            .fields
            .iter()
            .filter(|f| f.kind != FieldKind::Owner)
            .cloned()
            .collect();
        for field in resource
            .fields
            .iter_mut()
            .filter(|f| f.kind != FieldKind::Owner)
        {
            // Django's `get_default()` of a nullable field is None, even for text with
            // `blank=True`: no '' column default, which a unique field would collide on.
            if field.null {
                field.blank = false;
            }
            field.null = true;
        }
        Ok(OwnFields {
            fields,
            table: Some(resource),
        })
    }

    pub(crate) fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Whether `[[user_model.fields]]` declares `name`, checked or not (so that a refused
    /// field is reported once, under its own key).
    pub(crate) fn declares(model: &UserModelConfig, name: &str) -> bool {
        model.fields.iter().any(|f| f["name"] == name)
    }

    /// The table to migrate; `None` when the model has no fields of its own.
    pub(crate) fn table(&self) -> Option<&Resource> {
        self.table.as_ref()
    }

    /// The fields' values of each of `ids` (users without a row are absent).
    pub(crate) async fn load(
        &self,
        store: &Store,
        ids: &[i64],
    ) -> Result<HashMap<i64, Map<String, Value>>, StoreError> {
        let mut out = HashMap::new();
        if self.fields.is_empty() || ids.is_empty() {
            return Ok(out);
        }
        let mut select = Query::select();
        select
            .from(Alias::new(TABLE))
            .column(Alias::new(USER_COLUMN))
            .and_where(Expr::col(Alias::new(USER_COLUMN)).is_in(ids.iter().copied()));
        let mut kinds = vec![crate::store::cells::Storage::Integer];
        for field in &self.fields {
            select.column(Alias::new(field.column()));
            kinds.push(field.kind.storage());
        }
        for row in store.resources().select_rows(&select, &kinds).await? {
            let Some(Cell::Int(id)) = row.first() else {
                continue;
            };
            let values = self
                .fields
                .iter()
                .zip(&row[1..])
                .map(|(field, cell)| (field.name.clone(), self.shown(field, cell)))
                .collect();
            out.insert(*id, values);
        }
        Ok(out)
    }

    /// A stored cell as DRF renders it; NULL in a field that cannot be null is the default.
    fn shown(&self, field: &Field, cell: &Cell) -> Value {
        match cell {
            Cell::Null if !field.null => default_of(field),
            cell => render(field, cell),
        }
    }

    /// The rendered value of `name` for a user, its default when the user has no row.
    pub(crate) fn value_of(&self, row: Option<&Map<String, Value>>, name: &str) -> Value {
        match row.and_then(|r| r.get(name)) {
            Some(v) => v.clone(),
            None => self.field(name).map(default_of).unwrap_or(Value::Null),
        }
    }

    /// Every field's rendered value for a user, in declaration order (defaults without a row).
    pub(crate) fn all_values(&self, row: Option<&Map<String, Value>>) -> Map<String, Value> {
        self.fields
            .iter()
            .map(|f| (f.name.clone(), self.value_of(row, &f.name)))
            .collect()
    }

    /// Validate `names` (the writable fields of a serializer among the model's own) in `data`,
    /// with DRF's messages under each field's name.
    pub(crate) fn input<'a>(
        &self,
        names: impl Iterator<Item = &'a str>,
        data: &Map<String, Value>,
        is_form: bool,
        partial: bool,
        errors: &mut Errors,
    ) -> OwnValues {
        let mut out = Vec::new();
        for field in names.filter_map(|n| self.field(n)) {
            let outcome = errors.take(&field.name, validate(field, data, is_form, partial));
            if let Some(Outcome::Value(typed)) = outcome {
                out.push((field.column(), typed.into_sea(field)));
            }
        }
        out
    }

    /// DRF's `UniqueValidator` of each unique field among `values`, the user `user_id`
    /// (being changed) excluded; the message names the model as Django does ("user").
    pub(crate) async fn check_unique(
        &self,
        store: &Store,
        user_id: Option<i64>,
        values: &OwnValues,
        errors: &mut Errors,
    ) -> Result<(), StoreError> {
        let Some(table) = &self.table else {
            return Ok(());
        };
        for (column, value) in values {
            let Some(field) = self.field(column).filter(|f| f.unique) else {
                continue;
            };
            let null = matches!(
                value,
                sea_query::Value::String(None)
                    | sea_query::Value::BigInt(None)
                    | sea_query::Value::Double(None)
            );
            if null {
                continue;
            }
            let mut q = crate::resources::query::count(table);
            q.and_where(Expr::col((Alias::new(TABLE), Alias::new(column))).eq(value.clone()));
            if let Some(id) = user_id {
                q.and_where(Expr::col((Alias::new(TABLE), Alias::new(USER_COLUMN))).ne(id));
            }
            if store.resources().count_rows(&q).await? > 0 {
                let label = field.label.to_lowercase();
                errors.add(
                    &field.name,
                    vec![format!("user with this {label} already exists.")],
                );
            }
        }
        Ok(())
    }

    /// The row written with a new user: `values`, the rest the table's defaults.
    pub(crate) fn row(&self, values: OwnValues) -> OwnRow {
        OwnRow {
            table: TABLE,
            values,
        }
    }

    /// Write `values` for `user_id`: the row is created when missing (the columns left out
    /// take the table's defaults).
    pub(crate) async fn save(
        &self,
        store: &Store,
        user_id: i64,
        values: &OwnValues,
    ) -> Result<(), StoreError> {
        if values.is_empty() {
            return Ok(());
        }
        let row = self.row(values.clone());
        store.resources().insert_row(&row.upsert(user_id)).await?;
        Ok(())
    }
}

/// What a field holds when nothing was written: its default, else Django's `get_default()`
/// (an empty string for text, `False` for a boolean), else null.
fn default_of(field: &Field) -> Value {
    let cell = match (&field.default, field.kind) {
        (Some(v), FieldKind::Json) => Cell::Text(v.to_string()),
        (Some(Value::Bool(b)), _) => Cell::Int(i64::from(*b)),
        (Some(Value::Number(n)), _) => match n.as_i64() {
            Some(i) => Cell::Int(i),
            None => Cell::Real(n.as_f64().unwrap_or_default()),
        },
        (Some(Value::String(s)), _) => Cell::Text(s.clone()),
        (Some(_), _) => Cell::Null,
        (None, FieldKind::Boolean) => Cell::Int(0),
        (None, FieldKind::String | FieldKind::Text) if !field.null => Cell::Text(String::new()),
        (None, _) => Cell::Null,
    };
    render(field, &cell)
}

/// What the user model refuses before the resource engine sees the fields: `AbstractUser`'s
/// names, the serializer's keys, and relations.
fn precheck(model: &UserModelConfig) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    for raw in &model.fields {
        let name = raw.get("name").and_then(Value::as_str).unwrap_or("");
        let mut bad = |why: String| problems.push((name.to_string(), why));
        if TAKEN.contains(&name) {
            bad("the name is a field of AbstractUser".into());
        }
        let kind = raw.get("type").and_then(Value::as_str).unwrap_or("");
        if matches!(kind, "owner" | "reference" | "many_to_many") {
            bad(format!(
                "type {kind:?} is not supported on the user model (string, text, integer, float, boolean, date, datetime, json)"
            ));
        }
        for key in ["read_only", "write_only", "required", "to", "source"] {
            if raw.get(key).is_some() {
                bad(unsupported(key));
            }
        }
    }
    problems
}

/// A problem the resource engine found, as `(field, reason)`.
fn engine_problem(problem: &str) -> (String, String) {
    let p = problem
        .trim_start_matches("resource user_profile, ")
        .trim_start_matches("resource user_profile: ");
    match p.strip_prefix("field ").and_then(|p| p.split_once(": ")) {
        Some((field, why)) => (field.to_string(), why.to_string()),
        None => (String::new(), p.to_string()),
    }
}

fn unsupported(key: &str) -> String {
    match key {
        "read_only" | "write_only" | "required" => format!(
            "{key} is the serializer's: list the field in [djoser.serializers.*] read_only_fields, or leave it to the model's blank, null and default"
        ),
        _ => format!("{key} does not apply to the user model's own fields"),
    }
}
