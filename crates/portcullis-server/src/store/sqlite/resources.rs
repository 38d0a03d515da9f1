//! Running resource statements on SQLite, and the introspection schema migrations need.

use sea_query::{
    DeleteStatement, InsertStatement, SelectStatement, SqliteQueryBuilder, UpdateStatement,
};
use sea_query_sqlx::{SqlxBinder, SqlxValues};
use sqlx::sqlite::SqliteQueryResult;
use sqlx::{AssertSqlSafe, Row};

use super::SqliteStore;
use crate::store::StoreError;
use crate::store::cells::{Cell, ColumnInfo, Storage};
use crate::store::tables::Change;

impl SqliteStore {
    pub(crate) async fn select_rows(
        &self,
        stmt: &SelectStatement,
        kinds: &[Storage],
    ) -> Result<Vec<Vec<Cell>>, StoreError> {
        let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
        let query = sqlx::query_with(AssertSqlSafe(sql), values);
        let rows = match &self.resource_reader {
            Some(readers) => {
                let mut reader = readers.acquire().await?;
                query.fetch_all(reader.start()?).await?
            }
            None => query.fetch_all(&self.writer).await?,
        };
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
    }

    pub(crate) async fn count_rows(&self, stmt: &SelectStatement) -> Result<u64, StoreError> {
        let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
        let query = sqlx::query_scalar_with(AssertSqlSafe(sql), values);
        let count: i64 = match &self.resource_reader {
            Some(readers) => {
                let mut reader = readers.acquire().await?;
                query.fetch_one(reader.start()?).await?
            }
            None => query.fetch_one(&self.writer).await?,
        };
        Ok(u64::try_from(count).unwrap_or(0))
    }

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

    pub(crate) async fn insert_row(&self, stmt: &InsertStatement) -> Result<i64, StoreError> {
        let done = self.write(stmt.build_sqlx(SqliteQueryBuilder)).await?;
        Ok(done.last_insert_rowid())
    }

    pub(crate) async fn update_rows(&self, stmt: &UpdateStatement) -> Result<u64, StoreError> {
        Ok(self
            .write(stmt.build_sqlx(SqliteQueryBuilder))
            .await?
            .rows_affected())
    }

    pub(crate) async fn delete_rows(&self, stmt: &DeleteStatement) -> Result<u64, StoreError> {
        Ok(self
            .write(stmt.build_sqlx(SqliteQueryBuilder))
            .await?
            .rows_affected())
    }

    /// The columns of a table; empty when it does not exist.
    pub(crate) async fn table_columns(&self, table: &str) -> Result<Vec<ColumnInfo>, StoreError> {
        let rows = sqlx::query("SELECT name, type, \"notnull\" FROM pragma_table_info(?)")
            .bind(table)
            .fetch_all(&self.writer)
            .await?;
        rows.iter()
            .map(|r| {
                let declared = r.try_get::<String, _>("type")?.to_ascii_uppercase();
                Ok(ColumnInfo {
                    name: r.try_get("name")?,
                    storage: super::ddl::storage_of(&declared),
                    declared,
                    not_null: r.try_get::<i64, _>("notnull")? != 0,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// The names of a table's indexes.
    pub(crate) async fn table_indexes(&self, table: &str) -> Result<Vec<String>, StoreError> {
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_index_list(?)")
            .bind(table)
            .fetch_all(&self.writer)
            .await?;
        Ok(names)
    }

    /// Does `column` of `table` hold any non-null value? (`None` column: any row at all.)
    pub(crate) async fn has_data(
        &self,
        table: &str,
        column: Option<&str>,
    ) -> Result<bool, StoreError> {
        // Identifiers come from the validated schema or from the database's own catalogue.
        let sql = match column {
            Some(c) => format!("SELECT 1 FROM \"{table}\" WHERE \"{c}\" IS NOT NULL LIMIT 1"),
            None => format!("SELECT 1 FROM \"{table}\" LIMIT 1"),
        };
        let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_optional(&self.writer)
            .await?;
        Ok(found.is_some())
    }

    /// Does `column` of `table` hold a null in some row?
    pub(crate) async fn has_nulls(&self, table: &str, column: &str) -> Result<bool, StoreError> {
        let sql = format!("SELECT 1 FROM \"{table}\" WHERE \"{column}\" IS NULL LIMIT 1");
        let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_optional(&self.writer)
            .await?;
        Ok(found.is_some())
    }

    /// Apply a migration's table changes in one transaction, with foreign keys checked at the
    /// end.
    pub(crate) async fn apply_changes(&self, changes: &[Change]) -> Result<(), StoreError> {
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
    }

    pub(crate) async fn known_resources(&self) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT name FROM portcullis_resources ORDER BY name")
                .fetch_all(&self.writer)
                .await?,
        )
    }

    pub(crate) async fn save_schema_snapshot(
        &self,
        resource: &str,
        definition: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO portcullis_resources (name, definition) VALUES (?, ?) \
             ON CONFLICT (name) DO UPDATE SET definition = excluded.definition",
        )
        .bind(resource)
        .bind(definition)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub(crate) async fn ensure_permissions(
        &self,
        resource: &str,
        label: &str,
        codenames: &[&str],
    ) -> Result<(), StoreError> {
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
    }
}
