//! Running resource statements on PostgreSQL, and the introspection schema migrations need.
//! The rows' statements go through the resource pool, whose connections stop a statement after
//! `limits.query_timeout_ms`. A migration's catalogue reads, DDL, snapshots and permissions are
//! no client's query: they run on the fixed pool, without that limit (a limit of a few
//! milliseconds would otherwise stop `migrate` itself, or a table rewrite halfway).

use sea_query::{
    DeleteStatement, InsertStatement, PostgresQueryBuilder, SelectStatement, UpdateStatement,
    Values,
};
use sea_query_sqlx::{SqlxBinder, SqlxValues};
use sqlx::postgres::PgQueryResult;
use sqlx::{AssertSqlSafe, PgConnection, Row};

use super::PgStore;
use super::ddl::{self, Existing};
use super::links::replace_links;
use crate::store::StoreError;
use crate::store::cells::{Cell, ColumnInfo, Storage};
use crate::store::links::LinkSet;
use crate::store::result_cache::Answer;
use crate::store::tables::Change;
use crate::store::{ResourceStore, StoreFuture};

/// A table's columns, in order, with their catalogued type and nullability.
const COLUMNS: &str = "SELECT a.attname::text AS name, format_type(a.atttypid, NULL) AS type, \
     a.attnotnull AS not_null FROM pg_attribute a \
     WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped \
     ORDER BY a.attnum";

/// A table's indexes, by name; not the primary key's (SQLite's id is the row id, no index).
const INDEXES: &str = "SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
     WHERE i.indrelid = to_regclass(quote_ident($1)) AND NOT i.indisprimary ORDER BY c.relname";

/// A table's own foreign-key constraints, by name.
const FOREIGN_KEYS: &str = "SELECT conname::text FROM pg_constraint \
     WHERE conrelid = to_regclass(quote_ident($1)) AND contype = 'f' ORDER BY conname";

impl PgStore {
    /// The rows a built `SELECT` returns, each column read as `kinds` says.
    async fn rows(
        &self,
        (sql, values): (String, Values),
        kinds: &[Storage],
    ) -> Result<Vec<Vec<Cell>>, StoreError> {
        let rows = sqlx::query_with(AssertSqlSafe(sql), SqlxValues(values))
            .fetch_all(&self.resource_pool)
            .await?;
        rows.iter()
            .map(|row| cells(row, kinds))
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }

    /// The number a built `COUNT(*)` returns.
    async fn count(&self, (sql, values): (String, Values)) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar_with(AssertSqlSafe(sql), SqlxValues(values))
                .fetch_one(&self.resource_pool)
                .await?,
        )
    }

    /// Run a write to resource rows or tables, then move the data version (whatever the
    /// outcome: a write that failed may have been committed), so that no answer kept from
    /// before it is served once it is answered.
    async fn changing<T>(
        &self,
        write: impl std::future::Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let result = write.await;
        if let Some(data) = &self.data {
            data.changed();
        }
        result
    }

    /// Run a built write, constraint failures mapped once.
    async fn write(
        &self,
        (sql, values): (String, SqlxValues),
    ) -> Result<PgQueryResult, StoreError> {
        sqlx::query_with(AssertSqlSafe(sql), values)
            .execute(&self.resource_pool)
            .await
            .map_err(StoreError::from)
    }
}

/// Insert one row on `conn`, its id read back with `RETURNING` (an upsert that changed
/// nothing returns no row: 0, as no id is).
async fn insert(conn: &mut PgConnection, stmt: &InsertStatement) -> Result<i64, StoreError> {
    let mut stmt = stmt.clone();
    stmt.returning_col("id");
    let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
    let id: Option<i64> = sqlx::query_scalar_with(AssertSqlSafe(sql), values)
        .fetch_optional(conn)
        .await?;
    Ok(id.unwrap_or(0))
}

