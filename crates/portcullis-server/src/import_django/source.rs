//! Reading a Django project's database: the auth tables and DRF's tokens, from a SQLite file or
//! a PostgreSQL URL, read-only. Timestamps come out in the form Portcullis stores
//! (`2026-01-02 03:04:05.678901`, UTC) and ids as 64-bit integers, whichever the database.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteRow};
use sqlx::{AssertSqlSafe, FromRow};

use crate::store::User;

/// A permission as Django has it: a codename on a model's content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DjangoPermission {
    pub(crate) id: i64,
    pub(crate) app_label: String,
    pub(crate) model: String,
    pub(crate) codename: String,
}

/// A DRF token as Django stores it: the key in plaintext.
#[derive(Debug, Clone)]
pub(crate) struct DjangoToken {
    pub(crate) key: String,
    pub(crate) user_id: i64,
    pub(crate) created: String,
}

/// Everything read from the Django database.
#[derive(Debug, Clone, Default)]
pub(crate) struct DjangoData {
    pub(crate) users: Vec<User>,
    pub(crate) groups: Vec<(i64, String)>,
    pub(crate) permissions: Vec<DjangoPermission>,
    pub(crate) user_groups: Vec<(i64, i64)>,
    pub(crate) group_permissions: Vec<(i64, i64)>,
    pub(crate) user_permissions: Vec<(i64, i64)>,
    pub(crate) tokens: Vec<DjangoToken>,
    /// Whether `authtoken_token` exists (a project without DRF's tokens has none).
    pub(crate) has_tokens_table: bool,
}

/// The Django database, by what `--database` names.
pub(crate) enum Source {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

type UserRow = (
    i64,
    String,
    Option<String>,
    bool,
    String,
    String,
    String,
    String,
    bool,
    bool,
    String,
);

impl Source {
    /// A `postgres://` or `postgresql://` URL, else a SQLite file's path (or `sqlite://` URL),
    /// opened read-only: an import never writes to the database it leaves.
    pub(crate) async fn open(database: &str) -> anyhow::Result<Source> {
        if database.starts_with("postgres://") || database.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(database)?;
            // No maintenance task (see `store::postgres::pool_options` on its spinning loop).
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await?;
            return Ok(Source::Postgres(pool));
        }
        let path = database.strip_prefix("sqlite://").unwrap_or(database);
        if !std::path::Path::new(path).is_file() {
            anyhow::bail!("no such SQLite file: {path}");
        }
        let options = SqliteConnectOptions::new().filename(path).read_only(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        Ok(Source::Sqlite(pool))
    }

    pub(crate) async fn close(self) {
        match self {
            Source::Sqlite(pool) => pool.close().await,
            Source::Postgres(pool) => pool.close().await,
        }
    }

    async fn fetch<T>(&self, sql: String) -> anyhow::Result<Vec<T>>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let rows = match self {
            Source::Sqlite(pool) => {
                sqlx::query_as(AssertSqlSafe(sql.clone()))
                    .fetch_all(pool)
                    .await
            }
            Source::Postgres(pool) => {
                sqlx::query_as(AssertSqlSafe(sql.clone()))
                    .fetch_all(pool)
                    .await
            }
        };
        rows.map_err(|e| anyhow::anyhow!("reading the Django database ({sql}): {e}"))
    }

    async fn has_table(&self, table: &str) -> anyhow::Result<bool> {
        let sql = match self {
            Source::Sqlite(_) => {
                format!(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
                )
            }
            Source::Postgres(_) => {
                format!(
                    "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = '{table}'"
                )
            }
        };
        let found: Vec<(i64,)> = self.fetch(sql).await?;
        Ok(found.first().is_some_and(|(n,)| *n > 0))
    }

    /// A timestamp column in Portcullis's stored form.
    pub(crate) fn ts(&self, column: &str) -> String {
        match self {
            // Django writes `str(datetime)` there: the fraction is left out when it is zero,
            // and `normalize_ts` puts it back.
            Source::Sqlite(_) => column.to_string(),
            Source::Postgres(_) => {
                format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')")
            }
        }
    }

    /// An id column as a 64-bit integer (Django's `AutoField` is 32 bits on PostgreSQL).
    pub(crate) fn int(&self, column: &str) -> String {
        match self {
            Source::Sqlite(_) => column.to_string(),
            Source::Postgres(_) => format!("CAST({column} AS BIGINT)"),
        }
    }

