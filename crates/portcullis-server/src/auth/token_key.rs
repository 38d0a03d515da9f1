//! DRF token keys: 40 lowercase hex characters (160 bits from the OS CSPRNG), stored never in
//! plaintext — an HMAC-SHA256 digest under a key derived from the server secret for lookup, and
//! a ChaCha20-Poly1305 sealed copy so that login can hand the same key out again, as DRF does.
//! A stolen database alone reveals no usable token.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::store::StoredToken;

type HmacSha256 = Hmac<Sha256>;

/// Keys derived from the server secret, one per purpose.
#[derive(Clone)]
pub(crate) struct TokenKeys {
    digest_key: [u8; 32],
    seal_key: [u8; 32],
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(..)")
    }
}

/// HMAC-SHA256(secret, label): independent keys from one secret.
pub(crate) fn derive_key(secret: &[u8], label: &str) -> [u8; 32] {
    let mut mac =
        <HmacSha256 as Mac>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

impl TokenKeys {
    pub(crate) fn from_secret(secret: &[u8]) -> TokenKeys {
        TokenKeys {
            digest_key: derive_key(secret, "portcullis/token-digest/v1"),
            seal_key: derive_key(secret, "portcullis/token-seal/v1"),
        }
    }

    /// A new key in DRF's format.
    pub(crate) fn generate() -> String {
        let mut bytes = [0u8; 20];
        fill_random(&mut bytes);
        hex::encode(bytes)
    }

    /// The lookup digest of any presented key.
    pub(crate) fn digest(&self, key: &str) -> String {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(&self.digest_key).expect("32-byte HMAC key");
        mac.update(key.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The stored forms of a key. The digest is the AEAD's associated data, so a sealed copy
    /// cannot be moved to another row.
    pub(crate) fn store(&self, key: &str) -> StoredToken {
        let digest = self.digest(key);
        let mut nonce = [0u8; 12];
        fill_random(&mut nonce);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.seal_key));
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: key.as_bytes(),
                    aad: digest.as_bytes(),
                },
            )
            .expect("ChaCha20-Poly1305 encryption of a short message cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        StoredToken {
            digest,
            sealed: out,
        }
    }

    /// The key back from its stored forms; `None` if they were tampered with or sealed under
    /// another secret.
    pub(crate) fn unseal(&self, token: &StoredToken) -> Option<String> {
        if token.sealed.len() < 12 {
            return None;
        }
        let (nonce, sealed) = token.sealed.split_at(12);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.seal_key));
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: token.digest.as_bytes(),
                },
            )
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

/// Fill `buf` from the OS CSPRNG. Without randomness no secure key can exist, so failing loudly
/// is the only safe answer.
pub(crate) fn fill_random(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the operating system's random number generator is unavailable");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_40_lowercase_hex() {
        let key = TokenKeys::generate();
        assert_eq!(key.len(), 40);
        assert!(
            key.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert_ne!(key, TokenKeys::generate());
    }

    #[test]
    fn seal_round_trip_and_tamper() {
        let keys = TokenKeys::from_secret(b"a secret that is long enough for tests");
        let key = TokenKeys::generate();
        let stored = keys.store(&key);
        assert_eq!(keys.unseal(&stored).as_deref(), Some(key.as_str()));
        assert!(!stored.digest.contains(&key));
        let moved = StoredToken {
            digest: keys.digest("other"),
            sealed: stored.sealed.clone(),
        };
        assert_eq!(keys.unseal(&moved), None);
        let other = TokenKeys::from_secret(b"another secret, also long enough....");
        assert_eq!(other.unseal(&stored), None);
        assert_ne!(other.digest(&key), stored.digest);
    }
}
