//! A Django model's table into a declared resource (`--resource NAME=TABLE`): the resource's
//! columns read by the same names from the Django table (Django names them so: `owner_id` for
//! an owner, `<field>_id` for a reference), ids kept. Each value is read as text on either
//! database and stored as the resource's column stores it (booleans 0/1, timestamps in the
//! stored form). Rows whose id the resource already has are left as they are; rows whose owner
//! was not imported are skipped.

use std::collections::BTreeSet;

use sea_query::Value;
use sqlx::Row;

use super::report::Tally;
use super::source::{Source, normalize_ts};
use crate::resources::schema::{FieldKind, Resource};
use crate::store::import::ResourceRows;

/// The Django table's rows: id, then each column's text (`None` for NULL).
pub(crate) type TextRows = Vec<(i64, Vec<Option<String>>)>;

/// The resource's columns and their kinds; many-to-many fields (no column) are not read.
pub(crate) fn columns(resource: &Resource) -> Result<Vec<(String, FieldKind)>, String> {
    let mut out = Vec::new();
    for field in &resource.fields {
        if field.kind == FieldKind::ManyToMany {
            return Err(format!(
                "resource {}: many-to-many field {} cannot be imported yet",
                resource.name, field.name
            ));
        }
        out.push((field.column(), field.kind));
    }
    Ok(out)
}

impl Source {
    /// The text of one column, as the two databases spell it.
    fn as_text(&self, column: &str, kind: FieldKind) -> String {
        let quoted = format!("\"{column}\"");
        match (self, kind) {
            (Source::Postgres(_), FieldKind::DateTime) => self.ts(&quoted),
            (Source::Postgres(_), FieldKind::Boolean) => {
                format!("CASE WHEN {quoted} IS NULL THEN NULL WHEN {quoted} THEN '1' ELSE '0' END")
            }
            _ => format!("CAST({quoted} AS TEXT)"),
        }
    }

    /// Every row of `table`, by id.
    pub(crate) async fn text_rows(
        &self,
        table: &str,
        columns: &[(String, FieldKind)],
    ) -> anyhow::Result<TextRows> {
        let mut select = vec![self.int("id")];
        select.extend(columns.iter().map(|(c, k)| self.as_text(c, *k)));
        let sql = format!("SELECT {} FROM \"{table}\" ORDER BY 1", select.join(", "));
        let n = columns.len();
        let read = |get: &dyn Fn(usize) -> Result<Option<String>, sqlx::Error>, id: i64| {
            let values = (1..=n).map(get).collect::<Result<Vec<_>, _>>()?;
            Ok::<_, sqlx::Error>((id, values))
        };
        let rows: Result<TextRows, sqlx::Error> = match self {
            Source::Sqlite(pool) => {
                let raw = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                    .fetch_all(pool)
                    .await?;
                raw.iter()
                    .map(|r| read(&|i| r.try_get(i), r.try_get(0)?))
                    .collect()
            }
            Source::Postgres(pool) => {
                let raw = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                    .fetch_all(pool)
                    .await?;
                raw.iter()
                    .map(|r| read(&|i| r.try_get(i), r.try_get(0)?))
                    .collect()
            }
        };
        rows.map_err(|e| anyhow::anyhow!("reading the Django table {table} ({sql}): {e}"))
    }
}

/// A Django value's text as the resource's column stores it.
fn value(kind: FieldKind, text: Option<&str>) -> Result<Value, String> {
    let Some(text) = text else {
        return Ok(match kind.storage() {
            crate::store::Storage::Integer => Value::BigInt(None),
            crate::store::Storage::Real => Value::Double(None),
            crate::store::Storage::Text => Value::String(None),
        });
    };
    let bad = || format!("{text:?} is not a {}", kind.name());
    Ok(match kind {
        FieldKind::Boolean => Value::from(i64::from(matches!(text, "1" | "t" | "true"))),
        FieldKind::Integer | FieldKind::Owner | FieldKind::Reference => {
            Value::from(text.parse::<i64>().map_err(|_| bad())?)
        }
        FieldKind::Float => Value::from(text.parse::<f64>().map_err(|_| bad())?),
        FieldKind::DateTime => Value::from(normalize_ts(text)),
        _ => Value::from(text.to_string()),
    })
}

/// The rows to write into `resource` and the tally of them.
pub(crate) fn plan_rows(
    resource: &Resource,
    columns: &[(String, FieldKind)],
    rows: &TextRows,
    present: &BTreeSet<i64>,
    users: &BTreeSet<i64>,
) -> (ResourceRows, Tally) {
    let mut tally = Tally::new(format!("{} rows", resource.name));
    let mut out = ResourceRows {
        table: resource.table().to_string(),
        columns: columns.iter().map(|(c, _)| c.clone()).collect(),
        rows: Vec::new(),
    };
    for (id, texts) in rows {
        if present.contains(id) {
            tally.present += 1;
            continue;
        }
        let mut values = Vec::with_capacity(texts.len());
        let mut refused = None;
        for ((column, kind), text) in columns.iter().zip(texts) {
            match value(*kind, text.as_deref()) {
                Ok(Value::BigInt(Some(owner)))
                    if *kind == FieldKind::Owner && !users.contains(&owner) =>
                {
                    refused = Some(format!("its owner, user {owner}, was not imported"));
                }
                Ok(v) => values.push(v),
                Err(why) => refused = Some(format!("{column}: {why}")),
            }
        }
        match refused {
            Some(why) => tally.skip(format!("{} {id}: {why}", resource.name)),
            None => {
                tally.imported += 1;
                out.rows.push((*id, values));
            }
        }
    }
    (out, tally)
}
