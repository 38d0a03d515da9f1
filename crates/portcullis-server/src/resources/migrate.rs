//! Schema migrations: compare each declared resource with its table and bring the table in
//! step — create tables, add columns, create indexes for every filter and ordering column. A
//! change that would lose data (dropping or retyping a column that holds values, dropping a
//! resource's table) is refused with the reason unless explicitly allowed.

use std::collections::BTreeSet;

use serde_json::Value;

use super::access::CODENAMES;
use super::schema::{Field, FieldKind, OnDelete, Resource, Schema, Storage};
use crate::store::{ColumnInfo, Store, StoreError};

/// What `migrate` did, or why it refused.
#[derive(Debug, Default)]
pub struct Outcome {
    /// One line per change applied.
    pub applied: Vec<String>,
    /// One line per change refused (nothing at all is applied when this is not empty).
    pub refused: Vec<String>,
}

struct Column {
    name: String,
    sql_type: &'static str,
    definition: String,
    not_null: bool,
    /// Adding it to a table with rows needs a value for them.
    needs_value: bool,
}

fn sql_type(storage: Storage) -> &'static str {
    match storage {
        Storage::Integer => "INTEGER",
        Storage::Real => "REAL",
        Storage::Text => "TEXT",
    }
}

fn quote(ident: &str) -> String {
    format!("\"{ident}\"")
}

/// A default from the schema file as an SQL literal (strings quoted with `'` doubled).
fn literal(field: &Field, value: &Value) -> String {
    match (field.kind, value) {
        (_, Value::Null) => "NULL".into(),
        (FieldKind::Boolean, Value::Bool(b)) => {
            if *b {
                "1".into()
            } else {
                "0".into()
            }
        }
        (FieldKind::Json, v) => format!("'{}'", v.to_string().replace('\'', "''")),
        (_, Value::Number(n)) => n.to_string(),
        (_, Value::String(s)) => format!("'{}'", s.replace('\'', "''")),
        (_, v) => format!("'{}'", v.to_string().replace('\'', "''")),
    }
}

fn columns(resource: &Resource) -> Vec<Column> {
    let mut out = vec![Column {
        name: "id".into(),
        sql_type: "INTEGER",
        definition: "\"id\" INTEGER PRIMARY KEY AUTOINCREMENT".into(),
        not_null: true,
        needs_value: false,
    }];
    for field in &resource.fields {
        let name = field.column();
        let ty = sql_type(field.kind.storage());
        let mut def = format!("{} {ty}", quote(&name));
        let not_null = !field.null;
        if not_null {
            def.push_str(" NOT NULL");
        }
        let default = match (&field.default, field.kind) {
            (Some(v), _) => Some(literal(field, v)),
            (None, FieldKind::Boolean) => Some("0".into()),
            (None, FieldKind::String | FieldKind::Text) if field.blank => Some("''".into()),
            _ => None,
        };
        if let Some(d) = &default {
            def.push_str(&format!(" DEFAULT {d}"));
        }
        let target = match field.kind {
            FieldKind::Owner => Some("auth_user"),
            FieldKind::Reference => field.to.as_deref(),
            _ => None,
        };
        if let Some(target) = target {
            let on_delete = match field.on_delete {
                OnDelete::Cascade => "CASCADE",
                OnDelete::SetNull => "SET NULL",
                OnDelete::Restrict => "RESTRICT",
            };
            def.push_str(&format!(
                " REFERENCES {} (\"id\") ON DELETE {on_delete}",
                quote(target)
            ));
        }
        out.push(Column {
            name,
            sql_type: ty,
            definition: def,
            not_null,
            needs_value: not_null && default.is_none(),
        });
    }
    if resource.timestamps {
        for name in ["created_at", "updated_at"] {
            out.push(Column {
                name: name.into(),
                sql_type: "TEXT",
                definition: format!("\"{name}\" TEXT NOT NULL DEFAULT ''"),
                not_null: true,
                needs_value: false,
            });
        }
    }
    out
}

