//! Users and their passwords on PostgreSQL: the statements of `sqlite/accounts.rs` in
//! PostgreSQL's dialect. Where SQLite's single writer serialized a read-modify-write, the row is
//! locked here (`FOR UPDATE`), since several instances write at once.

use sea_query::PostgresQueryBuilder;
use sea_query_sqlx::SqlxBinder;
use sqlx::{FromRow, PgConnection};

use super::PgStore;
use crate::store::timestamp::now_db;
use crate::store::{AccountStore, StoreFuture};
use crate::store::{NewUser, StoreError, StoredToken, User, UserUpdate};

pub(super) const USER_COLUMNS: &str = "u.id, u.password, u.last_login, u.is_superuser, u.username, \
    u.first_name, u.last_name, u.email, u.is_staff, u.is_active, u.date_joined";

fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Whether `value` holds a NUL, which PostgreSQL's text cannot: no stored row equals it, and
/// PostgreSQL refuses it even as a parameter, so a lookup by it (a login, a registration's
/// check that the name is free) finds nothing without asking, as it does on SQLite.
fn unstorable(value: &str) -> bool {
    value.contains('\0')
}

/// A taken username is the caller's 400; any other failure stays what it is.
fn username_error(err: sqlx::Error) -> StoreError {
    if is_unique_violation(&err) {
        StoreError::UsernameTaken
    } else {
        err.into()
    }
}

fn users(rows: &[sqlx::postgres::PgRow]) -> Result<Vec<User>, StoreError> {
    Ok(rows
        .iter()
        .map(User::from_row)
        .collect::<Result<Vec<_>, _>>()?)
}

impl PgStore {
    /// `AccountStore::update_user`, and with `revoke` a deactivation also deletes the DRF token
    /// and blacklists the recorded refresh tokens in the same transaction (the admin API), so
    /// that reactivating the user later brings no old credential back.
    pub(super) async fn update_user_revoking(
        &self,
        id: i64,
        update: &UserUpdate,
        revoke: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // Locked until the commit, so that two instances deactivating the same user at once
        // do not both read it active (SQLite's single writer gave this for free).
        let was_active: Option<bool> = match update.is_active {
            Some(false) if revoke => {
                sqlx::query_scalar("SELECT is_active FROM auth_user WHERE id = $1 FOR UPDATE")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            _ => None,
        };
        sqlx::query(
            "UPDATE auth_user SET email = COALESCE($1, email), \
             first_name = COALESCE($2, first_name), last_name = COALESCE($3, last_name), \
             is_staff = COALESCE($4, is_staff), is_superuser = COALESCE($5, is_superuser), \
             is_active = COALESCE($6, is_active) WHERE id = $7",
        )
        .bind(&update.email)
        .bind(&update.first_name)
        .bind(&update.last_name)
        .bind(update.is_staff)
        .bind(update.is_superuser)
        .bind(update.is_active)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if was_active == Some(true) {
            delete_token(&mut tx, id).await?;
            super::tokens::blacklist_refresh_tokens(&mut tx, id).await?;
            super::knox::delete_knox_tokens(&mut tx, id).await?;
        }
        if let Some(groups) = &update.groups {
            super::admin::set_user_groups(&mut tx, id, groups).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// An `UPDATE` of the username column that a unique violation turns into `UsernameTaken`.
    async fn rename(&self, sql: &'static str, id: i64, value: &str) -> Result<(), StoreError> {
        sqlx::query(sql)
            .bind(value)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(username_error)?;
        Ok(())
    }
}

/// Delete the user's DRF token, on a connection the caller may hold in a transaction; true if
/// there was one.
pub(super) async fn delete_token(
    conn: &mut PgConnection,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM authtoken_token WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Insert the user's row; its id.
async fn insert_user(
    conn: &mut PgConnection,
    user: &NewUser,
    now: &str,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, \
         last_name, email, is_staff, is_active, date_joined) \
         VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&user.password)
    .bind(user.is_superuser)
    .bind(&user.username)
    .bind(&user.first_name)
    .bind(&user.last_name)
    .bind(&user.email)
    .bind(user.is_staff)
    .bind(user.is_active)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(username_error)
}

impl AccountStore for PgStore {
    fn create_user<'a>(
        &'a self,
        user: &'a NewUser,
        token: &'a StoredToken,
    ) -> StoreFuture<'a, User> {
        Box::pin(async move {
            let now = now_db();
            let mut tx = self.pool.begin().await?;
            let id = insert_user(&mut tx, user, &now).await?;
            sqlx::query(
                "INSERT INTO authtoken_token (user_id, key_digest, key_sealed, created) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(&token.digest)
            .bind(&token.sealed)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            if !user.groups.is_empty() {
                super::admin::set_user_groups(&mut tx, id, &user.groups).await?;
            }
            if let Some(own) = &user.own {
                let (sql, values) = own.upsert(id).build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(User {
                id,
                password: user.password.clone(),
                last_login: None,
                is_superuser: user.is_superuser,
                username: user.username.clone(),
                first_name: user.first_name.clone(),
                last_name: user.last_name.clone(),
                email: user.email.clone(),
                is_staff: user.is_staff,
                is_active: user.is_active,
                date_joined: now,
            })
        })
    }

    fn user_by_id(&self, id: i64) -> StoreFuture<'_, Option<User>> {
        Box::pin(async move {
            let sql = format!("SELECT {USER_COLUMNS} FROM auth_user u WHERE u.id = $1");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
            Ok(row.as_ref().map(User::from_row).transpose()?)
        })
    }

    fn user_by_username<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<User>> {
        Box::pin(async move {
            if unstorable(username) {
                return Ok(None);
            }
            let sql = format!("SELECT {USER_COLUMNS} FROM auth_user u WHERE u.username = $1");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
            Ok(row.as_ref().map(User::from_row).transpose()?)
        })
    }

    fn users_by_email<'a>(&'a self, email: &'a str, limit: u32) -> StoreFuture<'a, Vec<User>> {
        Box::pin(async move {
            if unstorable(email) {
                return Ok(Vec::new());
            }
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM auth_user u WHERE u.email = $1 ORDER BY u.id LIMIT $2"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(email)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
            users(&rows)
        })
    }

    fn user_by_token_digest<'a>(&'a self, digest: &'a str) -> StoreFuture<'a, Option<User>> {
        Box::pin(async move {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id \
                 WHERE t.key_digest = $1"
            );
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(digest)
                .fetch_optional(&self.pool)
                .await?;
            Ok(row.as_ref().map(User::from_row).transpose()?)
        })
    }

