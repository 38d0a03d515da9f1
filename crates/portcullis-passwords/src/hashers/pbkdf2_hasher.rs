//! Django's `PBKDF2PasswordHasher` (`pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`) and
//! `PBKDF2SHA1PasswordHasher` (`pbkdf2_sha1$...`), verification only.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha1::Sha1;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::Checked;

pub(crate) const SHA256: &str = "pbkdf2_sha256";
pub(crate) const SHA1: &str = "pbkdf2_sha1";

/// Ten times Django 5.2's default of 1,000,000: generous headroom for future Django
/// defaults, while a forged hash cannot make one login cost minutes of CPU.
const MAX_ITERATIONS: u32 = 10_000_000;

/// Verify like Django: re-encode with the stored salt and iteration count and compare
/// the whole encoding in constant time. `None` if the encoding is malformed or too costly.
pub(crate) fn verify(password: &str, encoded: &str) -> Option<Checked> {
    // Django's decode: `algorithm, iterations, salt, hash = encoded.split("$", 3)`.
    let mut fields = encoded.splitn(4, '$');
    let algorithm = fields.next()?;
    let iterations = fields.next()?;
    let salt = fields.next()?;
    fields.next()?;
    // Django re-encodes with "%d", so any other spelling of the count ("+100", "0100")
    // can never compare equal; reject it before spending any work.
    if iterations.is_empty()
        || !iterations.bytes().all(|b| b.is_ascii_digit())
        || iterations.starts_with('0')
    {
        return None;
    }
    let iterations: u32 = iterations.parse().ok()?;
    // Django refuses to encode with an empty salt (its encode raises ValueError).
    if iterations > MAX_ITERATIONS || salt.is_empty() {
        return None;
    }
    let expected = encode(algorithm, password, salt, iterations)?;
    let matches = bool::from(expected.as_bytes().ct_eq(encoded.as_bytes()));
    // Only argon2id with current parameters is up to date.
    Some(Checked {
        matches,
        needs_upgrade: true,
    })
}

/// Django's `encode(password, salt, iterations)` for either digest.
fn encode(algorithm: &str, password: &str, salt: &str, iterations: u32) -> Option<String> {
    // The derived key is the digest's length, as Django passes dklen=None to hashlib.
    let hash = match algorithm {
        SHA256 => {
            let mut out = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<Sha256>(
                password.as_bytes(),
                salt.as_bytes(),
                iterations,
                &mut out,
            );
            STANDARD.encode(out)
        }
        SHA1 => {
            let mut out = [0u8; 20];
            pbkdf2::pbkdf2_hmac::<Sha1>(password.as_bytes(), salt.as_bytes(), iterations, &mut out);
            STANDARD.encode(out)
        }
        _ => return None,
    };
    Some(format!("{algorithm}${iterations}${salt}${hash}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_matches_rfc6070_sha1_vector() {
        // RFC 6070 test 2: P="password", S="salt", c=2 -> ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957.
        let encoded = encode(SHA1, "password", "salt", 2).expect("known algorithm");
        assert_eq!(encoded, "pbkdf2_sha1$2$salt$6mwBTcctb4zNHtkqzh1B8NjeiVc=");
    }

    #[test]
    fn rejects_malformed_or_costly() {
        for bad in [
            "pbkdf2_sha256",
            "pbkdf2_sha256$1000",
            "pbkdf2_sha256$1000$salt",
            "pbkdf2_sha256$$salt$hash",
            "pbkdf2_sha256$0$salt$hash",
            "pbkdf2_sha256$01000$salt$hash",
            "pbkdf2_sha256$+1000$salt$hash",
            "pbkdf2_sha256$1_000$salt$hash",
            "pbkdf2_sha256$abc$salt$hash",
            "pbkdf2_sha256$1000$$hash",
            "pbkdf2_sha256$10000001$salt$hash",
            "pbkdf2_sha256$99999999999999999999$salt$hash",
            "pbkdf2_md5$1000$salt$hash",
        ] {
            assert!(verify("password", bad).is_none(), "{bad:?}");
        }
    }
}
