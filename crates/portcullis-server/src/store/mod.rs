//! The store boundary: every query the application makes, in per-area traits (accounts,
//! tokens and JWT, the staff console, resources, migrations) that each database implements
//! once. SQLite (`sqlite/`) is the embedded default; another database is another module beside
//! it implementing the same traits, so handlers never see which database serves them.

pub(crate) mod accounts;
pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod auth_cache;
pub mod availability;
pub(crate) mod cells;
pub mod import;
pub(crate) mod knox;
pub(crate) mod limits;
pub(crate) mod links;
pub mod migration_lock;
pub(crate) mod models;
pub(crate) mod postgres;
pub(crate) mod resources;
pub(crate) mod result_cache;
pub(crate) mod sqlite;
pub(crate) mod tables;
pub(crate) mod timestamp;
pub(crate) mod tokens;

// The types of the traits' signatures are public with them (the fields stay crate-private):
// the binary and the tests call the traits, only the crate builds these values.
pub use admin::{Group, Permission, RefreshTokenRecord};
pub use availability::Availability;
pub use cells::{Cell, ColumnInfo, Storage};
pub use limits::QueryLimits;
pub use links::LinkSet;
pub use migration_lock::MigrationLock;
pub use models::{NewUser, OwnRow, User, UserUpdate};
pub use sqlite::backup::{Backup, backup};
pub use tables::{Change, Column, ColumnKind, Index, Literal, OnDelete, Table};

pub use accounts::AccountStore;
pub use admin::AdminStore;
pub use audit::AuditStore;
pub use import::ImportStore;
pub use knox::KnoxStore;
pub use resources::ResourceStore;
pub use tokens::TokenStore;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// Store failures the application acts on; everything else is `Database`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("a user with that username already exists")]
    UsernameTaken,
    /// A unique or foreign-key constraint refused a write.
    #[error("constraint: {0}")]
    Conflict(String),
    /// No connection was free within `limits.pool_wait_ms`: the database is saturated.
    #[error("no database connection was free in time")]
    Busy,
    /// A query ran past `limits.query_timeout_ms` and was interrupted.
    #[error("the query ran past its time limit and was interrupted")]
    Interrupted,
    /// The database cannot be reached or is shutting down (refused or reset connections,
    /// PostgreSQL's `57P01`-`57P03` and class `08`, a closed pool): an outage, answered 503
    /// until it is back.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Another migrator held the migration lock for the whole wait (seconds).
    #[error("another migration holds the migration lock (waited {0} s); try again once it is done")]
    MigrationLocked(u64),
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    /// The failures a caller acts on are told apart here, once: a saturated pool, an
    /// interrupted query and an unreachable database become 503s upstream, a refused constraint
    /// a 409, instead of generic 500s.
    fn from(err: sqlx::Error) -> Self {
        if let Some(outage) = outage(&err) {
            return outage;
        }
        match &err {
            // Each database says in its own codes that it stopped a query on its time limit.
            sqlx::Error::Database(db)
                if sqlite::errors::is_interrupt(db.as_ref())
                    || postgres::errors::is_interrupt(db.as_ref()) =>
            {
                StoreError::Interrupted
            }
            // A unique or reference constraint refused a write: a conflict with other rows
            // (callers that know which field, such as a taken name, match it themselves).
            sqlx::Error::Database(db)
                if db.is_unique_violation()
                    || db.is_foreign_key_violation()
                    || sqlite::errors::is_restrict_violation(db.as_ref()) =>
            {
                StoreError::Conflict(db.message().to_string())
            }
            _ => StoreError::Database(err),
        }
    }
}

/// The failures that pass by themselves: the database out of reach or saturated, met by a
/// query or by a migration (so that `serve` retries its startup migrations).
fn outage(err: &sqlx::Error) -> Option<StoreError> {
    use sqlx::migrate::MigrateError;
    match err {
        // A pool that waited for a connection in vain is saturated, or cannot connect: the
        // pool does not say which (it retries refused connections until its deadline), so
        // the HTTP layer asks `Store::unreachable` before it answers (`http::outage`).
        sqlx::Error::PoolTimedOut => Some(StoreError::Busy),
        sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            Some(StoreError::Unavailable(err.to_string()))
        }
        sqlx::Error::Database(db) if postgres::errors::is_unreachable(db.as_ref()) => {
            Some(StoreError::Unavailable(db.message().to_string()))
        }
        sqlx::Error::Database(db) if postgres::errors::is_saturated(db.as_ref()) => {
            Some(StoreError::Busy)
        }
        sqlx::Error::Migrate(migrate) => match migrate.as_ref() {
            MigrateError::Execute(inner) | MigrateError::ExecuteMigration(inner, _) => {
                outage(inner)
            }
            _ => None,
        },
        _ => None,
    }
}

