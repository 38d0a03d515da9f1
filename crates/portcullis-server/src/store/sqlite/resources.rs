//! Running resource statements on SQLite, and the introspection schema migrations need.

use sea_query::{
    DeleteStatement, InsertStatement, SelectStatement, SqliteQueryBuilder, UpdateStatement,
};
use sea_query_sqlx::{SqlxBinder, SqlxValues};
use sqlx::sqlite::SqliteQueryResult;
use sqlx::{AssertSqlSafe, Row};

use std::sync::Arc;

use super::SqliteStore;
use super::group_writer::Write;
use super::limited::LimitedReaders;
use super::links::replace_links;
use super::read_job::{Answer, ReadJob};
use super::values::built;
use crate::store::StoreError;
use crate::store::cells::{Cell, ColumnInfo, Storage};
use crate::store::links::LinkSet;
use crate::store::tables::Change;
use crate::store::{ResourceStore, StoreFuture};

impl SqliteStore {
    /// Run a built write on the writer connection, constraint failures mapped once.
    async fn write(
        &self,
        (sql, values): (String, SqlxValues),
    ) -> Result<SqliteQueryResult, StoreError> {
        sqlx::query_with(AssertSqlSafe(sql), values)
            .execute(&self.writer)
            .await
            .map_err(StoreError::from)
    }

    /// An `UPDATE` or `DELETE` through the group writer (in memory, the sqlx writer); the rows
    /// it changed.
    async fn change_rows(
        &self,
        (sql, values): (String, sea_query::Values),
    ) -> Result<u64, StoreError> {
        if let Some(writer) = &self.resource_writer {
            let change = Some(built((sql, values))?);
            let links = Vec::new();
            let done = writer
                .write(Write::Change {
                    change,
                    id: 0,
                    links,
                })
                .await?;
            return Ok(done.changed);
        }
        Ok(self.write((sql, SqlxValues(values))).await?.rows_affected())
    }

    /// `job` on the resource readers, answered from the result cache while nothing changed.
    async fn read(
        &self,
        readers: &Arc<LimitedReaders>,
        job: ReadJob,
    ) -> Result<Answer, StoreError> {
        let Some(results) = &self.results else {
            return readers.run(job).await;
        };
        results.read(job.key(), readers.run(job)).await
    }
}

