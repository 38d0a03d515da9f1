//! django-rest-knox's tokens: making one (the prefix, then 64 hex characters of the OS random
//! generator), storing it as knox does (the SHA-512 hex digest of the whole token, found by its
//! first 15 characters), and knox's `TokenAuthentication`: its header rules, "Invalid token."
//! for an unknown or expired token (the expired one deleted, with the user's other expired
//! tokens), the renewal of `AUTO_REFRESH`, and "User inactive or deleted.".

use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha512};
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};

use super::{AuthError, Credential, Principal};
use crate::config::KnoxConfig;
use crate::state::AppState;
use crate::store::knox::{KnoxCandidate, NewKnoxToken};
use crate::store::timestamp::{from_db, to_db};

/// knox's `CONSTANTS.TOKEN_KEY_LENGTH`: the stored lookup key, the token's first characters.
const TOKEN_KEY_LENGTH: usize = 15;

/// knox's `AUTH_TOKEN_CHARACTER_LENGTH`: 64 hex characters, 256 random bits.
const TOKEN_BYTES: usize = 32;

/// knox's `hash_token`: the SHA-512 hex digest of the token's UTF-8 bytes.
pub(crate) fn digest(token: &str) -> String {
    hex::encode(Sha512::digest(token.as_bytes()))
}

/// The token's first characters, its stored lookup key (Python's `token[:15]`, by character).
fn token_key(token: &str) -> String {
    token.chars().take(TOKEN_KEY_LENGTH).collect()
}

/// A new token for `user_id` created at `now`, and what is stored of it.
pub(crate) fn new_token(
    config: &KnoxConfig,
    user_id: i64,
    now: OffsetDateTime,
) -> (String, NewKnoxToken) {
    let mut bytes = [0u8; TOKEN_BYTES];
    super::token_key::fill_random(&mut bytes);
    let token = format!("{}{}", config.token_prefix, hex::encode(bytes));
    let stored = NewKnoxToken {
        digest: digest(&token),
        token_key: token_key(&token),
        user_id,
        created: to_db(now),
        expiry: config.token_ttl.map(|ttl| to_db(now + seconds(ttl))),
    };
    (token, stored)
}

fn seconds(s: u64) -> Duration {
    Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX))
}

/// knox's `TokenAuthentication.authenticate`: `Ok(None)` when the header carries another
/// scheme.
pub(crate) async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Principal>, AuthError> {
    let config = &state.config().knox;
    let Some(raw) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let Some(credential) =
        super::header::parse_keyword(raw.as_bytes(), &config.auth_header_prefix)?
    else {
        return Ok(None);
    };
    // knox decodes the token as UTF-8 and answers 500 when it is not: no token of ours is
    // anything but ASCII, so it is simply not a token.
    let token = std::str::from_utf8(credential).map_err(|_| invalid())?;
    let candidates = state
        .store()
        .knox()
        .knox_candidates(&token_key(token))
        .await?;
    let now = OffsetDateTime::now_utc();
    let wanted = digest(token);
    for candidate in candidates {
        if is_expired(&candidate, now) {
            // knox's `_cleanup_token`: the expired token goes, with its user's other expired
            // ones (a write only when a client presents an expired token).
            let store = state.store().knox();
            store
                .knox_delete_expired(candidate.user.id, &to_db(now))
                .await?;
            continue;
        }
        if bool::from(candidate.knox_digest.as_bytes().ct_eq(wanted.as_bytes())) {
            return accept(state, config, candidate, now).await.map(Some);
        }
    }
    Err(invalid())
}

fn invalid() -> AuthError {
    AuthError::Failed("Invalid token.")
}

fn is_expired(candidate: &KnoxCandidate, now: OffsetDateTime) -> bool {
    candidate
        .knox_expiry
        .as_deref()
        .and_then(from_db)
        .is_some_and(|expiry| expiry < now)
}

/// The token matched: renewed when `AUTO_REFRESH` says so, then its user checked, as knox's
/// `renew_token` and `validate_user` do in that order.
async fn accept(
    state: &AppState,
    config: &KnoxConfig,
    candidate: KnoxCandidate,
    now: OffsetDateTime,
) -> Result<Principal, AuthError> {
    if config.auto_refresh
        && let Some(current) = candidate.knox_expiry.as_deref().and_then(from_db)
        && let Some(ttl) = config.token_ttl
    {
        let mut renewed = now + seconds(ttl);
        if let (Some(max), Some(created)) = (
            config.auto_refresh_max_ttl,
            from_db(&candidate.knox_created),
        ) {
            renewed = renewed.min(created + seconds(max));
        }
        // Knox writes only a renewal that moves the expiry by more than the interval.
        if renewed - current > seconds(config.min_refresh_interval) {
            state
                .store()
                .knox()
                .knox_renew(candidate.user.id, &candidate.knox_digest, &to_db(renewed))
                .await?;
        }
    }
    if !candidate.user.is_active {
        return Err(AuthError::Failed("User inactive or deleted."));
    }
    state.audit().used("knox", &candidate.knox_digest);
    Ok(Principal {
        user: candidate.user,
        credential: Credential::Knox {
            digest: candidate.knox_digest,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_hex_and_stored_as_knox_stores_them() {
        let config = KnoxConfig {
            token_prefix: "app_".into(),
            ..KnoxConfig::default()
        };
        let now = OffsetDateTime::UNIX_EPOCH;
        let (token, stored) = new_token(&config, 7, now);
        assert_eq!(token.len(), 4 + 64);
        assert!(token.starts_with("app_"));
        assert!(token[4..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(stored.token_key, token[..15]);
        assert_eq!(stored.digest.len(), 128);
        assert_eq!(stored.expiry.as_deref(), Some("1970-01-01 10:00:00.000000"));
        // knox's hash_token("abc"): hashlib.sha512(b"abc").hexdigest()
        assert!(digest("abc").starts_with("ddaf35a193617aba"));
    }
}
