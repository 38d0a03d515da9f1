//! Writing a resource row together with the links of its many-to-many fields, in one
//! transaction on the resource pool, as `sqlite/links.rs` does. Links are replaced as Django's
//! `RelatedManager.set()` does: the pairs no longer wanted are deleted, the new ones added, and
//! the ones kept stay untouched.

use sea_query::{Expr, ExprTrait, OnConflict, PostgresQueryBuilder, Query};
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
        let mut delete = Query::delete();
        delete
            .from_table(set.table.clone())
            .and_where(Expr::col(set.source.clone()).eq(id));
        // The links kept stay as they are (Django's `set()` keeps their rows); a set too long
        // to name in one statement is rewritten whole instead, which no client can tell apart.
        if !set.targets.is_empty() && set.targets.len() <= LINKS_PER_INSERT {
            delete.and_where(Expr::col(set.target.clone()).is_not_in(set.targets.clone()));
        }
        let (sql, values) = delete.build_sqlx(PostgresQueryBuilder);
        sqlx::query_with(AssertSqlSafe(sql), values)
            .execute(&mut **tx)
            .await?;
        // One statement per bounded batch: a long list must not exceed PostgreSQL's limit on
        // bound parameters (65535).
        for batch in set.targets.chunks(LINKS_PER_INSERT) {
            let mut insert = Query::insert();
            insert
                .into_table(set.table.clone())
                .columns([set.source.clone(), set.target.clone()])
                .on_conflict(
                    OnConflict::columns([set.source.clone(), set.target.clone()])
                        .do_nothing()
                        .to_owned(),
                );
            for target in batch {
                insert
                    .values([Expr::val(id), Expr::val(*target)])
                    .map_err(|e| StoreError::Database(sqlx::Error::Protocol(e.to_string())))?;
            }
            let (sql, values) = insert.build_sqlx(PostgresQueryBuilder);
            sqlx::query_with(AssertSqlSafe(sql), values)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Pairs per `INSERT` (two parameters each, far below PostgreSQL's limit).
const LINKS_PER_INSERT: usize = 1000;
