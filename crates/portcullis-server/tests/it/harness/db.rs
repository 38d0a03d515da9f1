//! The test's database, whichever it is: a SQLite file in the test's directory or, when
//! `PORTCULLIS_TEST_DATABASE_URL` names a PostgreSQL server (an admin URL on which the tests may
//! create databases), a fresh PostgreSQL database of the test's own, dropped with it. [`Db`] is a
//! second connection for what the HTTP API does not do, running the same statements on either
//! database (`?` placeholders, rewritten as `$n` for PostgreSQL).

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::postgres::{PgPool, PgRow};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Connection, FromRow, PgConnection};

/// The variable naming the PostgreSQL server the tests run on.
pub(crate) const DATABASE_URL_VAR: &str = "PORTCULLIS_TEST_DATABASE_URL";

/// The PostgreSQL admin URL the tests run on, if any.
pub(crate) fn postgres_admin_url() -> Option<String> {
    std::env::var(DATABASE_URL_VAR)
        .ok()
        .filter(|url| !url.is_empty())
}

/// Whether the tests run on PostgreSQL.
pub(crate) fn on_postgres() -> bool {
    postgres_admin_url().is_some()
}

/// A test about SQLite itself (its file, its journal, its planner) returns early on
/// PostgreSQL, saying why: true when the caller should return.
pub(crate) fn skip_on_postgres(why: &str) -> bool {
    if on_postgres() {
        eprintln!("skipped on PostgreSQL: {why}");
        return true;
    }
    false
}

/// A PostgreSQL database made for one test, dropped when the last application on it goes.
pub(crate) struct PgDatabase {
    admin_url: String,
    name: String,
    /// The URL of the test's database.
    pub(crate) url: String,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// The URL `admin_url` with another database name (the part after the last `/`, before `?`).
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let (server, _) = base.rsplit_once('/').unwrap_or((base, ""));
    format!("{server}/{name}{query}")
}

/// The admin URL's database name, the prefix of the test databases made through it, so that
/// each user of a shared server keeps to names of its own.
fn admin_database(admin_url: &str) -> String {
    let base = admin_url.split('?').next().unwrap_or(admin_url);
    base.rsplit_once('/')
        .map(|(_, name)| name.to_string())
        .filter(|name| !name.is_empty() && !name.contains('@'))
        .unwrap_or_else(|| "postgres".to_string())
}

impl PgDatabase {
    /// `CREATE DATABASE` with a name no other test (of this process or another) uses.
    pub(crate) async fn create(admin_url: &str) -> PgDatabase {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let name = format!(
            "{}_t{}_{}_{nanos:x}",
            admin_database(admin_url),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("connect to {DATABASE_URL_VAR}: {e}"));
        // FILE_COPY copies the (tiny) template's files: about 0.2 s a database where the
        // default WAL_LOG strategy takes 0.55 s. PostgreSQL before 15 knows only that copy.
        let copied = sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE \"{name}\" STRATEGY FILE_COPY"
        )))
        .execute(&mut conn)
        .await;
        if copied.is_err() {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(&mut conn)
                .await
                .expect("create the test database");
        }
        let _ = conn.close().await;
        PgDatabase {
            url: with_database(admin_url, &name),
            admin_url: admin_url.to_string(),
            name,
        }
    }
}

impl Drop for PgDatabase {
    /// Drop the database, closing what still holds a connection to it (`WITH (FORCE)`). On a
    /// thread of its own: the test's runtime may be the one dropping this value.
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async move {
                let mut conn = PgConnection::connect(&admin_url).await.ok()?;
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                    .ok()?;
                conn.close().await.ok()
            })
        });
        if !matches!(dropped.join(), Ok(Some(()))) {
            eprintln!("could not drop the test database {}", self.name);
        }
    }
}

/// A value bound to a `?` of a [`Db`] statement.
#[derive(Clone, Debug)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Int(n)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

/// Bind each of `args` to `query` (a `Query` or `QueryAs` of either database).
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Arg::Int(n) => query.bind(*n),
                Arg::Text(s) => query.bind(s.clone()),
            };
        }
        query
    }};
}

