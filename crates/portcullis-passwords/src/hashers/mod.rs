//! Password hashing in Django's encoded format (`algorithm$...`, as stored in
//! `auth_user.password`): creating argon2id hashes, verifying every format Django's
//! bundled hashers write, and Django's unusable-password and timing-equalisation rules.

mod argon2_hasher;
mod bcrypt_hasher;
mod pbkdf2_hasher;

use std::sync::OnceLock;

use crate::random::random_string;

/// Outcome of [`check_password`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Wrong password, unusable password, or an encoding we cannot (or refuse to) verify.
    Invalid,
    /// The password matches. `needs_upgrade` asks the caller to re-hash it with
    /// [`make_password`] and store the result (Django's `must_update`).
    Valid { needs_upgrade: bool },
}

impl Verification {
    /// Whether the password matched, regardless of upgrade status.
    pub fn is_valid(self) -> bool {
        matches!(self, Verification::Valid { .. })
    }
}

/// Working memory for hashing, kept between hashes by a caller that hashes often (a hashing
/// worker thread), so that each hash does not allocate its 19 MiB of argon2 memory anew: the
/// allocator would keep freed memory in per-thread arenas, and a flood of logins would grow the
/// process by that much per thread. Argon2 memory is allocated on first use and holds at most
/// what [`make_password`]'s parameters need; a stored hash that asks for more gets memory of
/// its own for that one hash. Each value is used by one thread at a time (`&mut`).
#[derive(Default)]
pub struct HashScratch {
    argon2: argon2_hasher::Blocks,
}

impl HashScratch {
    /// Empty scratch memory; nothing is allocated until the first argon2 hash.
    pub fn new() -> HashScratch {
        HashScratch::default()
    }

    /// Bytes of working memory held now.
    pub fn allocated_bytes(&self) -> usize {
        self.argon2.bytes()
    }

    fn argon2_blocks(&mut self, needed: usize) -> &mut [argon2::Block] {
        self.argon2.get(needed)
    }
}

impl std::fmt::Debug for HashScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HashScratch")
            .field("allocated_bytes", &self.allocated_bytes())
            .finish()
    }
}

/// Result of checking a password against an encoding whose format was understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Checked {
    matches: bool,
    needs_upgrade: bool,
}

/// Django's `UNUSABLE_PASSWORD_PREFIX`: no hasher ever produces it, so such an
/// encoding can never verify.
const UNUSABLE_PASSWORD_PREFIX: char = '!';
/// Django's `UNUSABLE_PASSWORD_SUFFIX_LENGTH`.
const UNUSABLE_PASSWORD_SUFFIX_LENGTH: usize = 40;

/// Algorithm labels [`check_password`] understands, matching Django's hasher names.
const SUPPORTED_ALGORITHMS: [&str; 5] = [
    argon2_hasher::ALGORITHM,
    pbkdf2_hasher::SHA256,
    pbkdf2_hasher::SHA1,
    bcrypt_hasher::BCRYPT_SHA256,
    bcrypt_hasher::BCRYPT,
];

/// Hash a new password: argon2id in Django's `argon2` hasher format with OWASP parameters
/// m=19456 KiB, t=2, p=1, i.e. `argon2$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
///
/// This is byte-for-byte what Django's `Argon2PasswordHasher` would write with those
/// parameters: the salt is 22 random `[A-Za-z0-9]` characters used as raw bytes (Django's
/// `get_random_string`), both salt and 32-byte hash are unpadded standard base64 as
/// argon2-cffi writes them. Django verifies these hashes (and, having different default
/// parameters, would merely re-hash on its next successful login).
///
/// # Panics
/// If the operating system's random number generator fails.
pub fn make_password(password: &str) -> String {
    make_password_with(password, &mut HashScratch::new())
}

/// [`make_password`] using (and keeping) the working memory in `scratch`.
///
/// # Panics
/// If the operating system's random number generator fails.
pub fn make_password_with(password: &str, scratch: &mut HashScratch) -> String {
    argon2_hasher::encode(password, scratch)
}

