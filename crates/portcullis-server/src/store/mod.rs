//! The store boundary: every query the application makes, behind one type. SQLite is the
//! embedded default; a PostgreSQL side will be a second variant with its own migrations, so
//! handlers never see which database serves them.

pub(crate) mod admin;
pub(crate) mod cells;
pub(crate) mod links;
pub(crate) mod models;
pub(crate) mod sqlite;
pub(crate) mod tables;
pub(crate) mod timestamp;

pub(crate) use cells::{Cell, ColumnInfo, Storage};
pub(crate) use models::{NewUser, OwnRow};
pub use models::{User, UserUpdate};
pub use sqlite::QueryLimits;

use sea_query::{DeleteStatement, InsertStatement, SelectStatement, UpdateStatement};

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
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

/// SQLite's result code for a statement stopped by the progress handler (`SQLITE_INTERRUPT`).
const SQLITE_INTERRUPT: &str = "9";

/// SQLite reports `ON DELETE RESTRICT` as `SQLITE_CONSTRAINT_TRIGGER` (1811), not as the
/// foreign-key code sqlx recognizes; a trigger's own `RAISE(ABORT, ...)` shares the code, so the
/// message tells them apart.
fn is_restrict_violation(db: &dyn sqlx::error::DatabaseError) -> bool {
    db.code().as_deref() == Some("1811") && db.message() == "FOREIGN KEY constraint failed"
}

impl From<sqlx::Error> for StoreError {
    /// The failures a caller acts on are told apart here, once: a saturated pool and an
    /// interrupted query become 503s upstream, a refused constraint a 409, instead of generic
    /// 500s.
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::PoolTimedOut => StoreError::Busy,
            sqlx::Error::Database(db) if db.code().as_deref() == Some(SQLITE_INTERRUPT) => {
                StoreError::Interrupted
            }
            // A unique or reference constraint refused a write: a conflict with other rows
            // (callers that know which field, such as a taken name, match it themselves).
            sqlx::Error::Database(db)
                if db.is_unique_violation()
                    || db.is_foreign_key_violation()
                    || is_restrict_violation(db.as_ref()) =>
            {
                StoreError::Conflict(db.message().to_string())
            }
            _ => StoreError::Database(err),
        }
    }
}

/// A token's stored forms: the keyed digest used for lookup and the sealed copy that lets the
/// same key be handed out again (DRF returns a user's existing token on every login).
#[derive(Debug, Clone)]
pub(crate) struct StoredToken {
    pub(crate) digest: String,
    pub(crate) sealed: Vec<u8>,
}

/// The database, whichever it is.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(sqlite::SqliteStore),
}

