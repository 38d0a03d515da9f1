//! JWT revocation state and DRF tokens on PostgreSQL: the statements of `sqlite/tokens.rs` in
//! PostgreSQL's dialect. Several instances write at once, so every check-then-write is one
//! statement whose row lock decides (`INSERT … ON CONFLICT … DO UPDATE … WHERE` re-checks its
//! condition on the row another transaction just committed): two requests racing with the same
//! refresh token cannot both rotate it, on one instance or on two.

use sqlx::{FromRow, PgConnection, Row};

use super::PgStore;
use super::accounts::{USER_COLUMNS, delete_token};
use crate::store::admin::RefreshTokenRecord;
use crate::store::timestamp::now_db;
use crate::store::{StoreFuture, TokenStore};
use crate::store::{StoredToken, User};

/// Record a refresh token; a `jti` already recorded keeps its row (simplejwt's
/// `OutstandingToken.objects.get_or_create`). The user id is kept only if the user exists.
const OUTSTAND: &str = "INSERT INTO jwt_refresh_token (jti, user_id, created_at, expires_at) \
     VALUES ($1, (SELECT id FROM auth_user WHERE id = $2), $3, $4) ON CONFLICT (jti) DO NOTHING";

/// Blacklist a refresh token, recording it first if needed; changes no row when it was
/// blacklisted already.
const BLACKLIST: &str = "INSERT INTO jwt_refresh_token \
     (jti, user_id, created_at, expires_at, blacklisted_at) \
     VALUES ($1, (SELECT id FROM auth_user WHERE id = $2), $3, $4, $3) \
     ON CONFLICT (jti) DO UPDATE SET blacklisted_at = excluded.blacklisted_at \
     WHERE jwt_refresh_token.blacklisted_at IS NULL";

/// Move the user's revocation epoch on, on a connection the caller may hold in a transaction;
/// the new epoch, 0 if the user does not exist.
pub(super) async fn bump_epoch(conn: &mut PgConnection, user_id: i64) -> Result<i64, sqlx::Error> {
    let epoch: Option<i64> = sqlx::query_scalar(
        "INSERT INTO jwt_user_epoch (user_id, epoch) \
         SELECT id, 1 FROM auth_user WHERE id = $1 \
         ON CONFLICT (user_id) DO UPDATE SET epoch = jwt_user_epoch.epoch + 1 RETURNING epoch",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(epoch.unwrap_or(0))
}

/// Blacklist every recorded refresh token of the user not blacklisted yet; how many.
pub(super) async fn blacklist_refresh_tokens(
    conn: &mut PgConnection,
    user_id: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jwt_refresh_token SET blacklisted_at = $1 \
         WHERE user_id = $2 AND blacklisted_at IS NULL",
    )
    .bind(now_db())
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Run [`BLACKLIST`] for `(jti, exp)`; true if it blacklisted the token now.
async fn blacklist(
    conn: &mut PgConnection,
    jti: &str,
    user_id: Option<i64>,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(BLACKLIST)
        .bind(jti)
        .bind(user_id)
        .bind(now_db())
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

impl TokenStore for PgStore {
    fn jwt_user(&self, id: i64) -> StoreFuture<'_, Option<(User, i64)>> {
        Box::pin(async move {
            let sql = format!(
                "SELECT {USER_COLUMNS}, COALESCE(e.epoch, 0) AS jwt_epoch FROM auth_user u \
                 LEFT JOIN jwt_user_epoch e ON e.user_id = u.id WHERE u.id = $1"
            );
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(&self.pool)
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
                sqlx::query_scalar("SELECT epoch FROM jwt_user_epoch WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?;
            Ok(epoch.unwrap_or(0))
        })
    }

    fn revoke_sessions(&self, user_id: i64, blacklist_refresh: bool) -> StoreFuture<'_, i64> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            let epoch = bump_epoch(&mut tx, user_id).await?;
            delete_token(&mut tx, user_id).await?;
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
                .execute(&self.pool)
                .await?;
            Ok(())
        })
    }

    fn jwt_is_blacklisted<'a>(&'a self, jti: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let found: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM jwt_refresh_token \
                 WHERE jti = $1 AND blacklisted_at IS NOT NULL)",
            )
            .bind(jti)
            .fetch_one(&self.pool)
            .await?;
            Ok(found)
        })
    }

    fn jwt_blacklist<'a>(
        &'a self,
        jti: &'a str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let mut conn = self.pool.acquire().await?;
            Ok(blacklist(&mut conn, jti, user_id, expires_at).await?)
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
            let mut tx = self.pool.begin().await?;
            if blacklist_old && !blacklist(&mut tx, old.0, Some(user_id), old.1).await? {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(OUTSTAND)
                .bind(new.0)
                .bind(user_id)
                .bind(now_db())
                .bind(new.1)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    fn jwt_purge_expired(&self, before: i64, limit: i64) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            // SKIP LOCKED: instances purging at the same time take different rows instead of
            // waiting on each other's.
            let done = sqlx::query(
                "DELETE FROM jwt_refresh_token WHERE jti IN \
                 (SELECT jti FROM jwt_refresh_token WHERE expires_at < $1 LIMIT $2 \
                  FOR UPDATE SKIP LOCKED)",
            )
            .bind(before)
            .bind(limit)
            .execute(&self.pool)
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
            // `COLLATE "C"`: byte order, as SQLite compares text, whatever the database's locale.
            let rows = sqlx::query(
                "SELECT jti, created_at, expires_at, blacklisted_at FROM jwt_refresh_token \
                 WHERE user_id = $1 AND expires_at > $2 \
                 ORDER BY created_at COLLATE \"C\" DESC, jti COLLATE \"C\"",
            )
            .bind(user_id)
            .bind(now)
            .fetch_all(&self.pool)
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
            // The insert waits for a concurrent insert of the same user's token to commit and
            // then does nothing; the read that follows (a new snapshot in READ COMMITTED) sees
            // whichever row won.
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO authtoken_token (user_id, key_digest, key_sealed, created) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO NOTHING",
            )
            .bind(user_id)
            .bind(&candidate.digest)
            .bind(&candidate.sealed)
            .bind(now_db())
            .execute(&mut *tx)
            .await?;
            let row = sqlx::query(
                "SELECT key_digest, key_sealed FROM authtoken_token WHERE user_id = $1",
            )
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
                "INSERT INTO authtoken_token (user_id, key_digest, key_sealed, created) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id) DO UPDATE SET key_digest = excluded.key_digest, \
                 key_sealed = excluded.key_sealed, created = excluded.created",
            )
            .bind(user_id)
            .bind(&token.digest)
            .bind(&token.sealed)
            .bind(now_db())
            .execute(&self.pool)
            .await?;
            Ok(())
        })
    }

    fn token_delete(&self, user_id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let mut conn = self.pool.acquire().await?;
            Ok(delete_token(&mut conn, user_id).await?)
        })
    }
}