/// The indexes a resource's queries need: (name, unique, columns with direction).
fn indexes(resource: &Resource) -> Vec<(String, bool, Vec<String>)> {
    let table = resource.table();
    let mut out = Vec::new();
    let mut single: BTreeSet<String> = BTreeSet::new();
    for name in resource
        .filter_fields
        .iter()
        .chain(&resource.ordering_fields)
    {
        if let Some(c) = resource.column_of(name).filter(|c| c != "id") {
            single.insert(c);
        }
    }
    for field in &resource.fields {
        if matches!(field.kind, FieldKind::Owner | FieldKind::Reference) {
            single.insert(field.column());
        }
        if field.unique {
            out.push((
                format!("ux_{table}_{}", field.column()),
                true,
                vec![quote(&field.column())],
            ));
        }
    }
    for c in single {
        out.push((format!("ix_{table}_{c}"), false, vec![quote(&c)]));
    }
    let ordering: Vec<&(String, bool)> = resource
        .ordering
        .iter()
        .filter(|(c, _)| c != "id")
        .collect();
    if ordering.len() > 1
        || ordering.first().is_some_and(|(c, _)| {
            !resource
                .ordering_fields
                .iter()
                .any(|f| resource.column_of(f).as_deref() == Some(c))
        })
    {
        let cols: Vec<String> = resource
            .ordering
            .iter()
            .map(|(c, desc)| format!("{} {}", quote(c), if *desc { "DESC" } else { "ASC" }))
            .collect();
        let names: Vec<&str> = resource.ordering.iter().map(|(c, _)| c.as_str()).collect();
        out.push((format!("ix_{table}_order_{}", names.join("_")), false, cols));
    }
    out
}

fn create_index(table: &str, (name, unique, cols): &(String, bool, Vec<String>)) -> String {
    let unique = if *unique { "UNIQUE " } else { "" };
    format!(
        "CREATE {unique}INDEX IF NOT EXISTS {} ON {} ({})",
        quote(name),
        quote(table),
        cols.join(", ")
    )
}

/// The definition recorded after a successful migration (to notice removed resources).
fn snapshot(resource: &Resource) -> String {
    let fields: Vec<Value> = resource
        .fields
        .iter()
        .map(|f| serde_json::json!({"name": f.name, "type": f.kind.name(), "column": f.column()}))
        .collect();
    serde_json::json!({"name": resource.name, "fields": fields}).to_string()
}

/// Plan and, unless something is refused, apply the migrations of every resource.
pub(crate) async fn migrate(
    store: &Store,
    schema: &Schema,
    allow_destructive: bool,
    known: &[String],
) -> Result<Outcome, StoreError> {
    let mut outcome = Outcome::default();
    let mut statements = Vec::new();
    for resource in &schema.resources {
        plan_resource(
            store,
            resource,
            allow_destructive,
            &mut statements,
            &mut outcome,
        )
        .await?;
    }
    for gone in known.iter().filter(|k| schema.resource(k).is_none()) {
        if store.table_columns(gone).await?.is_empty() {
            continue;
        }
        if store.has_data(gone, None).await? && !allow_destructive {
            outcome.refused.push(format!(
                "resource {gone}: removed from the schema but its table holds rows; run `portcullis migrate --allow-destructive` to drop it"
            ));
        } else {
            statements.push(format!("DROP TABLE {}", quote(gone)));
            outcome.applied.push(format!("Drop resource {gone}"));
        }
    }
    if !outcome.refused.is_empty() {
        outcome.applied.clear();
        return Ok(outcome);
    }
    if !statements.is_empty() {
        store.execute_ddl(&statements).await?;
    }
    for resource in &schema.resources {
        store
            .save_schema_snapshot(&resource.name, &snapshot(resource))
            .await?;
        store
            .ensure_permissions(&resource.name, &resource.label, CODENAMES)
            .await?;
    }
    Ok(outcome)
}

