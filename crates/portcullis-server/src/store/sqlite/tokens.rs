//! JWT revocation state on SQLite: refresh tokens by `jti` (outstanding, blacklisted) and the
//! per-user revocation epoch. Every check-then-write runs on the single writer connection inside
//! one statement or transaction, so two requests racing with the same refresh token cannot both
//! rotate it.

use sqlx::{FromRow, Row, SqliteConnection};

use super::SqliteStore;
use super::accounts::{USER_COLUMNS, delete_token};
use crate::store::admin::RefreshTokenRecord;
use crate::store::timestamp::now_db;
use crate::store::{StoreFuture, TokenStore};
use crate::store::{StoredToken, User};

/// Record a refresh token; a `jti` already recorded keeps its row (simplejwt's
/// `OutstandingToken.objects.get_or_create`). The user id is kept only if the user exists.
const OUTSTAND: &str = "INSERT INTO jwt_refresh_token (jti, user_id, created_at, expires_at) \
     VALUES (?, (SELECT id FROM auth_user WHERE id = ?), ?, ?) ON CONFLICT (jti) DO NOTHING";

/// Blacklist a refresh token, recording it first if needed; changes no row when it was
/// blacklisted already.
const BLACKLIST: &str = "INSERT INTO jwt_refresh_token \
     (jti, user_id, created_at, expires_at, blacklisted_at) \
     VALUES (?, (SELECT id FROM auth_user WHERE id = ?), ?, ?, ?) \
     ON CONFLICT (jti) DO UPDATE SET blacklisted_at = excluded.blacklisted_at \
     WHERE blacklisted_at IS NULL";