/// Verify `password` against `encoded`, comparing digests in constant time.
///
/// Supported encodings, each exactly as Django writes it:
/// - `argon2$argon2id$...`, `argon2$argon2i$...` (any parameters, with or without `v=`),
/// - `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` and `pbkdf2_sha1$...`,
/// - `bcrypt_sha256$$2b$...` (bcrypt over the hex SHA-256 of the password) and `bcrypt$$2b$...`.
///
/// `needs_upgrade` is false only for argon2id with exactly [`make_password`]'s parameters.
///
/// Unusable passwords (`!...`), unknown or garbled encodings, and encodings whose work
/// factor would make verification a denial-of-service vector (PBKDF2 above 10,000,000
/// iterations, argon2 above 1 GiB of memory or 64 passes, bcrypt above cost 16) are
/// `Invalid`. As in Django's `verify_password`, those cases still spend one default-hasher
/// computation (see [`dummy_verify`]) so that they take as long as a wrong password.
pub fn check_password(password: &str, encoded: &str) -> Verification {
    check_password_with(password, encoded, &mut HashScratch::new())
}

/// [`check_password`] using (and keeping) the working memory in `scratch`.
pub fn check_password_with(
    password: &str,
    encoded: &str,
    scratch: &mut HashScratch,
) -> Verification {
    match verify_known(password, encoded, scratch) {
        Some(Checked {
            matches: true,
            needs_upgrade,
        }) => Verification::Valid { needs_upgrade },
        Some(Checked { matches: false, .. }) => Verification::Invalid,
        None => {
            dummy_verify_with(password, scratch);
            Verification::Invalid
        }
    }
}

/// Verify without timing equalisation; `None` when the encoding cannot be verified.
fn verify_known(password: &str, encoded: &str, scratch: &mut HashScratch) -> Option<Checked> {
    if !is_password_usable(encoded) {
        return None;
    }
    match algorithm_of(encoded)? {
        argon2_hasher::ALGORITHM => argon2_hasher::verify(password, encoded, scratch),
        pbkdf2_hasher::SHA256 | pbkdf2_hasher::SHA1 => pbkdf2_hasher::verify(password, encoded),
        bcrypt_hasher::BCRYPT_SHA256 | bcrypt_hasher::BCRYPT => {
            bcrypt_hasher::verify(password, encoded)
        }
        _ => None,
    }
}

/// Django's `make_password(None)`: `!` followed by 40 random `[A-Za-z0-9]` characters.
///
/// The random suffix keeps distinct unusable passwords distinct, as in Django (ticket #20079).
///
/// # Panics
/// If the operating system's random number generator fails.
pub fn make_unusable_password() -> String {
    let mut encoded = String::with_capacity(1 + UNUSABLE_PASSWORD_SUFFIX_LENGTH);
    encoded.push(UNUSABLE_PASSWORD_PREFIX);
    encoded.push_str(&random_string(UNUSABLE_PASSWORD_SUFFIX_LENGTH));
    encoded
}

/// Django's `is_password_usable`: false only for encodings starting with `!`.
pub fn is_password_usable(encoded: &str) -> bool {
    !encoded.starts_with(UNUSABLE_PASSWORD_PREFIX)
}

static DUMMY_HASH: OnceLock<String> = OnceLock::new();

/// Spend the time of one full verification with the current default hasher.
///
/// Call this when a login names an unknown user so it costs the same as a wrong password
/// for a known one (Django's `ModelBackend.authenticate` does the same to stop user
/// enumeration by timing). The dummy hash is created once, on first use.
///
/// # Panics
/// On first use, if the operating system's random number generator fails.
pub fn dummy_verify(password: &str) {
    dummy_verify_with(password, &mut HashScratch::new());
}

/// [`dummy_verify`] using (and keeping) the working memory in `scratch`.
///
/// # Panics
/// On first use, if the operating system's random number generator fails.
pub fn dummy_verify_with(password: &str, scratch: &mut HashScratch) {
    let dummy = DUMMY_HASH.get_or_init(|| {
        make_password_with(&random_string(UNUSABLE_PASSWORD_SUFFIX_LENGTH), scratch)
    });
    // black_box keeps the optimiser from discarding a computation whose result is unused.
    std::hint::black_box(argon2_hasher::verify(
        std::hint::black_box(password),
        dummy,
        scratch,
    ));
}

/// The algorithm label of a supported encoded hash (`"argon2"`, `"pbkdf2_sha256"`,
/// `"pbkdf2_sha1"`, `"bcrypt_sha256"`, `"bcrypt"`), or `None` for unusable, unknown or
/// unlabelled encodings.
pub fn algorithm_of(encoded: &str) -> Option<&str> {
    let (label, _) = encoded.split_once('$')?;
    SUPPORTED_ALGORITHMS.contains(&label).then_some(label)
}

#[cfg(test)]
mod tests;