async fn plan_resource(
    store: &Store,
    resource: &Resource,
    allow_destructive: bool,
    statements: &mut Vec<String>,
    outcome: &mut Outcome,
) -> Result<(), StoreError> {
    let mut plan = Planner {
        store,
        resource,
        table: resource.table(),
        allow_destructive,
        statements,
        outcome,
    };
    let wanted = columns(resource);
    let actual = store.table_columns(plan.table).await?;
    if actual.is_empty() {
        plan.create_table(&wanted);
        return Ok(());
    }
    let has_rows = store.has_data(plan.table, None).await?;
    let mut rebuild = false;
    for column in &wanted {
        let existing = actual.iter().find(|a| a.name == column.name);
        rebuild |= plan.column(column, existing, has_rows).await?;
    }
    for existing in actual
        .iter()
        .filter(|a| !wanted.iter().any(|c| c.name == a.name))
    {
        rebuild |= plan.removed_column(existing).await?;
    }
    if rebuild {
        plan.statements
            .extend(rebuild_table(resource, &wanted, &actual));
        plan.statements.extend(
            indexes(resource)
                .iter()
                .map(|i| create_index(plan.table, i)),
        );
        return Ok(());
    }
    plan.indexes().await
}

/// The changes of one resource's table, as they are planned.
struct Planner<'a> {
    store: &'a Store,
    resource: &'a Resource,
    table: &'a str,
    allow_destructive: bool,
    statements: &'a mut Vec<String>,
    outcome: &'a mut Outcome,
}

impl Planner<'_> {
    fn applied(&mut self, line: String) {
        self.outcome.applied.push(line);
    }

    fn refused(&mut self, line: String) {
        self.outcome.refused.push(line);
    }

    fn create_table(&mut self, wanted: &[Column]) {
        let defs: Vec<&str> = wanted.iter().map(|c| c.definition.as_str()).collect();
        self.statements.push(format!(
            "CREATE TABLE {} (\n    {}\n)",
            quote(self.table),
            defs.join(",\n    ")
        ));
        let table = self.table;
        self.statements.extend(
            indexes(self.resource)
                .iter()
                .map(|i| create_index(table, i)),
        );
        self.applied(format!("Create resource {}", self.resource.name));
    }

    /// A wanted column against the table's: added, refused, or marked for a rebuild (true).
    async fn column(
        &mut self,
        column: &Column,
        existing: Option<&ColumnInfo>,
        has_rows: bool,
    ) -> Result<bool, StoreError> {
        let (name, field) = (&self.resource.name, &column.name);
        match existing {
            None if column.needs_value && has_rows => self.refused(format!(
                "resource {name}, field {field}: a required column cannot be added to a table with rows; give the field a default or null = true"
            )),
            None => {
                // An empty table: SQLite still needs a default for NOT NULL on ADD COLUMN.
                let zero = match (column.needs_value, column.sql_type) {
                    (false, _) => "",
                    (true, "TEXT") => " DEFAULT ''",
                    (true, _) => " DEFAULT 0",
                };
                self.statements.push(format!(
                    "ALTER TABLE {} ADD COLUMN {}{zero}",
                    quote(self.table),
                    column.definition
                ));
                self.applied(format!("Add field {field} to {name}"));
            }
            Some(existing)
                if existing.name != "id"
                    && existing.sql_type == column.sql_type
                    && existing.not_null != column.not_null =>
            {
                // Only the nullability changes: no stored value is converted, so this is not
                // destructive. Tightening is impossible while a row holds a null, whatever is
                // allowed: no value can be made up for it.
                if column.not_null && has_nulls(self.store, self.table, field).await? {
                    self.refused(format!(
                        "resource {name}, field {field}: the column holds nulls and would no longer accept them; set a value in those rows first, or keep null = true"
                    ));
                } else {
                    self.applied(format!("Alter field {field} of {name}"));
                    return Ok(true);
                }
            }
            Some(existing) if retyped(existing, column) => {
                let holds_data = self.store.has_data(self.table, Some(field)).await?;
                if holds_data && !self.allow_destructive {
                    self.refused(format!(
                        "resource {name}, field {field}: changing the column from {} to {} would convert stored values; run `portcullis migrate --allow-destructive` to do it",
                        existing.sql_type, column.sql_type
                    ));
                } else {
                    self.applied(format!("Alter field {field} of {name}"));
                    return Ok(true);
                }
            }
            Some(_) => {}
        }
        Ok(false)
    }

    /// A column the schema no longer has: refused while it holds data, else dropped by a
    /// rebuild (true).
    async fn removed_column(&mut self, existing: &ColumnInfo) -> Result<bool, StoreError> {
        let (name, field) = (&self.resource.name, &existing.name);
        let holds_data = self.store.has_data(self.table, Some(field)).await?;
        if holds_data && !self.allow_destructive {
            self.refused(format!(
                "resource {name}, field {field}: removed from the schema but the column holds data; run `portcullis migrate --allow-destructive` to drop it"
            ));
            return Ok(false);
        }
        self.applied(format!("Remove field {field} from {name}"));
        Ok(true)
    }

    /// Create the indexes the queries need and drop the ones of fields no longer filtered or
    /// ordered (only Portcullis' own, `ix_`/`ux_`).
    async fn indexes(&mut self) -> Result<(), StoreError> {
        let existing = self.store.table_indexes(self.table).await?;
        let wanted = indexes(self.resource);
        for index in &wanted {
            if !existing.contains(&index.0) {
                self.statements.push(create_index(self.table, index));
                self.applied(format!("Create index {}", index.0));
            }
        }
        for old in existing.iter().filter(|n| {
            (n.starts_with("ix_") || n.starts_with("ux_")) && !wanted.iter().any(|i| &i.0 == *n)
        }) {
            self.statements
                .push(format!("DROP INDEX IF EXISTS {}", quote(old)));
            self.applied(format!("Remove index {old}"));
        }
        Ok(())
    }
}

