//! The audit log and the sessions' clients on PostgreSQL: the statements of
//! `sqlite/audit.rs` with numbered placeholders.

use super::PgStore;
use crate::store::StoreFuture;
use crate::store::audit::{
    AUDIT_COLUMNS, AuditEntry, AuditFilter, AuditStore, AuditWrite, PURGE_CLIENTS, SessionRow,
    SessionsQuery, bind_filter, sessions_sql, stored_time, where_clause,
};

const INSERT_EVENT: &str = "INSERT INTO portcullis_audit \
     (at, event, user_id, username, client_addr, user_agent, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// A session's client; nothing when the user was deleted since (no foreign-key failure to
/// abort the batch) or when it was recorded already.
const INSERT_CLIENT: &str = "INSERT INTO portcullis_session_client \
     (kind, reference, user_id, created_at, client_addr, user_agent, epoch) \
     SELECT $1, $2, id, $3, $4, $5, $7 FROM auth_user WHERE id = $6 \
     ON CONFLICT (kind, reference) DO NOTHING";

const TOUCH: &str = "UPDATE portcullis_session_client SET last_used_at = $1 \
     WHERE kind = $2 AND reference = $3";

impl AuditStore for PgStore {
    fn audit_write<'a>(&'a self, batch: &'a [AuditWrite]) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            for write in batch {
                let query = match write {
                    AuditWrite::Event(e) => sqlx::query(INSERT_EVENT)
                        .bind(&e.at)
                        .bind(e.event)
                        .bind(e.user_id)
                        .bind(&e.username)
                        .bind(&e.client_addr)
                        .bind(&e.user_agent)
                        .bind(&e.detail),
                    AuditWrite::Session(s) => sqlx::query(INSERT_CLIENT)
                        .bind(s.kind)
                        .bind(&s.reference)
                        .bind(&s.at)
                        .bind(&s.client_addr)
                        .bind(&s.user_agent)
                        .bind(s.user_id)
                        .bind(s.epoch),
                    AuditWrite::Touch {
                        kind,
                        reference,
                        at,
                    } => sqlx::query(TOUCH).bind(at).bind(*kind).bind(reference),
                };
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    fn audit_count<'a>(&'a self, filter: &'a AuditFilter) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let (clause, _) = where_clause(filter, |n| format!("${n}"));
            let sql = format!("SELECT COUNT(*) FROM portcullis_audit {clause}");
            let query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
            let count = bind_filter!(query, filter).fetch_one(&self.pool).await?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
    }

    fn audit_list<'a>(
        &'a self,
        filter: &'a AuditFilter,
        limit: u64,
        offset: u64,
    ) -> StoreFuture<'a, Vec<AuditEntry>> {
        Box::pin(async move {
            let (clause, n) = where_clause(filter, |n| format!("${n}"));
            let sql = format!(
                "SELECT {AUDIT_COLUMNS} FROM portcullis_audit {clause} \
                 ORDER BY id DESC LIMIT ${} OFFSET ${}",
                n + 1,
                n + 2
            );
            let query = sqlx::query_as::<_, AuditEntry>(sqlx::AssertSqlSafe(sql));
            let rows = bind_filter!(query, filter)
                .bind(i64::try_from(limit).unwrap_or(i64::MAX))
                .bind(i64::try_from(offset).unwrap_or(i64::MAX))
                .fetch_all(&self.pool)
                .await?;
            Ok(rows)
        })
    }

    fn audit_purge<'a>(&'a self, before: &'a str) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let done = sqlx::query("DELETE FROM portcullis_audit WHERE at < $1")
                .bind(before)
                .execute(&self.pool)
                .await?;
            sqlx::query(PURGE_CLIENTS).execute(&self.pool).await?;
            Ok(done.rows_affected())
        })
    }

    fn user_sessions(&self, user_id: i64, now: i64) -> StoreFuture<'_, Vec<SessionRow>> {
        Box::pin(async move {
            let sql = sessions_sql(&SessionsQuery {
                user: ["$1", "$1", "$1"],
                now: "$2",
                now_text: "$3",
                knox_expires: "CAST(EXTRACT(EPOCH FROM CAST(k.expiry AS TIMESTAMP)) AS BIGINT)",
            });
            let rows = sqlx::query_as::<_, SessionRow>(sqlx::AssertSqlSafe(sql))
                .bind(user_id)
                .bind(now)
                .bind(stored_time(now))
                .fetch_all(&self.pool)
                .await?;
            Ok(rows)
        })
    }
}