impl StoreError {
    /// Whether the failure is the database's absence or saturation, which passes by itself:
    /// worth retrying later rather than reporting as a fault.
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::Busy)
    }
}

/// A token's stored forms: the keyed digest used for lookup and the sealed copy that lets the
/// same key be handed out again (DRF returns a user's existing token on every login).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredToken {
    #[sqlx(rename = "key_digest")]
    pub(crate) digest: String,
    #[sqlx(rename = "key_sealed")]
    pub(crate) sealed: Vec<u8>,
}

/// A boxed, `Send` future of a store result. Trait methods return it instead of being `async
/// fn`s because [`Store`] calls them through `dyn` traits (an `async fn` in a trait is not
/// object safe); the box is one allocation per query, nothing next to the query itself.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// The fixed tables' migrations, the lock that keeps migrators apart, and the probe that tells
/// an unreachable database from a saturated pool.
pub trait MigrationStore: Send + Sync {
    /// Apply pending fixed-table migrations; the names applied.
    fn migrate(&self) -> StoreFuture<'_, Vec<String>>;

    /// Pending fixed-table migrations, by name, without applying them.
    fn pending_migrations(&self) -> StoreFuture<'_, Vec<String>>;

    /// Hold the database's migration lock until the guard is released, so that two migrators
    /// (instances starting at once, `portcullis migrate` while others serve) never interleave
    /// DDL; waits up to `wait` for another migrator to finish, then refuses with
    /// `StoreError::Database` saying so.
    fn lock_migrations(&self, wait: Duration) -> StoreFuture<'_, MigrationLock>;

    /// Open a connection apart from the pools and close it: `Unavailable` (with the cause) when
    /// the database cannot be reached.
    fn probe(&self) -> StoreFuture<'_, ()>;

    /// The connection pools' use now, for the metrics.
    fn pools(&self) -> Vec<PoolUse>;
}

/// One connection pool's use at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUse {
    /// Which pool (`fixed`, `resources`; on SQLite also `writer` and `reader`).
    pub name: &'static str,
    /// Connections checked out by a query.
    pub in_use: u32,
    /// Connections open and free.
    pub idle: u32,
}

impl PoolUse {
    /// The use of one of sqlx's pools.
    pub(crate) fn of<DB: sqlx::Database>(name: &'static str, pool: &sqlx::Pool<DB>) -> PoolUse {
        let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
        PoolUse {
            name,
            in_use: pool.size().saturating_sub(idle),
            idle,
        }
    }
}

/// Everything one database implements: one implementation per database, each area its own
/// trait so that a method's signature is written once, in its trait.
pub trait Backend:
    AccountStore
    + TokenStore
    + KnoxStore
    + AdminStore
    + AuditStore
    + ResourceStore
    + MigrationStore
    + ImportStore
    + fmt::Debug
{
}

impl<T> Backend for T where
    T: AccountStore
        + TokenStore
        + KnoxStore
        + AdminStore
        + AuditStore
        + ResourceStore
        + MigrationStore
        + ImportStore
        + fmt::Debug
{
}

/// The databases Portcullis runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite,
    Postgres,
}

impl Database {
    /// The database a `database_url` names, if it is one Portcullis runs on.
    pub fn of_url(url: &str) -> Option<Database> {
        if url.starts_with("sqlite://") || url == "sqlite::memory:" {
            Some(Database::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Database::Postgres)
        } else {
            None
        }
    }
}

/// The database, whichever it is: callers reach each area through its accessor
/// (`store.accounts().user_by_id(id)`), which is the only dispatch there is. Accounts, tokens
/// and the console go through the authentication cache (`auth_cache`), which keeps what
/// authenticating a request reads; resources and migrations go to the database.
#[derive(Clone, Debug)]
pub struct Store {
    layer: Arc<auth_cache::layer::AuthLayer>,
    /// Whether the database serves now: startup migrations done, no outage under way.
    availability: Arc<Availability>,
}