/// Move the user's revocation epoch on, on a connection the caller may hold in a transaction;
/// the new epoch, 0 if the user does not exist.
pub(super) async fn bump_epoch(
    conn: &mut SqliteConnection,
    user_id: i64,
) -> Result<i64, sqlx::Error> {
    let epoch: Option<i64> = sqlx::query_scalar(
        "INSERT INTO jwt_user_epoch (user_id, epoch) \
         SELECT id, 1 FROM auth_user WHERE id = ? \
         ON CONFLICT (user_id) DO UPDATE SET epoch = epoch + 1 RETURNING epoch",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(epoch.unwrap_or(0))
}

/// Blacklist every recorded refresh token of the user not blacklisted yet; how many.
pub(super) async fn blacklist_refresh_tokens(
    conn: &mut SqliteConnection,
    user_id: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jwt_refresh_token SET blacklisted_at = ? \
         WHERE user_id = ? AND blacklisted_at IS NULL",
    )
    .bind(now_db())
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

impl TokenStore for SqliteStore {
    fn jwt_user(&self, id: i64) -> StoreFuture<'_, Option<(User, i64)>> {
        Box::pin(async move {
            let sql = format!(
                "SELECT {USER_COLUMNS}, COALESCE(e.epoch, 0) AS jwt_epoch FROM auth_user u \
             LEFT JOIN jwt_user_epoch e ON e.user_id = u.id WHERE u.id = ?"
            );
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(&self.reader)
                .await?;
            let Some(row) = row else {
                return Ok(None);
            };
            Ok(Some((User::from_row(&row)?, row.try_get("jwt_epoch")?)))
        })
    }

    fn jwt_epoch(&self, user_id: i64) -> StoreFuture<'_, i64> {
        Box::pin(async move {
            let epoch: Option<i64> =
                sqlx::query_scalar("SELECT epoch FROM jwt_user_epoch WHERE user_id = ?")
                    .bind(user_id)
                    .fetch_optional(&self.reader)
                    .await?;
            Ok(epoch.unwrap_or(0))
        })
    }

    fn revoke_sessions(&self, user_id: i64, blacklist_refresh: bool) -> StoreFuture<'_, i64> {
        Box::pin(async move {
            let mut tx = self.writer.begin().await?;
            let epoch = bump_epoch(&mut tx, user_id).await?;
            super::accounts::delete_token(&mut tx, user_id).await?;
            super::knox::delete_knox_tokens(&mut tx, user_id).await?;
            if blacklist_refresh {
                blacklist_refresh_tokens(&mut tx, user_id).await?;
            }
            tx.commit().await?;
            Ok(epoch)
        })
    }

    fn jwt_outstand<'a>(
        &'a self,
        jti: &'a str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            sqlx::query(OUTSTAND)
                .bind(jti)
                .bind(user_id)
                .bind(now_db())
                .bind(expires_at)
                .execute(&self.writer)
                .await?;
            Ok(())
        })
    }

    fn jwt_is_blacklisted<'a>(&'a self, jti: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM jwt_refresh_token WHERE jti = ? AND blacklisted_at IS NOT NULL",
            )
            .bind(jti)
            .fetch_optional(&self.reader)
            .await?;
            Ok(found.is_some())
        })
    }

    fn jwt_blacklist<'a>(
        &'a self,
        jti: &'a str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let now = now_db();
            let done = sqlx::query(BLACKLIST)
                .bind(jti)
                .bind(user_id)
                .bind(&now)
                .bind(expires_at)
                .bind(&now)
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected() > 0)
        })
    }

    fn jwt_rotate<'a>(
        &'a self,
        old: (&'a str, i64),
        new: (&'a str, i64),
        user_id: i64,
        blacklist_old: bool,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let now = now_db();
            let mut tx = self.writer.begin().await?;
            if blacklist_old {
                let done = sqlx::query(BLACKLIST)
                    .bind(old.0)
                    .bind(user_id)
                    .bind(&now)
                    .bind(old.1)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    tx.rollback().await?;
                    return Ok(false);
                }
            }
            sqlx::query(OUTSTAND)
                .bind(new.0)
                .bind(user_id)
                .bind(&now)
                .bind(new.1)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    fn jwt_purge_expired(&self, before: i64, limit: i64) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let done = sqlx::query(
                "DELETE FROM jwt_refresh_token WHERE rowid IN \
             (SELECT rowid FROM jwt_refresh_token WHERE expires_at < ? LIMIT ?)",
            )
            .bind(before)
            .bind(limit)
            .execute(&self.writer)
            .await?;
            Ok(done.rows_affected())
        })
    }

    fn jwt_live_refresh_tokens(
        &self,
        user_id: i64,
        now: i64,
    ) -> StoreFuture<'_, Vec<RefreshTokenRecord>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT jti, created_at, expires_at, blacklisted_at FROM jwt_refresh_token \
             WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, jti",
            )
            .bind(user_id)
            .bind(now)
            .fetch_all(&self.reader)
            .await?;
            rows.iter()
                .map(RefreshTokenRecord::from_row)
                .collect::<Result<_, sqlx::Error>>()
                .map_err(Into::into)
        })
    }

    fn token_get_or_create<'a>(
        &'a self,
        user_id: i64,
        candidate: &'a StoredToken,
    ) -> StoreFuture<'a, StoredToken> {
        Box::pin(async move {
            // One writer connection serializes this with every other write, so the insert-if-absent
            // and the read that follows see the same row.
            let mut tx = self.writer.begin().await?;
            sqlx::query(
            "INSERT INTO authtoken_token (user_id, key_digest, key_sealed, created) VALUES (?, ?, ?, ?) \
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(&candidate.digest)
        .bind(&candidate.sealed)
        .bind(now_db())
        .execute(&mut *tx)
        .await?;
            let row =
                sqlx::query("SELECT key_digest, key_sealed FROM authtoken_token WHERE user_id = ?")
                    .bind(user_id)
                    .fetch_one(&mut *tx)
                    .await?;
            tx.commit().await?;
            Ok(StoredToken::from_row(&row)?)
        })
    }

    fn token_replace<'a>(&'a self, user_id: i64, token: &'a StoredToken) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            sqlx::query(
            "INSERT INTO authtoken_token (user_id, key_digest, key_sealed, created) VALUES (?, ?, ?, ?) \
             ON CONFLICT (user_id) DO UPDATE SET key_digest = excluded.key_digest, \
             key_sealed = excluded.key_sealed, created = excluded.created",
        )
        .bind(user_id)
        .bind(&token.digest)
        .bind(&token.sealed)
        .bind(now_db())
        .execute(&self.writer)
        .await?;
            Ok(())
        })
    }

    fn token_delete(&self, user_id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let mut conn = self.writer.acquire().await?;
            Ok(delete_token(&mut conn, user_id).await?)
        })
    }
}
