//! JSON Web Tokens as djangorestframework-simplejwt issues and checks them — the same claims,
//! lifetimes, rotation, blacklist and error bodies — with RFC 8725's checks where simplejwt (or
//! PyJWT under it) is lenient, and revocation simplejwt lacks: a per-user epoch that ends every
//! token of a user at once, and the user's state checked on every use of every token.
//!
//! - [`settings`]: the `[jwt]` configuration table;
//! - [`keys`]: the algorithm and the keys bound to it;
//! - [`codec`]: taking a token apart strictly, and signing new ones;
//! - [`claims`]: the ordered claim set;
//! - [`tokens`]: simplejwt's token classes (issue a pair, validate by type, rotate);
//! - [`authentication`]: `Authorization: Bearer` on every DRF view;
//! - [`revoke`]: the per-user epoch (logout-all, password change);
//! - [`errors`]: simplejwt's messages and bodies.

pub(crate) mod authentication;
pub(crate) mod claims;
pub(crate) mod codec;
pub(crate) mod errors;
pub(crate) mod keys;
pub(crate) mod revoke;
pub(crate) mod settings;
pub(crate) mod tokens;

pub(crate) use settings::JwtConfig;

use keys::JwtKeys;

/// The claim that carries the user's revocation epoch, written only once the user has one
/// (after a first logout-all or deactivation), so that tokens of users who never revoked carry
/// exactly simplejwt's claims. A missing claim is epoch 0.
pub(crate) const EPOCH_CLAIM: &str = "token_epoch";

/// The JWT settings and keys of a running server.
#[derive(Debug, Clone)]
pub(crate) struct Jwt {
    config: JwtConfig,
    /// `None` only if the keys failed to load after the configuration passed its checks (a key
    /// file removed in between): every token is then refused and none is issued.
    keys: Option<JwtKeys>,
}

impl Jwt {
    pub(crate) fn new(config: &JwtConfig, server_secret: &[u8]) -> Jwt {
        let keys = match JwtKeys::load(config, server_secret) {
            Ok(keys) => Some(keys),
            Err(problem) => {
                tracing::error!(key = %problem.key, reason = %problem.reason,
                    "JWT keys unusable; every JWT will be refused");
                None
            }
        };
        Jwt {
            config: config.clone(),
            keys,
        }
    }

    pub(crate) fn config(&self) -> &JwtConfig {
        &self.config
    }

    pub(crate) fn keys(&self) -> Option<&JwtKeys> {
        self.keys.as_ref()
    }
}

/// Now, in whole seconds since the epoch (simplejwt's `datetime_to_epoch` truncates too).
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