impl Store {
    /// Open (creating when missing) the database named by `url` and apply pending migrations of
    /// the fixed tables.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_limited(url, QueryLimits::default()).await
    }

    /// [`Store::open`] with the query limits of the configuration.
    pub async fn open_limited(url: &str, limits: QueryLimits) -> Result<Store, StoreError> {
        let store = Store::connect_limited(url, limits).await?;
        // A database that is down says so with its cause, not as a pool that timed out.
        store.migrations().probe().await?;
        store.migrations().migrate().await?;
        Ok(store)
    }

    /// Open without applying migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_limited(url, QueryLimits::default()).await
    }

    /// [`Store::connect`] with the query limits of the configuration. On PostgreSQL nothing is
    /// opened yet (a database that is down is an outage to ride out, not a refusal to start).
    pub async fn connect_limited(url: &str, limits: QueryLimits) -> Result<Store, StoreError> {
        // The one place that picks a database, by the URL's scheme.
        let postgres = Database::of_url(url) == Some(Database::Postgres);
        // PostgreSQL's resource answers are kept only while its announcements are heard, by
        // the authentication cache's listener: with that cache off, they are not kept.
        let data = (postgres && !limits.auth_cache.is_zero() && limits.read_cache_bytes > 0)
            .then(|| Arc::new(postgres::data_version::DataVersion::default()));
        let backend: Arc<dyn Backend> = if postgres {
            Arc::new(postgres::PgStore::connect_kept(url, limits, data.clone()).await?)
        } else {
            Arc::new(sqlite::SqliteStore::connect(url, limits).await?)
        };
        let layer = auth_cache::layer::AuthLayer::new(backend, url, &limits, data)?;
        Ok(Store {
            layer: Arc::new(layer),
            availability: Arc::new(Availability::default()),
        })
    }

    /// Whether the database serves now (see [`Availability`]).
    pub fn availability(&self) -> &Availability {
        &self.availability
    }

    pub fn accounts(&self) -> &dyn AccountStore {
        &*self.layer
    }

    pub fn tokens(&self) -> &dyn TokenStore {
        &*self.layer
    }

    /// django-rest-knox's tokens; writes forget the user in the authentication cache.
    pub fn knox(&self) -> &dyn KnoxStore {
        &*self.layer
    }

    pub fn admin(&self) -> &dyn AdminStore {
        &*self.layer
    }

    /// The audit log and the sessions' clients (never cached: `audit/` writes them in batches).
    pub fn audit(&self) -> &dyn AuditStore {
        self.layer.backend()
    }

    pub fn resources(&self) -> &dyn ResourceStore {
        self.layer.backend()
    }

    pub fn migrations(&self) -> &dyn MigrationStore {
        self.layer.backend()
    }

    /// A Django import's reads and writes. They go to the database past the authentication
    /// cache: an import only adds rows, and that cache keeps only rows it found (SQLite's
    /// resource read cache notices any commit by itself).
    pub fn import(&self) -> &dyn ImportStore {
        self.layer.backend()
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Error, ErrorKind};

    use sqlx::migrate::MigrateError;

    use super::StoreError;

    fn io(kind: ErrorKind) -> sqlx::Error {
        sqlx::Error::Io(Error::from(kind))
    }

    #[test]
    fn a_database_out_of_reach_is_an_outage_and_a_full_pool_is_not() {
        for err in [
            io(ErrorKind::ConnectionRefused),
            io(ErrorKind::ConnectionReset),
            io(ErrorKind::UnexpectedEof),
            sqlx::Error::PoolClosed,
        ] {
            assert!(matches!(StoreError::from(err), StoreError::Unavailable(_)));
        }
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolTimedOut),
            StoreError::Busy
        ));
        assert!(matches!(
            StoreError::from(sqlx::Error::RowNotFound),
            StoreError::Database(_)
        ));
    }

    #[test]
    fn a_migration_cut_off_by_an_outage_is_an_outage_and_other_failures_stay_what_they_are() {
        let cut = MigrateError::Execute(io(ErrorKind::ConnectionReset));
        let err = StoreError::from(sqlx::Error::Migrate(Box::new(cut)));
        assert!(err.is_transient(), "{err}");
        let edited = MigrateError::VersionMismatch(3);
        let err = StoreError::from(sqlx::Error::Migrate(Box::new(edited)));
        assert!(!err.is_transient());
        assert!(
            err.to_string()
                .contains("migration 3 was previously applied"),
            "{err}"
        );
    }
}