impl ResourceStore for SqliteStore {
    fn select_rows<'a>(
        &'a self,
        stmt: &'a SelectStatement,
        kinds: &'a [Storage],
    ) -> StoreFuture<'a, Vec<Vec<Cell>>> {
        Box::pin(async move {
            if let Some(readers) = &self.resource_reader {
                return self
                    .read(readers, ReadJob::rows(stmt, kinds)?)
                    .await?
                    .into_rows();
            }
            // An in-memory database has only the writer's connection.
            let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
            let rows = sqlx::query_with(AssertSqlSafe(sql), values)
                .fetch_all(&self.writer)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let mut cells = Vec::with_capacity(kinds.len());
                for (i, kind) in kinds.iter().enumerate() {
                    let cell = match kind {
                        Storage::Integer => row.try_get::<Option<i64>, _>(i)?.map(Cell::Int),
                        Storage::Real => row.try_get::<Option<f64>, _>(i)?.map(Cell::Real),
                        Storage::Text => row.try_get::<Option<String>, _>(i)?.map(Cell::Text),
                    };
                    cells.push(cell.unwrap_or(Cell::Null));
                }
                out.push(cells);
            }
            Ok(out)
        })
    }

    fn count_rows<'a>(&'a self, stmt: &'a SelectStatement) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let count = match &self.resource_reader {
                Some(readers) => self
                    .read(readers, ReadJob::count(stmt)?)
                    .await?
                    .into_count()?,
                None => {
                    let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                    sqlx::query_scalar_with(AssertSqlSafe(sql), values)
                        .fetch_one(&self.writer)
                        .await?
                }
            };
            Ok(u64::try_from(count).unwrap_or(0))
        })
    }

    fn insert_row<'a>(&'a self, stmt: &'a InsertStatement) -> StoreFuture<'a, i64> {
        self.insert_row_linked(stmt, &[])
    }

    fn update_rows<'a>(&'a self, stmt: &'a UpdateStatement) -> StoreFuture<'a, u64> {
        Box::pin(async move { self.change_rows(stmt.build(SqliteQueryBuilder)).await })
    }

    fn delete_rows<'a>(&'a self, stmt: &'a DeleteStatement) -> StoreFuture<'a, u64> {
        Box::pin(async move { self.change_rows(stmt.build(SqliteQueryBuilder)).await })
    }

    fn table_columns<'a>(&'a self, table: &'a str) -> StoreFuture<'a, Vec<ColumnInfo>> {
        Box::pin(async move {
            let rows = sqlx::query("SELECT name, type, \"notnull\" FROM pragma_table_info(?)")
                .bind(table)
                .fetch_all(&self.writer)
                .await?;
            rows.iter()
                .map(|r| {
                    let declared = r.try_get::<String, _>("type")?;
                    Ok(ColumnInfo {
                        name: r.try_get("name")?,
                        storage: super::ddl::storage_of(&declared),
                        not_null: r.try_get::<i64, _>("notnull")? != 0,
                    })
                })
                .collect::<Result<_, sqlx::Error>>()
                .map_err(Into::into)
        })
    }

    fn table_indexes<'a>(&'a self, table: &'a str) -> StoreFuture<'a, Vec<String>> {
        Box::pin(async move {
            let names: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_index_list(?)")
                .bind(table)
                .fetch_all(&self.writer)
                .await?;
            Ok(names)
        })
    }

    fn has_data<'a>(&'a self, table: &'a str, column: Option<&'a str>) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            // Identifiers come from the validated schema or from the database's own catalogue.
            let sql = match column {
                Some(c) => format!("SELECT 1 FROM \"{table}\" WHERE \"{c}\" IS NOT NULL LIMIT 1"),
                None => format!("SELECT 1 FROM \"{table}\" LIMIT 1"),
            };
            let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
                .fetch_optional(&self.writer)
                .await?;
            Ok(found.is_some())
        })
    }

    fn has_nulls<'a>(&'a self, table: &'a str, column: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let sql = format!("SELECT 1 FROM \"{table}\" WHERE \"{column}\" IS NULL LIMIT 1");
            let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
                .fetch_optional(&self.writer)
                .await?;
            Ok(found.is_some())
        })
    }

    fn apply_changes<'a>(&'a self, changes: &'a [Change]) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let statements: Vec<String> = changes.iter().flat_map(super::ddl::statements).collect();
            let mut conn = self.writer.acquire().await?;
            // A table rebuild must not trip the foreign keys of rows pointing at it.
            sqlx::query("PRAGMA foreign_keys = OFF")
                .execute(&mut *conn)
                .await?;
            let result: Result<(), StoreError> = async {
                let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                for sql in statements {
                    sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *tx).await?;
                }
                let broken: Option<String> =
                    sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1")
                        .fetch_optional(&mut *tx)
                        .await?;
                if let Some(table) = broken {
                    return Err(StoreError::Conflict(format!(
                        "rows of {table} would reference missing rows"
                    )));
                }
                tx.commit().await?;
                Ok(())
            }
            .await;
            sqlx::query("PRAGMA foreign_keys = ON")
                .execute(&mut *conn)
                .await?;
            result
        })
    }

    fn known_resources(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(async move {
            Ok(
                sqlx::query_scalar("SELECT name FROM portcullis_resources ORDER BY name")
                    .fetch_all(&self.writer)
                    .await?,
            )
        })
    }

    fn save_schema_snapshot<'a>(
        &'a self,
        resource: &'a str,
        definition: &'a str,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            sqlx::query(
                "INSERT INTO portcullis_resources (name, definition) VALUES (?, ?) \
             ON CONFLICT (name) DO UPDATE SET definition = excluded.definition",
            )
            .bind(resource)
            .bind(definition)
            .execute(&self.writer)
            .await?;
            Ok(())
        })
    }

    fn ensure_permissions<'a>(
        &'a self,
        resource: &'a str,
        label: &'a str,
        codenames: &'a [&'a str],
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            for codename in codenames {
                sqlx::query(
                    "INSERT INTO auth_permission (name, codename, resource) VALUES (?, ?, ?) \
                 ON CONFLICT (resource, codename) DO NOTHING",
                )
                .bind(format!("Can {codename} {}", label.to_lowercase()))
                .bind(codename)
                .bind(resource)
                .execute(&self.writer)
                .await?;
            }
            Ok(())
        })
    }

    fn insert_row_linked<'a>(
        &'a self,
        stmt: &'a InsertStatement,
        links: &'a [LinkSet],
    ) -> StoreFuture<'a, i64> {
        Box::pin(async move {
            if let Some(writer) = &self.resource_writer {
                let insert = built(stmt.build(SqliteQueryBuilder))?;
                let links = links.to_vec();
                return Ok(writer.write(Write::Insert { insert, links }).await?.id);
            }
            let mut tx = self.writer.begin().await?;
            let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
            let done = sqlx::query_with(AssertSqlSafe(sql), values)
                .execute(&mut *tx)
                .await?;
            let id = done.last_insert_rowid();
            replace_links(&mut tx, id, links).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    fn update_row_linked<'a>(
        &'a self,
        stmt: Option<&'a UpdateStatement>,
        id: i64,
        links: &'a [LinkSet],
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            if let Some(writer) = &self.resource_writer {
                let change = stmt
                    .map(|s| built(s.build(SqliteQueryBuilder)))
                    .transpose()?;
                let links = links.to_vec();
                writer.write(Write::Change { change, id, links }).await?;
                return Ok(());
            }
            let mut tx = self.writer.begin().await?;
            if let Some(stmt) = stmt {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(&mut *tx)
                    .await?;
            }
            replace_links(&mut tx, id, links).await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
