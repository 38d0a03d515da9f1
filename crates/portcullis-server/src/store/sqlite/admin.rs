//! The staff console's queries on SQLite (see `store/admin.rs`). Statements with a variable
//! number of terms or ids are assembled from constant fragments only; every value is bound.

use sqlx::{AssertSqlSafe, FromRow, Row};

use super::SqliteStore;
use super::accounts::USER_COLUMNS;
use crate::store::admin::{Group, Permission};
use crate::store::{AdminStore, StoreFuture, UserUpdate};
use crate::store::{StoreError, User};

/// `?, ?, ?` for `n` values.
fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Django's `icontains` pattern on SQLite: `%`, `_` and the escape character itself escaped.
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

/// DRF's `SearchFilter` over username and email: every term must match one of them.
fn search_clause(terms: &[String]) -> String {
    if terms.is_empty() {
        return String::new();
    }
    let one = "(u.username LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\')";
    format!("WHERE {}", vec![one; terms.len()].join(" AND "))
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Grant permissions to a group inside a transaction; ids of missing permissions are skipped.
async fn grant(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    group_id: i64,
    permission_ids: &[i64],
) -> Result<(), StoreError> {
    for permission_id in permission_ids {
        sqlx::query(
            "INSERT INTO auth_group_permissions (group_id, permission_id) \
             SELECT ?, id FROM auth_permission WHERE id = ? \
             ON CONFLICT (group_id, permission_id) DO NOTHING",
        )
        .bind(group_id)
        .bind(permission_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Make the user a member of exactly these groups, on a connection the caller may hold in a
/// transaction.
pub(super) async fn set_user_groups(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    group_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_user_groups WHERE user_id = ?")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for group_id in group_ids {
        // Selecting the ids skips a group deleted since the request was validated, rather
        // than failing the whole update on the foreign key.
        sqlx::query(
            "INSERT INTO auth_user_groups (user_id, group_id) \
             SELECT u.id, g.id FROM auth_user u, auth_group g WHERE u.id = ? AND g.id = ? \
             ON CONFLICT (user_id, group_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(group_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl AdminStore for SqliteStore {
    fn update_user<'a>(&'a self, id: i64, update: &'a UserUpdate) -> StoreFuture<'a, ()> {
        Box::pin(self.update_user_revoking(id, update, true))
    }

    fn count_users<'a>(&'a self, terms: &'a [String]) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let sql = format!("SELECT COUNT(*) FROM auth_user u {}", search_clause(terms));
            let mut query = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql));
            for term in terms {
                let pattern = contains_pattern(term);
                query = query.bind(pattern.clone()).bind(pattern);
            }
            let count = query.fetch_one(&self.reader).await?;
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
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM auth_user u {} ORDER BY u.id LIMIT ? OFFSET ?",
                search_clause(terms)
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for term in terms {
                let pattern = contains_pattern(term);
                query = query.bind(pattern.clone()).bind(pattern);
            }
            let rows = query
                .bind(to_i64(limit))
                .bind(to_i64(offset))
                .fetch_all(&self.reader)
                .await?;
            Ok(rows
                .iter()
                .map(User::from_row)
                .collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn user_groups<'a>(&'a self, user_ids: &'a [i64]) -> StoreFuture<'a, Vec<(i64, i64)>> {
        Box::pin(async move {
            if user_ids.is_empty() {
                return Ok(Vec::new());
            }
            let sql = format!(
                "SELECT user_id, group_id FROM auth_user_groups WHERE user_id IN ({}) \
             ORDER BY user_id, group_id",
                placeholders(user_ids.len())
            );
            let mut query = sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql));
            for id in user_ids {
                query = query.bind(id);
            }
            Ok(query.fetch_all(&self.reader).await?)
        })
    }

    fn token_created(&self, user_id: i64) -> StoreFuture<'_, Option<String>> {
        Box::pin(async move {
            Ok(
                sqlx::query_scalar("SELECT created FROM authtoken_token WHERE user_id = ?")
                    .bind(user_id)
                    .fetch_optional(&self.reader)
                    .await?,
            )
        })
    }

    fn group_has_staff(&self, group_id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM auth_user_groups m JOIN auth_user u ON u.id = m.user_id \
             WHERE m.group_id = ? AND (u.is_staff OR u.is_superuser) LIMIT 1",
            )
            .bind(group_id)
            .fetch_optional(&self.reader)
            .await?;
            Ok(found.is_some())
        })
    }

    fn count_groups(&self) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM auth_group")
                .fetch_one(&self.reader)
                .await?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
    }

    fn list_groups(&self, limit: u64, offset: u64) -> StoreFuture<'_, Vec<Group>> {
        Box::pin(async move {
            let rows =
                sqlx::query("SELECT id, name FROM auth_group ORDER BY name, id LIMIT ? OFFSET ?")
                    .bind(to_i64(limit))
                    .bind(to_i64(offset))
                    .fetch_all(&self.reader)
                    .await?;
            Ok(rows.iter().map(Group::from_row).collect::<Result<_, _>>()?)
        })
    }

    fn groups_by_ids<'a>(&'a self, ids: &'a [i64]) -> StoreFuture<'a, Vec<Group>> {
        Box::pin(async move {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let sql = format!(
                "SELECT id, name FROM auth_group WHERE id IN ({}) ORDER BY id",
                placeholders(ids.len())
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for id in ids {
                query = query.bind(id);
            }
            let rows = query.fetch_all(&self.reader).await?;
            Ok(rows.iter().map(Group::from_row).collect::<Result<_, _>>()?)
        })
    }

    fn group_by_name<'a>(&'a self, name: &'a str) -> StoreFuture<'a, Option<Group>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT id, name FROM auth_group WHERE name = ?")
                .bind(name)
                .fetch_optional(&self.reader)
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
            let mut tx = self.writer.begin().await?;
            let done = sqlx::query("INSERT INTO auth_group (name) VALUES (?)")
                .bind(name)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
            let id = done.last_insert_rowid();
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
            let mut tx = self.writer.begin().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM auth_group WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Ok(false);
            }
            if let Some(name) = name {
                sqlx::query("UPDATE auth_group SET name = ? WHERE id = ?")
                    .bind(name)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from)?;
            }
            if let Some(permission_ids) = permission_ids {
                sqlx::query("DELETE FROM auth_group_permissions WHERE group_id = ?")
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
            let done = sqlx::query("DELETE FROM auth_group WHERE id = ?")
                .bind(id)
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected() > 0)
        })
    }

    fn group_permissions<'a>(
        &'a self,
        group_ids: &'a [i64],
    ) -> StoreFuture<'a, Vec<(i64, Permission)>> {
        Box::pin(async move {
            if group_ids.is_empty() {
                return Ok(Vec::new());
            }
            let sql = format!(
                "SELECT gp.group_id, p.id, p.name, p.resource, p.codename \
             FROM auth_group_permissions gp JOIN auth_permission p ON p.id = gp.permission_id \
             WHERE gp.group_id IN ({}) ORDER BY gp.group_id, p.resource, p.codename",
                placeholders(group_ids.len())
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for id in group_ids {
                query = query.bind(id);
            }
            let rows = query.fetch_all(&self.reader).await?;
            rows.iter()
                .map(|r| Ok((r.try_get("group_id")?, Permission::from_row(r)?)))
                .collect::<Result<_, sqlx::Error>>()
                .map_err(Into::into)
        })
    }

    fn permissions(&self) -> StoreFuture<'_, Vec<Permission>> {
        Box::pin(async move {
            let rows = sqlx::query(
            "SELECT id, name, resource, codename FROM auth_permission ORDER BY resource, codename",
        )
        .fetch_all(&self.reader)
        .await?;
            Ok(rows
                .iter()
                .map(Permission::from_row)
                .collect::<Result<_, _>>()?)
        })
    }
}
