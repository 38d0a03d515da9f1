//! `AppState`: one cheap clone (an `Arc` inside) holding the configuration, the store, the keys
//! and the compiled policies every request needs. No globals.

use std::sync::Arc;

use crate::accounts::django_tokens::{self, TokenGenerator};
use crate::accounts::user_serializer::UserShape;
use crate::auth::hashing_pool::PasswordHasher;
use crate::auth::jwt::Jwt;
use crate::auth::token_key::TokenKeys;
use crate::config::Config;
use crate::http::cors::CorsPolicy;
use crate::http::hosts::AllowedHosts;
use crate::http::throttle::Throttles;
use crate::http::wire::ProjectWire;
use crate::mail::Mailer;
use crate::operations::Metrics;
use crate::resources::Schema;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    store: Store,
    token_keys: TokenKeys,
    jwt: Jwt,
    passwords: PasswordHasher,
    cors: CorsPolicy,
    allowed_hosts: AllowedHosts,
    schema: Schema,
    throttles: Throttles,
    wire: ProjectWire,
    users: UserShape,
    metrics: Metrics,
    audit: crate::audit::Audit,
    mailer: Mailer,
    link_tokens: TokenGenerator,
}

impl AppState {
    /// Build the state from a validated configuration, an open store and the server secret.
    /// The schema comes from `config.schema_file` (checked by `Config::problems`); an
    /// unreadable one leaves no resources and is logged.
    pub fn new(config: Config, store: Store, secret: &[u8]) -> AppState {
        let schema = config.schema().unwrap_or_else(|problems| {
            tracing::error!(?problems, "the schema is invalid; serving no resources");
            Schema {
                resources: Vec::new(),
            }
        });
        AppState::with_schema(config, store, secret, schema)
    }

    /// Build the state with an explicit schema.
    pub(crate) fn with_schema(
        config: Config,
        store: Store,
        secret: &[u8],
        schema: Schema,
    ) -> AppState {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let concurrency =
            crate::auth::hashing_pool::workers_for(config.password_hash_concurrency, cores);
        AppState {
            inner: Arc::new(Inner {
                token_keys: TokenKeys::from_secret(secret),
                jwt: Jwt::new(&config.jwt, secret),
                passwords: PasswordHasher::new(concurrency),
                cors: CorsPolicy::new(&config.cors),
                allowed_hosts: AllowedHosts::new(&config.allowed_hosts),
                schema,
                throttles: Throttles::new(&config.throttle),
                wire: ProjectWire::new(&config),
                users: UserShape::new(&config),
                metrics: Metrics::new(!config.operations.metrics_path.is_empty()),
                audit: crate::audit::Audit::new(store.clone(), config.audit.retention_days),
                mailer: Mailer::new(&config.email),
                link_tokens: link_tokens(&config, secret),
                store,
                config,
            }),
        }
    }

    /// The project's default renderers and parsers.
    pub(crate) fn wire(&self) -> &ProjectWire {
        &self.inner.wire
    }

    /// The user model's own fields and djoser's user serializers.
    pub(crate) fn users(&self) -> &UserShape {
        &self.inner.users
    }

    /// The request and login counters.
    /// The outgoing mail queue.
    pub(crate) fn mailer(&self) -> &Mailer {
        &self.inner.mailer
    }

    /// Django's `default_token_generator` (djoser's activation and reset links).
    pub(crate) fn link_tokens(&self) -> &TokenGenerator {
        &self.inner.link_tokens
    }

    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The audit log's queue.
    pub(crate) fn audit(&self) -> &crate::audit::Audit {
        &self.inner.audit
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub(crate) fn token_keys(&self) -> &TokenKeys {
        &self.inner.token_keys
    }

    /// The JWT settings and keys.
    pub(crate) fn jwt(&self) -> &Jwt {
        &self.inner.jwt
    }

    pub fn passwords(&self) -> &PasswordHasher {
        &self.inner.passwords
    }

    pub(crate) fn cors(&self) -> &CorsPolicy {
        &self.inner.cors
    }

    pub(crate) fn allowed_hosts(&self) -> &AllowedHosts {
        &self.inner.allowed_hosts
    }

    pub fn throttles(&self) -> &Throttles {
        &self.inner.throttles
    }

    pub fn schema(&self) -> &Schema {
        &self.inner.schema
    }

    /// Bring the resource tables in step with the schema (see `resources::migrate`).
    pub async fn migrate_resources(
        &self,
        allow_destructive: bool,
    ) -> Result<crate::resources::migration::Outcome, crate::store::StoreError> {
        let known = self.store().resources().known_resources().await?;
        // The user model's own fields are migrated as one more resource's table.
        let mut schema = self.schema().clone();
        if let Some(table) = self.users().own.table() {
            schema.resources.push(table.clone());
        }
        crate::resources::migration::migrate(self.store(), &schema, allow_destructive, &known).await
    }
}

/// The link tokens' secrets: the replaced Django project's `SECRET_KEY` when given (its links
/// keep working), else Portcullis's own.
fn link_tokens(config: &Config, secret: &[u8]) -> TokenGenerator {
    let djoser = &config.djoser;
    let key = djoser
        .django_secret_key
        .as_ref()
        .map_or_else(|| secret.to_vec(), |key| key.as_bytes().to_vec());
    let fallbacks = djoser
        .django_secret_key_fallbacks
        .iter()
        .map(|key| key.as_bytes().to_vec())
        .collect();
    let timeout = djoser
        .password_reset_timeout
        .unwrap_or(django_tokens::DEFAULT_TIMEOUT);
    TokenGenerator::new(key, fallbacks, timeout)
}