    fn count_users(&self, only: Option<i64>) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let count: i64 = match only {
                Some(id) => {
                    sqlx::query_scalar("SELECT COUNT(*) FROM auth_user WHERE id = $1").bind(id)
                }
                None => sqlx::query_scalar("SELECT COUNT(*) FROM auth_user"),
            }
            .fetch_one(&self.pool)
            .await?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
    }

    fn list_users(&self, only: Option<i64>, limit: u64, offset: u64) -> StoreFuture<'_, Vec<User>> {
        Box::pin(async move {
            // `$1 IS NULL` keeps one statement for both cases (one prepared plan).
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM auth_user u WHERE ($1::BIGINT IS NULL OR u.id = $1) \
                 ORDER BY u.id LIMIT $2 OFFSET $3"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(only)
                .bind(super::to_i64(limit))
                .bind(super::to_i64(offset))
                .fetch_all(&self.pool)
                .await?;
            users(&rows)
        })
    }

    fn update_user<'a>(&'a self, id: i64, update: &'a UserUpdate) -> StoreFuture<'a, ()> {
        Box::pin(async move { self.update_user_revoking(id, update, false).await })
    }

    fn set_username<'a>(&'a self, id: i64, username: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(self.rename(
            "UPDATE auth_user SET username = $1 WHERE id = $2",
            id,
            username,
        ))
    }

    fn set_login_email<'a>(&'a self, id: i64, email: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(self.rename(
            "UPDATE auth_user SET username = $1, email = $1 WHERE id = $2",
            id,
            email,
        ))
    }

    fn set_password<'a>(&'a self, id: i64, encoded: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            sqlx::query("UPDATE auth_user SET password = $1 WHERE id = $2")
                .bind(encoded)
                .bind(id)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
    }

    fn upgrade_password<'a>(
        &'a self,
        id: i64,
        expected: &'a str,
        encoded: &'a str,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            // One statement: the row lock PostgreSQL takes for the UPDATE re-checks `password`
            // after a concurrent change, so a hash changed in the meantime is kept.
            let done =
                sqlx::query("UPDATE auth_user SET password = $1 WHERE id = $2 AND password = $3")
                    .bind(encoded)
                    .bind(id)
                    .bind(expected)
                    .execute(&self.pool)
                    .await?;
            Ok(done.rows_affected() > 0)
        })
    }

    fn change_password<'a>(
        &'a self,
        id: i64,
        encoded: &'a str,
        revoke_sessions: bool,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            sqlx::query("UPDATE auth_user SET password = $1 WHERE id = $2")
                .bind(encoded)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if revoke_sessions {
                super::tokens::bump_epoch(&mut tx, id).await?;
                delete_token(&mut tx, id).await?;
                super::knox::delete_knox_tokens(&mut tx, id).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    fn touch_last_login(&self, id: i64) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            sqlx::query("UPDATE auth_user SET last_login = $1 WHERE id = $2")
                .bind(now_db())
                .bind(id)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
    }

    fn delete_user(&self, id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let done = sqlx::query("DELETE FROM auth_user WHERE id = $1")
                .bind(id)
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() > 0)
        })
    }

    fn user_has_perm<'a>(
        &'a self,
        user_id: i64,
        resource: &'a str,
        codename: &'a str,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let found: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM auth_permission p \
                 WHERE p.resource = $1 AND p.codename = $2 AND ( \
                 EXISTS (SELECT 1 FROM auth_user_user_permissions up \
                         WHERE up.permission_id = p.id AND up.user_id = $3) \
                 OR EXISTS (SELECT 1 FROM auth_group_permissions gp \
                            JOIN auth_user_groups ug ON ug.group_id = gp.group_id \
                            WHERE gp.permission_id = p.id AND ug.user_id = $3)))",
            )
            .bind(resource)
            .bind(codename)
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
            Ok(found)
        })
    }
}
