//! Django's `BCryptSHA256PasswordHasher` (`bcrypt_sha256$$2b$12$...`, bcrypt over the
//! lowercase hex SHA-256 of the password) and `BCryptPasswordHasher` (`bcrypt$$2b$...`),
//! verification only.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use bcrypt::Version;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::Checked;

pub(crate) const BCRYPT_SHA256: &str = "bcrypt_sha256";
pub(crate) const BCRYPT: &str = "bcrypt";

/// Django's default is 12 and each step doubles the work; 16 leaves room for hardened
/// deployments while a forged cost-31 hash cannot tie up a worker for days.
const MAX_COST: u32 = 16;

/// bcrypt's base64 variant, decoded as strictly as the pyca/bcrypt package Django calls:
/// no padding and no stray bits in the final character.
const BCRYPT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::BCRYPT,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// Length of bcrypt's encoded 16-byte salt.
const SALT_CHARS: usize = 22;

/// Verify like Django: `bcrypt.hashpw(password, stored)` re-derives the hash with the
/// stored version, cost and salt, and the whole encoding is compared in constant time.
/// `None` if the encoding is malformed or too costly.
pub(crate) fn verify(password: &str, encoded: &str) -> Option<Checked> {
    let (algorithm, data) = encoded.split_once('$')?;
    let prehashed;
    let secret: &[u8] = match algorithm {
        // Pre-hashing sidesteps bcrypt's 72-byte truncation (Django ticket #20138).
        BCRYPT_SHA256 => {
            prehashed = hex::encode(Sha256::digest(password.as_bytes()));
            prehashed.as_bytes()
        }
        // Plain bcrypt uses the first 72 bytes only, as the bcrypt crate truncates like
        // pyca/bcrypt before 5.0 (5.0 raises instead of verifying such passwords).
        BCRYPT => password.as_bytes(),
        _ => return None,
    };
    // data is "$<version>$<cost>$<22-char salt><31-char hash>".
    let mut fields = data.split('$');
    if !fields.next()?.is_empty() {
        return None;
    }
    let version = match fields.next()? {
        "2a" => Version::TwoA,
        "2b" => Version::TwoB,
        "2x" => Version::TwoX,
        "2y" => Version::TwoY,
        _ => return None,
    };
    let cost = fields.next()?;
    if !cost.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cost: u32 = cost.parse().ok()?;
    let salt_and_hash = fields.next()?;
    if fields.next().is_some() || cost > MAX_COST {
        return None;
    }
    let salt: [u8; 16] = BCRYPT_BASE64
        .decode(salt_and_hash.get(..SALT_CHARS)?)
        .ok()?
        .try_into()
        .ok()?;
    // hash_with_salt rejects costs outside 4..=31 itself.
    let parts = bcrypt::hash_with_salt(secret, cost, salt).ok()?;
    let expected = format!("{algorithm}${}", parts.format_for_version(version));
    let matches = bool::from(expected.as_bytes().ct_eq(encoded.as_bytes()));
    Some(Checked {
        matches,
        needs_upgrade: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_malformed_or_costly() {
        for bad in [
            "bcrypt",
            "bcrypt$",
            "bcrypt$2b$04$CUF5cx.FhgY6scSMlz25hOMnNhZh8hxYOqg5YRkQ7P/H230RlwiAa",
            "bcrypt$$2c$04$CUF5cx.FhgY6scSMlz25hOMnNhZh8hxYOqg5YRkQ7P/H230RlwiAa",
            "bcrypt$$2b$+4$CUF5cx.FhgY6scSMlz25hOMnNhZh8hxYOqg5YRkQ7P/H230RlwiAa",
            "bcrypt$$2b$03$CUF5cx.FhgY6scSMlz25hOMnNhZh8hxYOqg5YRkQ7P/H230RlwiAa",
            "bcrypt$$2b$17$CUF5cx.FhgY6scSMlz25hOMnNhZh8hxYOqg5YRkQ7P/H230RlwiAa",
            "bcrypt$$2b$31$CUF5cx.FhgY6scSMlz25hOMnNhZh8hxYOqg5YRkQ7P/H230RlwiAa",
            "bcrypt$$2b$04$CUF5cx",
            "bcrypt$$2b$04$CUF5cx.FhgY6scSMlz25hé",
            "bcrypt$$2b$04$CUF5cx.FhgY6scSMlz25hOMnNhZh8hxYOqg5YRkQ7P/H230RlwiAa$",
            "bcrypt_md5$$2b$04$CUF5cx.FhgY6scSMlz25hOMnNhZh8hxYOqg5YRkQ7P/H230RlwiAa",
        ] {
            assert!(verify("x", bad).is_none(), "{bad:?}");
        }
    }
}
