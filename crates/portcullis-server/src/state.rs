//! `AppState`: one cheap clone (an `Arc` inside) holding the configuration, the store, the keys
//! and the compiled policies every request needs. No globals.

use std::sync::Arc;

use crate::auth::passwords::PasswordHasher;
use crate::auth::token_key::TokenKeys;
use crate::config::Config;
use crate::http::cors::CorsPolicy;
use crate::http::hosts::AllowedHosts;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    store: Store,
    token_keys: TokenKeys,
    passwords: PasswordHasher,
    cors: CorsPolicy,
    allowed_hosts: AllowedHosts,
}

impl AppState {
    /// Build the state from a validated configuration, an open store and the server secret.
    pub fn new(config: Config, store: Store, secret: &[u8]) -> AppState {
        let concurrency = match config.password_hash_concurrency {
            0 => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            n => n,
        };
        AppState {
            inner: Arc::new(Inner {
                token_keys: TokenKeys::from_secret(secret),
                passwords: PasswordHasher::new(concurrency),
                cors: CorsPolicy::new(&config.cors),
                allowed_hosts: AllowedHosts::new(&config.allowed_hosts),
                store,
                config,
            }),
        }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn token_keys(&self) -> &TokenKeys {
        &self.inner.token_keys
    }

    pub fn passwords(&self) -> &PasswordHasher {
        &self.inner.passwords
    }

    pub fn cors(&self) -> &CorsPolicy {
        &self.inner.cors
    }

    pub fn allowed_hosts(&self) -> &AllowedHosts {
        &self.inner.allowed_hosts
    }
}