    async fn pairs(&self, a: &str, b: &str, table: &str) -> anyhow::Result<Vec<(i64, i64)>> {
        let sql = format!(
            "SELECT {}, {} FROM {table} ORDER BY 1, 2",
            self.int(a),
            self.int(b)
        );
        self.fetch(sql).await
    }

    async fn users(&self) -> anyhow::Result<Vec<User>> {
        let sql = format!(
            "SELECT {}, password, {}, is_superuser, username, first_name, last_name, email, \
             is_staff, is_active, {} FROM auth_user ORDER BY id",
            self.int("id"),
            self.ts("last_login"),
            self.ts("date_joined")
        );
        let rows: Vec<UserRow> = self.fetch(sql).await?;
        Ok(rows
            .into_iter()
            .map(|r| User {
                id: r.0,
                password: r.1,
                last_login: r.2.map(|t| normalize_ts(&t)),
                is_superuser: r.3,
                username: r.4,
                first_name: r.5,
                last_name: r.6,
                email: r.7,
                is_staff: r.8,
                is_active: r.9,
                date_joined: normalize_ts(&r.10),
            })
            .collect())
    }

    async fn permissions(&self) -> anyhow::Result<Vec<DjangoPermission>> {
        let sql = format!(
            "SELECT {}, c.app_label, c.model, p.codename FROM auth_permission p \
             JOIN django_content_type c ON c.id = p.content_type_id ORDER BY p.id",
            self.int("p.id")
        );
        let rows: Vec<(i64, String, String, String)> = self.fetch(sql).await?;
        Ok(rows
            .into_iter()
            .map(|(id, app_label, model, codename)| DjangoPermission {
                id,
                app_label,
                model,
                codename,
            })
            .collect())
    }

    async fn tokens(&self) -> anyhow::Result<Vec<DjangoToken>> {
        let sql = format!(
            "SELECT key, {}, {} FROM authtoken_token ORDER BY user_id",
            self.int("user_id"),
            self.ts("created")
        );
        let rows: Vec<(String, i64, String)> = self.fetch(sql).await?;
        Ok(rows
            .into_iter()
            .map(|(key, user_id, created)| DjangoToken {
                key,
                user_id,
                created: normalize_ts(&created),
            })
            .collect())
    }

    /// Every table the import reads; `auth_user` must exist, `authtoken_token` may not.
    pub(crate) async fn read(&self) -> anyhow::Result<DjangoData> {
        if !self.has_table("auth_user").await? {
            anyhow::bail!("not a Django database: it has no auth_user table");
        }
        let has_tokens_table = self.has_table("authtoken_token").await?;
        Ok(DjangoData {
            users: self.users().await?,
            groups: self
                .fetch(format!(
                    "SELECT {}, name FROM auth_group ORDER BY id",
                    self.int("id")
                ))
                .await?,
            permissions: self.permissions().await?,
            user_groups: self
                .pairs("user_id", "group_id", "auth_user_groups")
                .await?,
            group_permissions: self
                .pairs("group_id", "permission_id", "auth_group_permissions")
                .await?,
            user_permissions: self
                .pairs("user_id", "permission_id", "auth_user_user_permissions")
                .await?,
            tokens: if has_tokens_table {
                self.tokens().await?
            } else {
                Vec::new()
            },
            has_tokens_table,
        })
    }
}

/// Django's SQLite text of a datetime in the stored form: `T` as a space, six fraction digits,
/// no offset (Django keeps UTC there with `USE_TZ`).
pub(crate) fn normalize_ts(text: &str) -> String {
    let text = text.trim().replace('T', " ");
    let text = text
        .strip_suffix("+00:00")
        .or_else(|| text.strip_suffix('Z'))
        .unwrap_or(&text);
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits: String = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(6)
        .collect();
    format!("{whole}.{digits}")
}

#[cfg(test)]
mod tests {
    use super::normalize_ts;

    #[test]
    fn django_sqlite_datetimes_take_the_stored_form() {
        assert_eq!(
            normalize_ts("2026-12-07 21:37:28"),
            "2026-12-07 21:37:28.000000"
        );
        assert_eq!(
            normalize_ts("2026-12-07 21:37:28.5"),
            "2026-12-07 21:37:28.500000"
        );
        assert_eq!(
            normalize_ts("2026-12-07T21:37:28.123456+00:00"),
            "2026-12-07 21:37:28.123456"
        );
        assert_eq!(
            normalize_ts("2026-12-07 21:37:28.123456"),
            "2026-12-07 21:37:28.123456"
        );
    }
}