/// One row's cells, each read as its storage class.
fn cells(row: &sqlx::postgres::PgRow, kinds: &[Storage]) -> Result<Vec<Cell>, sqlx::Error> {
    let mut cells = Vec::with_capacity(kinds.len());
    for (i, kind) in kinds.iter().enumerate() {
        let cell = match kind {
            Storage::Integer => row.try_get::<Option<i64>, _>(i)?.map(Cell::Int),
            Storage::Real => row.try_get::<Option<f64>, _>(i)?.map(Cell::Real),
            Storage::Text => row.try_get::<Option<String>, _>(i)?.map(Cell::Text),
        };
        cells.push(cell.unwrap_or(Cell::Null));
    }
    Ok(cells)
}

/// The table as it is now, read inside the migration's transaction (earlier changes included).
async fn existing(conn: &mut PgConnection, table: &str) -> Result<Existing, StoreError> {
    let rows = sqlx::query(COLUMNS)
        .bind(table)
        .fetch_all(&mut *conn)
        .await?;
    let columns = rows
        .iter()
        .map(|r| {
            let kind: String = r.try_get("type")?;
            Ok((r.try_get("name")?, ddl::storage_of(&kind)))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let foreign_keys = sqlx::query_scalar(FOREIGN_KEYS)
        .bind(table)
        .fetch_all(&mut *conn)
        .await?;
    let indexes = sqlx::query_scalar(INDEXES)
        .bind(table)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Existing {
        columns,
        foreign_keys,
        indexes,
    })
}

impl ResourceStore for PgStore {
    fn select_rows<'a>(
        &'a self,
        stmt: &'a SelectStatement,
        kinds: &'a [Storage],
    ) -> StoreFuture<'a, Vec<Vec<Cell>>> {
        Box::pin(async move {
            let (sql, values) = stmt.build(PostgresQueryBuilder);
            let Some(results) = &self.results else {
                return self.rows((sql, values), kinds).await;
            };
            let key = format!("r{kinds:?}\0{sql}\0{:?}", values.0);
            let run = async { Ok(Answer::Rows(self.rows((sql, values), kinds).await?)) };
            results.read(key, run).await?.into_rows()
        })
    }

    fn count_rows<'a>(&'a self, stmt: &'a SelectStatement) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let (sql, values) = stmt.build(PostgresQueryBuilder);
            let count = match &self.results {
                None => self.count((sql, values)).await?,
                Some(results) => {
                    let key = format!("c\0{sql}\0{:?}", values.0);
                    let run = async { Ok(Answer::Count(self.count((sql, values)).await?)) };
                    results.read(key, run).await?.into_count()?
                }
            };
            Ok(u64::try_from(count).unwrap_or(0))
        })
    }

    fn insert_row<'a>(&'a self, stmt: &'a InsertStatement) -> StoreFuture<'a, i64> {
        Box::pin(self.changing(async move {
            let mut conn = self.resource_pool.acquire().await?;
            insert(&mut conn, stmt).await
        }))
    }

    fn update_rows<'a>(&'a self, stmt: &'a UpdateStatement) -> StoreFuture<'a, u64> {
        Box::pin(self.changing(async move {
            Ok(self
                .write(stmt.build_sqlx(PostgresQueryBuilder))
                .await?
                .rows_affected())
        }))
    }

    fn delete_rows<'a>(&'a self, stmt: &'a DeleteStatement) -> StoreFuture<'a, u64> {
        Box::pin(self.changing(async move {
            Ok(self
                .write(stmt.build_sqlx(PostgresQueryBuilder))
                .await?
                .rows_affected())
        }))
    }

    fn table_columns<'a>(&'a self, table: &'a str) -> StoreFuture<'a, Vec<ColumnInfo>> {
        Box::pin(async move {
            let rows = sqlx::query(COLUMNS)
                .bind(table)
                .fetch_all(&self.pool)
                .await?;
            rows.iter()
                .map(|r| {
                    let kind: String = r.try_get("type")?;
                    Ok(ColumnInfo {
                        name: r.try_get("name")?,
                        storage: ddl::storage_of(&kind),
                        not_null: r.try_get("not_null")?,
                    })
                })
                .collect::<Result<_, sqlx::Error>>()
                .map_err(Into::into)
        })
    }

    fn table_indexes<'a>(&'a self, table: &'a str) -> StoreFuture<'a, Vec<String>> {
        Box::pin(async move {
            Ok(sqlx::query_scalar(INDEXES)
                .bind(table)
                .fetch_all(&self.pool)
                .await?)
        })
    }

    fn has_data<'a>(&'a self, table: &'a str, column: Option<&'a str>) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            // Identifiers come from the validated schema or from the database's own catalogue.
            let sql = match column {
                Some(c) => format!("SELECT 1 FROM \"{table}\" WHERE \"{c}\" IS NOT NULL LIMIT 1"),
                None => format!("SELECT 1 FROM \"{table}\" LIMIT 1"),
            };
            let found: Option<i32> = sqlx::query_scalar(AssertSqlSafe(sql))
                .fetch_optional(&self.pool)
                .await?;
            Ok(found.is_some())
        })
    }

    fn has_nulls<'a>(&'a self, table: &'a str, column: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let sql = format!("SELECT 1 FROM \"{table}\" WHERE \"{column}\" IS NULL LIMIT 1");
            let found: Option<i32> = sqlx::query_scalar(AssertSqlSafe(sql))
                .fetch_optional(&self.pool)
                .await?;
            Ok(found.is_some())
        })
    }

    fn apply_changes<'a>(&'a self, changes: &'a [Change]) -> StoreFuture<'a, ()> {
        Box::pin(self.changing(async move {
            // PostgreSQL's DDL is transactional: a migration applies whole or not at all.
            let mut tx = self.pool.begin().await?;
            for change in changes {
                let statements = match change {
                    Change::Reshape { table, kept } => {
                        let found = existing(&mut tx, &table.name).await?;
                        ddl::reshape(table, kept, &found)
                    }
                    other => ddl::statements(other),
                };
                for sql in statements {
                    sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(())
        }))
    }

    fn known_resources(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(async move {
            Ok(
                sqlx::query_scalar("SELECT name FROM portcullis_resources ORDER BY name")
                    .fetch_all(&self.pool)
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
                "INSERT INTO portcullis_resources (name, definition) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET definition = excluded.definition",
            )
            .bind(resource)
            .bind(definition)
            .execute(&self.pool)
            .await?;
            // Each synced table announces its changes to every instance's result cache.
            sqlx::raw_sql(AssertSqlSafe(super::data_version::watch_sql(resource)))
                .execute(&self.pool)
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
                    "INSERT INTO auth_permission (name, codename, resource) VALUES ($1, $2, $3) \
                     ON CONFLICT (resource, codename) DO NOTHING",
                )
                .bind(format!("Can {codename} {}", label.to_lowercase()))
                .bind(codename)
                .bind(resource)
                .execute(&self.pool)
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
        Box::pin(self.changing(async move {
            let mut tx = self.resource_pool.begin().await?;
            let id = insert(&mut tx, stmt).await?;
            replace_links(&mut tx, id, links).await?;
            tx.commit().await?;
            Ok(id)
        }))
    }

    fn update_row_linked<'a>(
        &'a self,
        stmt: Option<&'a UpdateStatement>,
        id: i64,
        links: &'a [LinkSet],
    ) -> StoreFuture<'a, ()> {
        Box::pin(self.changing(async move {
            let mut tx = self.resource_pool.begin().await?;
            if let Some(stmt) = stmt {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(&mut *tx)
                    .await?;
            }
            replace_links(&mut tx, id, links).await?;
            tx.commit().await?;
            Ok(())
        }))
    }
}