/// Does `column` of `table` hold a null in some row?
async fn has_nulls(store: &Store, table: &str, column: &str) -> Result<bool, StoreError> {
    use sea_query::ExprTrait;
    let mut q = sea_query::Query::select();
    q.from(table.to_string())
        .expr(sea_query::Expr::cust("COUNT(*)"))
        .and_where(sea_query::Expr::col(column.to_string()).is_null());
    Ok(store.count_rows(&q).await? > 0)
}

/// A table name as an SQL string literal (names come from the validated schema; quotes doubled
/// all the same).
fn name_literal(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

fn retyped(existing: &ColumnInfo, wanted: &Column) -> bool {
    existing.name != "id"
        && (existing.sql_type != wanted.sql_type || existing.not_null != wanted.not_null)
}

/// SQLite cannot change a column's type in place: copy into a new table of the wanted shape.
fn rebuild_table(resource: &Resource, wanted: &[Column], actual: &[ColumnInfo]) -> Vec<String> {
    let table = resource.table();
    let temp = format!("{table}__rebuild");
    let defs: Vec<&str> = wanted.iter().map(|c| c.definition.as_str()).collect();
    let common: Vec<&Column> = wanted
        .iter()
        .filter(|c| actual.iter().any(|a| a.name == c.name))
        .collect();
    let names: Vec<String> = common.iter().map(|c| quote(&c.name)).collect();
    let casts: Vec<String> = common
        .iter()
        .map(|c| format!("CAST({} AS {})", quote(&c.name), c.sql_type))
        .collect();
    vec![
        format!(
            "CREATE TABLE {} (\n    {}\n)",
            quote(&temp),
            defs.join(",\n    ")
        ),
        format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            quote(&temp),
            names.join(", "),
            casts.join(", "),
            quote(table)
        ),
        // AUTOINCREMENT never hands out the id of a deleted row again; the copy would restart
        // the counter at the largest id left, so carry the old table's counter over (the row
        // follows the rename below).
        format!(
            "DELETE FROM sqlite_sequence WHERE name = {}",
            name_literal(&temp)
        ),
        format!(
            "INSERT INTO sqlite_sequence (name, seq) SELECT {}, seq FROM sqlite_sequence WHERE name = {}",
            name_literal(&temp),
            name_literal(table)
        ),
        format!("DROP TABLE {}", quote(table)),
        format!("ALTER TABLE {} RENAME TO {}", quote(&temp), quote(table)),
    ]
}
