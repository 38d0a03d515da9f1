//! The layer the store hands out for accounts, tokens and the console: the database's own
//! implementation with the authentication lookups served from the [`AuthCache`] and every
//! write to a user, its token or its epoch forgetting that user once it is done. Resources and
//! migrations go to the database directly (they hold nothing the cache keeps).

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use super::AuthCache;
use super::listener::Listener;
use crate::store::knox::KnoxCandidate;
use crate::store::postgres::data_version::DataVersion;
use crate::store::{
    AccountStore, AdminStore, Backend, Database, KnoxStore, QueryLimits, StoreError, StoreFuture,
    TokenStore, User,
};

/// A database behind the authentication cache.
pub(crate) struct AuthLayer {
    backend: Arc<dyn Backend>,
    /// `None` when `auth_cache_ms` is 0: every lookup reads the database.
    cache: Option<Arc<AuthCache>>,
    /// PostgreSQL's announcements of changes; stopped with the layer.
    _listener: Option<Listener>,
    /// PostgreSQL's resource data version, moved by every write to a user too (rows show their
    /// owner's name and flags); `None` when resource answers are not kept.
    data: Option<Arc<DataVersion>>,
}

impl fmt::Debug for AuthLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthLayer")
            .field("backend", &self.backend)
            .field("cached", &self.cache.is_some())
            .finish()
    }
}

impl AuthLayer {
    /// The layer over `backend`, opened from `url` with `limits`: on PostgreSQL it listens for
    /// the changes other processes make (a task that lives as long as the layer), for itself
    /// and for `data`, the resource data version of the backend's result cache.
    pub(crate) fn new(
        backend: Arc<dyn Backend>,
        url: &str,
        limits: &QueryLimits,
        data: Option<Arc<DataVersion>>,
    ) -> Result<AuthLayer, StoreError> {
        if limits.auth_cache.is_zero() {
            return Ok(AuthLayer {
                backend,
                cache: None,
                _listener: None,
                data: None,
            });
        }
        let postgres = Database::of_url(url) == Some(Database::Postgres);
        // SQLite serves one instance, whose every write passes through here: changes are
        // announced from the start. On PostgreSQL, only once the listener listens.
        let cache = Arc::new(AuthCache::new(limits.auth_cache, !postgres));
        let listener = if postgres {
            Some(Listener::spawn(url, Arc::clone(&cache), data.clone())?)
        } else {
            None
        };
        Ok(AuthLayer {
            backend,
            cache: Some(cache),
            _listener: listener,
            data,
        })
    }

    pub(crate) fn backend(&self) -> &dyn Backend {
        &*self.backend
    }

    pub(super) fn accounts(&self) -> &dyn AccountStore {
        &*self.backend
    }

    pub(super) fn tokens(&self) -> &dyn TokenStore {
        &*self.backend
    }

    pub(super) fn knox(&self) -> &dyn KnoxStore {
        &*self.backend
    }

    pub(super) fn admin(&self) -> &dyn AdminStore {
        &*self.backend
    }

    /// The cache, for the lookups that use it.
    pub(super) fn cache(&self) -> Option<&AuthCache> {
        self.cache.as_deref()
    }

    /// Run a write that changes user `id` (its row, its token or its epoch), then forget the
    /// user, whatever the write's outcome (a write that failed may have been committed).
    pub(super) fn changing<'a, T: Send + 'a>(
        &'a self,
        id: i64,
        write: impl Future<Output = Result<T, StoreError>> + Send + 'a,
    ) -> StoreFuture<'a, T> {
        Box::pin(async move {
            let result = write.await;
            if let Some(cache) = self.cache() {
                cache.forget_user(id);
            }
            if let Some(data) = &self.data {
                data.changed();
            }
            result
        })
    }

    /// The user owning the DRF token with this digest, from the cache when it has it.
    pub(super) async fn user_by_token_digest(
        &self,
        digest: &str,
    ) -> Result<Option<User>, StoreError> {
        let Some(cache) = self.cache() else {
            return self.accounts().user_by_token_digest(digest).await;
        };
        let miss = match cache.token(digest) {
            Ok(user) => return Ok(Some(user)),
            Err(miss) => miss,
        };
        let found = self.accounts().user_by_token_digest(digest).await?;
        if let Some(user) = &found {
            cache.keep_token(miss, digest, user);
        }
        Ok(found)
    }

    /// The knox tokens with this lookup key and their users, from the cache when it has them.
    pub(super) async fn knox_candidates(
        &self,
        token_key: &str,
    ) -> Result<Vec<KnoxCandidate>, StoreError> {
        let Some(cache) = self.cache() else {
            return self.knox().knox_candidates(token_key).await;
        };
        let miss = match cache.knox(token_key) {
            Ok(found) => return Ok(found),
            Err(miss) => miss,
        };
        let found = self.knox().knox_candidates(token_key).await?;
        cache.keep_knox(miss, token_key, &found);
        Ok(found)
    }

    /// The user and its JWT revocation epoch, from the cache when it has them.
    pub(super) async fn jwt_user(&self, id: i64) -> Result<Option<(User, i64)>, StoreError> {
        let Some(cache) = self.cache() else {
            return self.tokens().jwt_user(id).await;
        };
        let miss = match cache.jwt_user(id) {
            Ok(found) => return Ok(Some(found)),
            Err(miss) => miss,
        };
        let found = self.tokens().jwt_user(id).await?;
        if let Some(found) = &found {
            cache.keep_jwt_user(miss, found);
        }
        Ok(found)
    }
}
