//! The staff console's queries on PostgreSQL (see `store/admin.rs`): the statements of
//! `sqlite/admin.rs` in PostgreSQL's dialect. Lists of ids are bound as one array
//! (`= ANY($1)`), so every statement is constant text.

use sqlx::{FromRow, PgConnection, Row};

use super::PgStore;
use super::accounts::USER_COLUMNS;
use crate::store::admin::{Group, Permission};
use crate::store::{AdminStore, StoreFuture, UserUpdate};
use crate::store::{StoreError, User};

/// Django's `icontains` pattern: `%`, `_` and the escape character itself escaped.
fn contains_pattern(term: &str) -> String {
    let mut pattern = String::with_capacity(term.len() + 2);
    pattern.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// DRF's `SearchFilter` over username and email: every term (the `n`th bound as `$n`) must
/// match one of them. SQLite's `LIKE` folds ASCII letters only; `UPPER` under the "C"
/// collation does exactly that whatever the database's locale, so both databases find the
/// same users.
fn search_clause(terms: usize) -> String {
    if terms == 0 {
        return String::new();
    }
    let one = |n: usize| {
        format!(
            "(UPPER(u.username COLLATE \"C\") LIKE UPPER(${n} COLLATE \"C\") ESCAPE '\\' \
             OR UPPER(u.email COLLATE \"C\") LIKE UPPER(${n} COLLATE \"C\") ESCAPE '\\')"
        )
    };
    let all: Vec<String> = (1..=terms).map(one).collect();
    format!("WHERE {}", all.join(" AND "))
}

/// Grant permissions to a group inside a transaction; ids of missing permissions are skipped.
async fn grant(
    conn: &mut PgConnection,
    group_id: i64,
    permission_ids: &[i64],
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO auth_group_permissions (group_id, permission_id) \
         SELECT $1, id FROM auth_permission WHERE id = ANY($2) ORDER BY id \
         ON CONFLICT (group_id, permission_id) DO NOTHING",
    )
    .bind(group_id)
    .bind(permission_ids)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Make the user a member of exactly these groups, on a connection the caller may hold in a
/// transaction.
pub(super) async fn set_user_groups(
    conn: &mut PgConnection,
    user_id: i64,
    group_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_user_groups WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    // Selecting the ids skips a group deleted since the request was validated, rather than
    // failing the whole update on the foreign key. In the order given, as SQLite inserts them.
    sqlx::query(
        "INSERT INTO auth_user_groups (user_id, group_id) \
         SELECT u.id, g.id FROM auth_user u, \
         unnest($2::BIGINT[]) WITH ORDINALITY AS wanted (id, n) \
         JOIN auth_group g ON g.id = wanted.id WHERE u.id = $1 ORDER BY wanted.n \
         ON CONFLICT (user_id, group_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(group_ids)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl AdminStore for PgStore {
    fn update_user<'a>(&'a self, id: i64, update: &'a UserUpdate) -> StoreFuture<'a, ()> {
        Box::pin(self.update_user_revoking(id, update, true))
    }

    fn count_users<'a>(&'a self, terms: &'a [String]) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let sql = format!(
                "SELECT COUNT(*) FROM auth_user u {}",
                search_clause(terms.len())
            );
            let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
            for term in terms {
                query = query.bind(contains_pattern(term));
            }
            let count = query.fetch_one(&self.pool).await?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
    }

    fn list_users<'a>(
        &'a self,
        terms: &'a [String],
        limit: u64,
        offset: u64,
    ) -> StoreFuture<'a, Vec<User>> {
        Box::pin(async move {
            let n = terms.len();
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM auth_user u {} ORDER BY u.id LIMIT ${} OFFSET ${}",
                search_clause(n),
                n + 1,
                n + 2
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for term in terms {
                query = query.bind(contains_pattern(term));
            }
            let rows = query
                .bind(super::to_i64(limit))
                .bind(super::to_i64(offset))
                .fetch_all(&self.pool)
                .await?;
            Ok(rows
                .iter()
                .map(User::from_row)
                .collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn user_groups<'a>(&'a self, user_ids: &'a [i64]) -> StoreFuture<'a, Vec<(i64, i64)>> {
        Box::pin(async move {
            Ok(sqlx::query_as(
                "SELECT user_id, group_id FROM auth_user_groups WHERE user_id = ANY($1) \
                 ORDER BY user_id, group_id",
            )
            .bind(user_ids)
            .fetch_all(&self.pool)
            .await?)
        })
    }

    fn token_created(&self, user_id: i64) -> StoreFuture<'_, Option<String>> {
        Box::pin(async move {
            Ok(
                sqlx::query_scalar("SELECT created FROM authtoken_token WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?,
            )
        })
    }

    fn group_has_staff(&self, group_id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let found: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM auth_user_groups m \
                 JOIN auth_user u ON u.id = m.user_id \
                 WHERE m.group_id = $1 AND (u.is_staff OR u.is_superuser))",
            )
            .bind(group_id)
            .fetch_one(&self.pool)
            .await?;
            Ok(found)
        })
    }

    fn count_groups(&self) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM auth_group")
                .fetch_one(&self.pool)
                .await?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
    }

    fn list_groups(&self, limit: u64, offset: u64) -> StoreFuture<'_, Vec<Group>> {
        Box::pin(async move {
            // Byte order of the names, as SQLite's default BINARY collation sorts them.
            let rows = sqlx::query(
                "SELECT id, name FROM auth_group ORDER BY name COLLATE \"C\", id \
                 LIMIT $1 OFFSET $2",
            )
            .bind(super::to_i64(limit))
            .bind(super::to_i64(offset))
            .fetch_all(&self.pool)
            .await?;
            Ok(rows.iter().map(Group::from_row).collect::<Result<_, _>>()?)
        })
    }

    fn groups_by_ids<'a>(&'a self, ids: &'a [i64]) -> StoreFuture<'a, Vec<Group>> {
        Box::pin(async move {
            let rows =
                sqlx::query("SELECT id, name FROM auth_group WHERE id = ANY($1) ORDER BY id")
                    .bind(ids)
                    .fetch_all(&self.pool)
                    .await?;
            Ok(rows.iter().map(Group::from_row).collect::<Result<_, _>>()?)
        })
    }

    fn group_by_name<'a>(&'a self, name: &'a str) -> StoreFuture<'a, Option<Group>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT id, name FROM auth_group WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
            Ok(row.as_ref().map(Group::from_row).transpose()?)
        })
    }

    fn create_group<'a>(
        &'a self,
        name: &'a str,
        permission_ids: &'a [i64],
    ) -> StoreFuture<'a, Group> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            let id: i64 =
                sqlx::query_scalar("INSERT INTO auth_group (name) VALUES ($1) RETURNING id")
                    .bind(name)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(StoreError::from)?;
            grant(&mut tx, id, permission_ids).await?;
            tx.commit().await?;
            Ok(Group {
                id,
                name: name.to_string(),
            })
        })
    }

    fn update_group<'a>(
        &'a self,
        id: i64,
        name: Option<&'a str>,
        permission_ids: Option<&'a [i64]>,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            // Locked so that a concurrent delete waits for this edit instead of racing it.
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM auth_group WHERE id = $1 FOR UPDATE")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_none() {
                return Ok(false);
            }
            if let Some(name) = name {
                sqlx::query("UPDATE auth_group SET name = $1 WHERE id = $2")
                    .bind(name)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from)?;
            }
            if let Some(permission_ids) = permission_ids {
                sqlx::query("DELETE FROM auth_group_permissions WHERE group_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                grant(&mut tx, id, permission_ids).await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    fn delete_group(&self, id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let done = sqlx::query("DELETE FROM auth_group WHERE id = $1")
                .bind(id)
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() > 0)
        })
    }

    fn group_permissions<'a>(
        &'a self,
        group_ids: &'a [i64],
    ) -> StoreFuture<'a, Vec<(i64, Permission)>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT gp.group_id, p.id, p.name, p.resource, p.codename \
                 FROM auth_group_permissions gp JOIN auth_permission p ON p.id = gp.permission_id \
                 WHERE gp.group_id = ANY($1) \
                 ORDER BY gp.group_id, p.resource COLLATE \"C\", p.codename COLLATE \"C\"",
            )
            .bind(group_ids)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| Ok((r.try_get("group_id")?, Permission::from_row(r)?)))
                .collect::<Result<_, sqlx::Error>>()
                .map_err(Into::into)
        })
    }

    fn permissions(&self) -> StoreFuture<'_, Vec<Permission>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT id, name, resource, codename FROM auth_permission \
                 ORDER BY resource COLLATE \"C\", codename COLLATE \"C\"",
            )
            .fetch_all(&self.pool)
            .await?;
            Ok(rows
                .iter()
                .map(Permission::from_row)
                .collect::<Result<_, _>>()?)
        })
    }
}