macro_rules! delegate {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match $self {
            Store::Sqlite(s) => s.$method($($arg),*).await,
        }
    };
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
        store.migrate().await?;
        Ok(store)
    }

    /// Open without applying migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_limited(url, QueryLimits::default()).await
    }

    /// [`Store::connect`] with the query limits of the configuration.
    pub(crate) async fn connect_limited(
        url: &str,
        limits: QueryLimits,
    ) -> Result<Store, StoreError> {
        Ok(Store::Sqlite(
            sqlite::SqliteStore::connect(url, limits).await?,
        ))
    }

    /// Apply pending fixed-table migrations; the names applied.
    pub async fn migrate(&self) -> Result<Vec<String>, StoreError> {
        delegate!(self.migrate())
    }

    /// Pending fixed-table migrations, by name, without applying them.
    pub async fn pending_migrations(&self) -> Result<Vec<String>, StoreError> {
        delegate!(self.pending_migrations())
    }

    /// Create a user and its DRF token in one transaction (the tutorial's post_save signal).
    pub(crate) async fn create_user(
        &self,
        user: &NewUser,
        token: &StoredToken,
    ) -> Result<User, StoreError> {
        delegate!(self.create_user(user, token))
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, StoreError> {
        delegate!(self.user_by_id(id))
    }

    /// Exact, case-sensitive match, as Django's `get_by_natural_key` on SQLite.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        delegate!(self.user_by_username(username))
    }

    /// The users whose email is exactly `email` (djoser's `LoginFieldBackend` lookup), at most
    /// `limit` of them, by id: the caller tells one from several.
    pub(crate) async fn users_by_email(
        &self,
        email: &str,
        limit: u32,
    ) -> Result<Vec<User>, StoreError> {
        delegate!(self.users_by_email(email, limit))
    }

    /// The user owning the token with this digest.
    pub(crate) async fn user_by_token_digest(
        &self,
        digest: &str,
    ) -> Result<Option<User>, StoreError> {
        delegate!(self.user_by_token_digest(digest))
    }

    /// How many users [`Store::list_users`] would list in all.
    pub async fn count_users(&self, only: Option<i64>) -> Result<u64, StoreError> {
        delegate!(self.count_users(only))
    }

    /// Users ordered by id; `only` limits the list to one user (djoser's HIDE_USERS).
    pub(crate) async fn list_users(
        &self,
        only: Option<i64>,
        limit: u64,
        offset: u64,
    ) -> Result<Vec<User>, StoreError> {
        delegate!(self.list_users(only, limit, offset))
    }

    /// The fields and the groups, in one transaction. A deactivation revokes the user's JWTs
    /// (a trigger) and keeps its DRF token, as Django's admin does.
    pub async fn update_user(&self, id: i64, update: &UserUpdate) -> Result<(), StoreError> {
        delegate!(self.update_user(id, update))
    }

    /// Rename a user; `UsernameTaken` if another user has the name.
    pub(crate) async fn set_username(&self, id: i64, username: &str) -> Result<(), StoreError> {
        delegate!(self.set_username(id, username))
    }

    /// Change the email of a user whose model logs in with it: the email and the `username`
    /// column that holds it, together; `UsernameTaken` if another user has it.
    pub(crate) async fn set_login_email(&self, id: i64, email: &str) -> Result<(), StoreError> {
        delegate!(self.set_login_email(id, email))
    }

    /// Store a hash as is, revoking nothing (tests and imports; a password change is
    /// [`Store::change_password`]).
    pub async fn set_password(&self, id: i64, encoded: &str) -> Result<(), StoreError> {
        delegate!(self.set_password(id, encoded))
    }

    /// Replace the hash only if it is still `expected` (a login's hash upgrade); false if the
    /// password changed in the meantime.
    pub async fn upgrade_password(
        &self,
        id: i64,
        expected: &str,
        encoded: &str,
    ) -> Result<bool, StoreError> {
        delegate!(self.upgrade_password(id, expected, encoded))
    }

    /// A password change and, with `revoke_sessions`, the revocation it triggers (new JWT
    /// epoch, DRF token deleted), in one transaction.
    pub(crate) async fn change_password(
        &self,
        id: i64,
        encoded: &str,
        revoke_sessions: bool,
    ) -> Result<(), StoreError> {
        delegate!(self.change_password(id, encoded, revoke_sessions))
    }

    pub(crate) async fn touch_last_login(&self, id: i64) -> Result<(), StoreError> {
        delegate!(self.touch_last_login(id))
    }

    pub async fn delete_user(&self, id: i64) -> Result<bool, StoreError> {
        delegate!(self.delete_user(id))
    }

    /// The user's token, or `candidate` stored as the user's token if it had none
    /// (Django's `Token.objects.get_or_create(user=user)`).
    pub(crate) async fn token_get_or_create(
        &self,
        user_id: i64,
        candidate: &StoredToken,
    ) -> Result<StoredToken, StoreError> {
        delegate!(self.token_get_or_create(user_id, candidate))
    }

    /// Replace the user's token (drf_create_token --reset).
    pub(crate) async fn token_replace(
        &self,
        user_id: i64,
        token: &StoredToken,
    ) -> Result<(), StoreError> {
        delegate!(self.token_replace(user_id, token))
    }

    pub(crate) async fn select_rows(
        &self,
        stmt: &SelectStatement,
        kinds: &[Storage],
    ) -> Result<Vec<Vec<Cell>>, StoreError> {
        delegate!(self.select_rows(stmt, kinds))
    }

    /// Run a `SELECT COUNT(*) ...`.
    pub(crate) async fn count_rows(&self, stmt: &SelectStatement) -> Result<u64, StoreError> {
        delegate!(self.count_rows(stmt))
    }

    /// Insert one row; its id.
    pub(crate) async fn insert_row(&self, stmt: &InsertStatement) -> Result<i64, StoreError> {
        delegate!(self.insert_row(stmt))
    }

    /// Insert one row and the links of its many-to-many fields, in one transaction; its id.
    pub(crate) async fn insert_row_linked(
        &self,
        stmt: &InsertStatement,
        links: &[links::LinkSet],
    ) -> Result<i64, StoreError> {
        delegate!(self.insert_row_linked(stmt, links))
    }

    /// Update the row `id` (when `stmt` is given) and replace the links of its many-to-many
    /// fields, in one transaction.
    pub(crate) async fn update_row_linked(
        &self,
        stmt: Option<&UpdateStatement>,
        id: i64,
        links: &[links::LinkSet],
    ) -> Result<(), StoreError> {
        delegate!(self.update_row_linked(stmt, id, links))
    }

    pub(crate) async fn update_rows(&self, stmt: &UpdateStatement) -> Result<u64, StoreError> {
        delegate!(self.update_rows(stmt))
    }

    pub(crate) async fn delete_rows(&self, stmt: &DeleteStatement) -> Result<u64, StoreError> {
        delegate!(self.delete_rows(stmt))
    }

    /// Django's `user.has_perm("resource.codename")` through the user's own permissions or its
    /// groups' (superusers are decided by the caller).
    pub async fn user_has_perm(
        &self,
        user_id: i64,
        resource: &str,
        codename: &str,
    ) -> Result<bool, StoreError> {
        delegate!(self.user_has_perm(user_id, resource, codename))
    }

    pub async fn table_columns(&self, table: &str) -> Result<Vec<ColumnInfo>, StoreError> {
        delegate!(self.table_columns(table))
    }

    pub async fn table_indexes(&self, table: &str) -> Result<Vec<String>, StoreError> {
        delegate!(self.table_indexes(table))
    }

    pub(crate) async fn has_data(
        &self,
        table: &str,
        column: Option<&str>,
    ) -> Result<bool, StoreError> {
        delegate!(self.has_data(table, column))
    }

    pub(crate) async fn apply_changes(&self, changes: &[tables::Change]) -> Result<(), StoreError> {
        delegate!(self.apply_changes(changes))
    }

    pub(crate) async fn has_nulls(&self, table: &str, column: &str) -> Result<bool, StoreError> {
        delegate!(self.has_nulls(table, column))
    }

    /// The resources migrated so far.
    pub(crate) async fn known_resources(&self) -> Result<Vec<String>, StoreError> {
        delegate!(self.known_resources())
    }

    pub(crate) async fn save_schema_snapshot(
        &self,
        resource: &str,
        definition: &str,
    ) -> Result<(), StoreError> {
        delegate!(self.save_schema_snapshot(resource, definition))
    }

    /// Create the model permissions of a resource (Django creates them on migrate).
    pub(crate) async fn ensure_permissions(
        &self,
        resource: &str,
        label: &str,
        codenames: &[&str],
    ) -> Result<(), StoreError> {
        delegate!(self.ensure_permissions(resource, label, codenames))
    }

    /// Delete the user's token (logout); true if there was one.
    pub(crate) async fn token_delete(&self, user_id: i64) -> Result<bool, StoreError> {
        delegate!(self.token_delete(user_id))
    }

    /// The user with its JWT revocation epoch (0 until the first revocation), in one read.
    pub(crate) async fn jwt_user(&self, id: i64) -> Result<Option<(User, i64)>, StoreError> {
        delegate!(self.jwt_user(id))
    }

    /// The user's JWT revocation epoch (0 until the first revocation).
    pub async fn jwt_epoch(&self, user_id: i64) -> Result<i64, StoreError> {
        delegate!(self.jwt_epoch(user_id))
    }

    /// Sign the user out everywhere, in one transaction: a new epoch, its DRF token deleted
    /// and, with `blacklist_refresh`, its recorded refresh tokens blacklisted. The new epoch.
    pub(crate) async fn revoke_sessions(
        &self,
        user_id: i64,
        blacklist_refresh: bool,
    ) -> Result<i64, StoreError> {
        delegate!(self.revoke_sessions(user_id, blacklist_refresh))
    }

    /// The user's recorded refresh tokens that have not expired at `now` (unix seconds).
    pub(crate) async fn jwt_live_refresh_tokens(
        &self,
        user_id: i64,
        now: i64,
    ) -> Result<Vec<admin::RefreshTokenRecord>, StoreError> {
        match self {
            Store::Sqlite(s) => s.jwt_live_refresh_tokens(user_id, now).await,
        }
    }

    /// Record an issued refresh token by `jti` and `exp` (unix seconds), if not recorded yet.
    pub async fn jwt_outstand(
        &self,
        jti: &str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        delegate!(self.jwt_outstand(jti, user_id, expires_at))
    }

    pub(crate) async fn jwt_is_blacklisted(&self, jti: &str) -> Result<bool, StoreError> {
        delegate!(self.jwt_is_blacklisted(jti))
    }

    /// Blacklist a refresh token by `jti`; false if it was already.
    pub async fn jwt_blacklist(
        &self,
        jti: &str,
        user_id: Option<i64>,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        delegate!(self.jwt_blacklist(jti, user_id, expires_at))
    }

    /// Atomically blacklist the old refresh token `(jti, exp)` (when `blacklist_old`) and record
    /// the new one; false, writing nothing, if the old one was blacklisted already.
    pub(crate) async fn jwt_rotate(
        &self,
        old: (&str, i64),
        new: (&str, i64),
        user_id: i64,
        blacklist_old: bool,
    ) -> Result<bool, StoreError> {
        delegate!(self.jwt_rotate(old, new, user_id, blacklist_old))
    }

    /// Delete at most `limit` refresh token records that expired before `before`.
    pub(crate) async fn jwt_purge_expired(
        &self,
        before: i64,
        limit: i64,
    ) -> Result<u64, StoreError> {
        delegate!(self.jwt_purge_expired(before, limit))
    }
}
