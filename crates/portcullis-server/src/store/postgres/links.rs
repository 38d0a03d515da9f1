//! Writing the links of a resource row's many-to-many fields in the row's transaction: the
//! statements are built once (`LinkSet::statements`), run here in PostgreSQL's dialect.

use sea_query::PostgresQueryBuilder;
use sea_query_sqlx::SqlxBinder;
use sqlx::{AssertSqlSafe, Postgres, Transaction};

use crate::store::StoreError;
use crate::store::links::LinkSet;

/// Bring the links of row `id` to exactly each set's targets.
pub(super) async fn replace_links(
    tx: &mut Transaction<'static, Postgres>,
    id: i64,
    links: &[LinkSet],
) -> Result<(), StoreError> {
    for set in links {
        let (delete, inserts) = set.statements(id)?;
        let (sql, values) = delete.build_sqlx(PostgresQueryBuilder);
        sqlx::query_with(AssertSqlSafe(sql), values)
            .execute(&mut **tx)
            .await?;
        for insert in inserts {
            let (sql, values) = insert.build_sqlx(PostgresQueryBuilder);
            sqlx::query_with(AssertSqlSafe(sql), values)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}
