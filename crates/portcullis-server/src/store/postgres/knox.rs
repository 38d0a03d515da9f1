//! django-rest-knox's tokens on PostgreSQL: the statements of `sqlite/knox.rs` with numbered placeholders.

use sqlx::PgConnection;

use super::PgStore;
use super::accounts::USER_COLUMNS;
use crate::store::StoreFuture;
use crate::store::knox::{
    KnoxCandidate, KnoxStore, NewKnoxToken, candidates_sql, create_sql, limit_value,
};

/// Delete every knox token of the user, on a connection the caller may hold in a transaction
/// (a revocation of all the user's sessions).
pub(super) async fn delete_knox_tokens(
    conn: &mut PgConnection,
    user_id: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM knox_authtoken WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

impl KnoxStore for PgStore {
    fn knox_create<'a>(
        &'a self,
        token: &'a NewKnoxToken,
        limit: Option<u32>,
        now: &'a str,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let done = sqlx::query(sqlx::AssertSqlSafe(create_sql(|n| format!("${n}"))))
                .bind(&token.digest)
                .bind(&token.token_key)
                .bind(token.user_id)
                .bind(&token.created)
                .bind(&token.expiry)
                .bind(token.user_id)
                .bind(now)
                .bind(limit_value(limit))
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    fn knox_candidates<'a>(&'a self, token_key: &'a str) -> StoreFuture<'a, Vec<KnoxCandidate>> {
        Box::pin(async move {
            let sql = candidates_sql(USER_COLUMNS, "$1");
            let rows = sqlx::query_as::<_, KnoxCandidate>(sqlx::AssertSqlSafe(sql))
                .bind(token_key)
                .fetch_all(&self.pool)
                .await?;
            Ok(rows)
        })
    }

    fn knox_delete_expired<'a>(&'a self, user_id: i64, now: &'a str) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let done = sqlx::query("DELETE FROM knox_authtoken WHERE user_id = $1 AND expiry < $2")
                .bind(user_id)
                .bind(now)
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected())
        })
    }

    fn knox_renew<'a>(
        &'a self,
        user_id: i64,
        digest: &'a str,
        expiry: &'a str,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            sqlx::query("UPDATE knox_authtoken SET expiry = $1 WHERE user_id = $2 AND digest = $3")
                .bind(expiry)
                .bind(user_id)
                .bind(digest)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
    }

    fn knox_delete<'a>(&'a self, user_id: i64, digest: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let done = sqlx::query("DELETE FROM knox_authtoken WHERE user_id = $1 AND digest = $2")
                .bind(user_id)
                .bind(digest)
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() > 0)
        })
    }

    fn knox_delete_all(&self, user_id: i64) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let mut conn = self.pool.acquire().await?;
            Ok(delete_knox_tokens(&mut conn, user_id).await?)
        })
    }
}
