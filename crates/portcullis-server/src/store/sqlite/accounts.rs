//! Users and tokens on SQLite.

use sea_query::SqliteQueryBuilder;
use sea_query_sqlx::SqlxBinder;
use sqlx::{FromRow, SqliteConnection};

use super::SqliteStore;
use crate::store::timestamp::now_db;
use crate::store::{AccountStore, StoreFuture};
use crate::store::{NewUser, StoreError, StoredToken, User, UserUpdate};

pub(super) const USER_COLUMNS: &str = "u.id, u.password, u.last_login, u.is_superuser, u.username, \
    u.first_name, u.last_name, u.email, u.is_staff, u.is_active, u.date_joined";

fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

impl SqliteStore {
    /// `AccountStore::update_user`, and with `revoke` a deactivation also deletes the DRF token
    /// and blacklists the recorded refresh tokens in the same transaction (the admin API), so
    /// that reactivating the user later brings no old credential back.
    pub(crate) async fn update_user_revoking(
        &self,
        id: i64,
        update: &UserUpdate,
        revoke: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let was_active: Option<bool> = match update.is_active {
            Some(false) if revoke => {
                sqlx::query_scalar("SELECT is_active FROM auth_user WHERE id = ?")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            _ => None,
        };
        sqlx::query(
            "UPDATE auth_user SET email = COALESCE(?, email), first_name = COALESCE(?, first_name), \
             last_name = COALESCE(?, last_name), is_staff = COALESCE(?, is_staff), \
             is_superuser = COALESCE(?, is_superuser), is_active = COALESCE(?, is_active) WHERE id = ?",
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
        match sqlx::query(sql)
            .bind(value)
            .bind(id)
            .execute(&self.writer)
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(StoreError::UsernameTaken),
            Err(e) => Err(e.into()),
        }
    }
}

/// Delete the user's DRF token, on a connection the caller may hold in a transaction; true if
/// there was one.
pub(super) async fn delete_token(
    conn: &mut SqliteConnection,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM authtoken_token WHERE user_id = ?")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

impl AccountStore for SqliteStore {
    fn create_user<'a>(
        &'a self,
        user: &'a NewUser,
        token: &'a StoredToken,
    ) -> StoreFuture<'a, User> {
        Box::pin(async move {
            let now = now_db();
            let mut tx = self.writer.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, \
             last_name, email, is_staff, is_active, date_joined) \
             VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&user.password)
            .bind(user.is_superuser)
            .bind(&user.username)
            .bind(&user.first_name)
            .bind(&user.last_name)
            .bind(&user.email)
            .bind(user.is_staff)
            .bind(user.is_active)
            .bind(&now)
            .execute(&mut *tx)
            .await;
            let id = match inserted {
                Ok(done) => done.last_insert_rowid(),
                Err(e) if is_unique_violation(&e) => return Err(StoreError::UsernameTaken),
                Err(e) => return Err(e.into()),
            };
            sqlx::query("INSERT INTO authtoken_token (user_id, key_digest, key_sealed, created) VALUES (?, ?, ?, ?)")
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
                let (sql, values) = own.upsert(id).build_sqlx(SqliteQueryBuilder);
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
            let sql = format!("SELECT {USER_COLUMNS} FROM auth_user u WHERE u.id = ?");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(&self.reader)
                .await?;
            Ok(row.as_ref().map(User::from_row).transpose()?)
        })
    }

    fn user_by_username<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<User>> {
        Box::pin(async move {
            let sql = format!("SELECT {USER_COLUMNS} FROM auth_user u WHERE u.username = ?");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(username)
                .fetch_optional(&self.reader)
                .await?;
            Ok(row.as_ref().map(User::from_row).transpose()?)
        })
    }

    fn users_by_email<'a>(&'a self, email: &'a str, limit: u32) -> StoreFuture<'a, Vec<User>> {
        Box::pin(async move {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM auth_user u WHERE u.email = ? ORDER BY u.id LIMIT ?"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(email)
                .bind(i64::from(limit))
                .fetch_all(&self.reader)
                .await?;
            Ok(rows
                .iter()
                .map(User::from_row)
                .collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn user_by_token_digest<'a>(&'a self, digest: &'a str) -> StoreFuture<'a, Option<User>> {
        Box::pin(async move {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id \
             WHERE t.key_digest = ?"
            );
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(digest)
                .fetch_optional(&self.reader)
                .await?;
            Ok(row.as_ref().map(User::from_row).transpose()?)
        })
    }

    fn count_users(&self, only: Option<i64>) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let count: i64 = match only {
                Some(id) => {
                    sqlx::query_scalar("SELECT COUNT(*) FROM auth_user WHERE id = ?").bind(id)
                }
                None => sqlx::query_scalar("SELECT COUNT(*) FROM auth_user"),
            }
            .fetch_one(&self.reader)
            .await?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
    }

    fn list_users(&self, only: Option<i64>, limit: u64, offset: u64) -> StoreFuture<'_, Vec<User>> {
        Box::pin(async move {
            let filter = if only.is_some() { "WHERE u.id = ?" } else { "" };
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM auth_user u {filter} ORDER BY u.id LIMIT ? OFFSET ?"
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            if let Some(id) = only {
                query = query.bind(id);
            }
            let rows = query
                .bind(i64::try_from(limit).unwrap_or(i64::MAX))
                .bind(i64::try_from(offset).unwrap_or(i64::MAX))
                .fetch_all(&self.reader)
                .await?;
            Ok(rows
                .iter()
                .map(User::from_row)
                .collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn update_user<'a>(&'a self, id: i64, update: &'a UserUpdate) -> StoreFuture<'a, ()> {
        Box::pin(async move { self.update_user_revoking(id, update, false).await })
    }

    fn set_username<'a>(&'a self, id: i64, username: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(self.rename(
            "UPDATE auth_user SET username = ?1 WHERE id = ?2",
            id,
            username,
        ))
    }

    fn set_login_email<'a>(&'a self, id: i64, email: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(self.rename(
            "UPDATE auth_user SET username = ?1, email = ?1 WHERE id = ?2",
            id,
            email,
        ))
    }

    fn set_password<'a>(&'a self, id: i64, encoded: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            sqlx::query("UPDATE auth_user SET password = ? WHERE id = ?")
                .bind(encoded)
                .bind(id)
                .execute(&self.writer)
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
            let done =
                sqlx::query("UPDATE auth_user SET password = ? WHERE id = ? AND password = ?")
                    .bind(encoded)
                    .bind(id)
                    .bind(expected)
                    .execute(&self.writer)
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
            let mut tx = self.writer.begin().await?;
            sqlx::query("UPDATE auth_user SET password = ? WHERE id = ?")
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
            sqlx::query("UPDATE auth_user SET last_login = ? WHERE id = ?")
                .bind(now_db())
                .bind(id)
                .execute(&self.writer)
                .await?;
            Ok(())
        })
    }

    fn delete_user(&self, id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let done = sqlx::query("DELETE FROM auth_user WHERE id = ?")
                .bind(id)
                .execute(&self.writer)
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
            let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM auth_permission p WHERE p.resource = ?1 AND p.codename = ?2 AND (
                EXISTS (SELECT 1 FROM auth_user_user_permissions up WHERE up.permission_id = p.id AND up.user_id = ?3)
                OR EXISTS (SELECT 1 FROM auth_group_permissions gp JOIN auth_user_groups ug ON ug.group_id = gp.group_id
                           WHERE gp.permission_id = p.id AND ug.user_id = ?3))",
        )
        .bind(resource)
        .bind(codename)
        .bind(user_id)
        .fetch_optional(&self.reader)
        .await?;
            Ok(found.is_some())
        })
    }
}