/// A second connection to the test's database.
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// `?` placeholders as PostgreSQL's `$1, $2, …` (none inside a quoted literal).
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quoted = false;
    let mut n = 0;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                n += 1;
                out.push_str(&format!("${n}"));
            }
            _ => out.push(c),
        }
    }
    out
}

impl Db {
    pub(crate) async fn connect(url: &str) -> Db {
        if url.starts_with("postgres") {
            Db::Postgres(
                PgPool::connect(url)
                    .await
                    .expect("connect to the test database"),
            )
        } else {
            Db::Sqlite(
                SqlitePool::connect(url)
                    .await
                    .expect("connect to the test database"),
            )
        }
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    /// Run one statement; the rows it changed. Panics (failing the test) if it fails.
    pub(crate) async fn execute(&self, sql: &str, args: &[Arg]) -> u64 {
        self.try_execute(sql, args)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// [`Db::execute`] that returns the error.
    pub(crate) async fn try_execute(&self, sql: &str, args: &[Arg]) -> Result<u64, sqlx::Error> {
        match self {
            Db::Sqlite(pool) => {
                let query = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql.to_string())), args);
                Ok(query.execute(pool).await?.rows_affected())
            }
            Db::Postgres(pool) => {
                let query = bind_all!(sqlx::query(sqlx::AssertSqlSafe(numbered(sql))), args);
                Ok(query.execute(pool).await?.rows_affected())
            }
        }
    }

    /// Every row of a query, as `T` (a tuple of types both databases decode alike).
    pub(crate) async fn rows<T>(&self, sql: &str, args: &[Arg]) -> Vec<T>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let rows = match self {
            Db::Sqlite(pool) => {
                let sql = sqlx::AssertSqlSafe(sql.to_string());
                bind_all!(sqlx::query_as::<_, T>(sql), args)
                    .fetch_all(pool)
                    .await
            }
            Db::Postgres(pool) => {
                let sql = sqlx::AssertSqlSafe(numbered(sql));
                bind_all!(sqlx::query_as::<_, T>(sql), args)
                    .fetch_all(pool)
                    .await
            }
        };
        rows.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The one integer a query selects (`COUNT(*)`, an id).
    pub(crate) async fn int(&self, sql: &str, args: &[Arg]) -> i64 {
        let rows: Vec<(i64,)> = self.rows(sql, args).await;
        rows.first().unwrap_or_else(|| panic!("{sql}: no row")).0
    }

    /// The first column of every row, as text.
    pub(crate) async fn texts(&self, sql: &str, args: &[Arg]) -> Vec<String> {
        let rows: Vec<(String,)> = self.rows(sql, args).await;
        rows.into_iter().map(|r| r.0).collect()
    }

    /// A trigger `name` that makes every `kind` (`INSERT`, `UPDATE`, `DELETE`) of a row of
    /// `table` matching `condition` (on `NEW` or `OLD`; `TRUE` for all) fail with `message`, in
    /// each database's own syntax. [`Db::drop_failing_trigger`] removes it.
    pub(crate) async fn create_failing_trigger(
        &self,
        name: &str,
        kind: &str,
        table: &str,
        condition: &str,
        message: &str,
    ) {
        if self.is_postgres() {
            self.execute(
                &format!(
                    "CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN \
                     RAISE EXCEPTION '{message}'; END $$ LANGUAGE plpgsql"
                ),
                &[],
            )
            .await;
            self.execute(
                &format!(
                    "CREATE TRIGGER {name} BEFORE {kind} ON {table} FOR EACH ROW \
                     WHEN ({condition}) EXECUTE FUNCTION {name}()"
                ),
                &[],
            )
            .await;
        } else {
            self.execute(
                &format!(
                    "CREATE TRIGGER {name} BEFORE {kind} ON {table} WHEN {condition} \
                     BEGIN SELECT RAISE(ABORT, '{message}'); END"
                ),
                &[],
            )
            .await;
        }
    }

    pub(crate) async fn drop_failing_trigger(&self, name: &str) {
        let sql = if self.is_postgres() {
            // The trigger depends on its function and goes with it.
            format!("DROP FUNCTION {name}() CASCADE")
        } else {
            format!("DROP TRIGGER {name}")
        };
        self.execute(&sql, &[]).await;
    }

    pub(crate) async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}
