//! Django's `Argon2PasswordHasher` format: `argon2` followed by the PHC string
//! argon2-cffi produces, minus its leading `$` (`argon2$argon2id$v=19$m=..,t=..,p=..$salt$hash`).

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use subtle::ConstantTimeEq;

use super::{Checked, HashScratch};
use crate::random::random_string;

pub(crate) const ALGORITHM: &str = "argon2";

// OWASP's recommended argon2id configuration (19 MiB, 2 passes, 1 lane): far cheaper
// than Django's default (100 MiB, p=8) while still memory-hard, which matters on a
// small server handling concurrent logins.
const M_COST: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
/// argon2-cffi's `DEFAULT_HASH_LENGTH`, which Django uses.
const HASH_LEN: usize = 32;
/// Django's salt length: ceil(128 bits of entropy / log2(62)) characters.
const SALT_CHARS: usize = 22;

// Limits on parameters read from a stored hash. A hash is data, and one forged with
// gigabytes of memory or thousands of passes would let each login attempt pin the server.
const MAX_M_COST: u32 = 1024 * 1024; // KiB, i.e. 1 GiB
const MAX_T_COST: u32 = 64;

/// Hash `password` with the current parameters and a fresh salt.
pub(crate) fn encode(password: &str, scratch: &mut HashScratch) -> String {
    let salt = random_string(SALT_CHARS);
    let hash = compute(
        Algorithm::Argon2id,
        Version::V0x13,
        (M_COST, T_COST, P_COST),
        password,
        salt.as_bytes(),
        HASH_LEN,
        scratch,
    )
    .expect("constant argon2 parameters, salt and output lengths are all within argon2's limits");
    format!(
        "{ALGORITHM}$argon2id$v=19$m={M_COST},t={T_COST},p={P_COST}${}${}",
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(hash),
    )
}

/// Verify against a Django argon2 encoding; `None` if it is malformed, has parameters
/// argon2 rejects, or exceeds our work limits.
pub(crate) fn verify(password: &str, encoded: &str, scratch: &mut HashScratch) -> Option<Checked> {
    let phc = parse(encoded)?;
    let (m, t, p) = phc.costs;
    if m > MAX_M_COST || t > MAX_T_COST {
        return None;
    }
    let computed = compute(
        phc.algorithm,
        phc.version,
        phc.costs,
        password,
        &phc.salt,
        phc.hash.len(),
        scratch,
    )
    .ok()?;
    let matches = bool::from(computed.ct_eq(&phc.hash));
    // Mirrors Django's must_update: any difference from the current parameters, or a
    // salt shorter than Django's 128-bit-entropy minimum, calls for a re-hash.
    let current = phc.algorithm == Algorithm::Argon2id
        && phc.version == Version::V0x13
        && (m, t, p) == (M_COST, T_COST, P_COST)
        && phc.hash.len() == HASH_LEN
        && phc.salt.len() >= SALT_CHARS;
    Some(Checked {
        matches,
        needs_upgrade: !current,
    })
}

fn compute(
    algorithm: Algorithm,
    version: Version,
    (m, t, p): (u32, u32, u32),
    password: &str,
    salt: &[u8],
    hash_len: usize,
    scratch: &mut HashScratch,
) -> Result<Vec<u8>, argon2::Error> {
    let params = Params::new(m, t, p, Some(hash_len))?;
    let needed = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; hash_len];
    if needed <= KEPT_BLOCKS {
        // Every block is written before it is read, so what an earlier hash left in the
        // scratch memory cannot change this one's result.
        let blocks = scratch.argon2_blocks(needed);
        argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks)?;
    } else {
        // A stored hash with more memory than ours (Django's own default is 100 MiB): its
        // memory is allocated for this one hash and freed, never kept by the scratch.
        argon2.hash_password_into(password.as_bytes(), salt, &mut out)?;
    }
    Ok(out)
}

/// The most argon2 blocks (1 KiB each) a [`HashScratch`] keeps between hashes: exactly what
/// [`encode`]'s parameters need (p = 1, so the block count is m).
pub(crate) const KEPT_BLOCKS: usize = M_COST as usize;

/// Reusable argon2 memory: at most [`KEPT_BLOCKS`] blocks, allocated on first use.
#[derive(Default)]
pub(crate) struct Blocks(Vec<Block>);

impl Blocks {
    /// The first `needed` blocks (`needed <= KEPT_BLOCKS`), allocating them the first time.
    pub(crate) fn get(&mut self, needed: usize) -> &mut [Block] {
        if self.0.len() < needed {
            // Replace rather than grow: the old contents need not be copied. The kept buffer
            // is sized for the default parameters at once so it is allocated only once.
            self.0 = vec![Block::default(); KEPT_BLOCKS.max(needed)];
        }
        &mut self.0[..needed]
    }

    pub(crate) fn bytes(&self) -> usize {
        self.0.len() * Block::SIZE
    }
}

/// The fields of an argon2 encoding.
struct Phc {
    algorithm: Algorithm,
    version: Version,
    costs: (u32, u32, u32),
    salt: Vec<u8>,
    hash: Vec<u8>,
}

/// Parse `argon2$<type>[$v=<n>]$m=<n>,t=<n>,p=<n>$<salt>$<hash>` with the same strictness
/// as libargon2's decoder, which argon2-cffi (and hence Django) uses: fields in this exact
/// order, decimals without sign or leading zeros, unpadded canonical base64.
fn parse(encoded: &str) -> Option<Phc> {
    let rest = encoded.strip_prefix(ALGORITHM)?.strip_prefix('$')?;
    let mut fields = rest.split('$');
    let algorithm = match fields.next()? {
        "argon2id" => Algorithm::Argon2id,
        "argon2i" => Algorithm::Argon2i,
        "argon2d" => Algorithm::Argon2d,
        _ => return None,
    };
    let mut field = fields.next()?;
    // libargon2 releases before 20160406 (used by Django 1.10) wrote no version field;
    // such hashes are version 1.0 (0x10).
    let version = match field.strip_prefix("v=") {
        Some(v) => {
            field = fields.next()?;
            match decimal(v)? {
                0x10 => Version::V0x10,
                0x13 => Version::V0x13,
                _ => return None,
            }
        }
        None => Version::V0x10,
    };
    let mut costs = field.split(',');
    let m = decimal(costs.next()?.strip_prefix("m=")?)?;
    let t = decimal(costs.next()?.strip_prefix("t=")?)?;
    let p = decimal(costs.next()?.strip_prefix("p=")?)?;
    if costs.next().is_some() {
        return None;
    }
    let salt = STANDARD_NO_PAD.decode(fields.next()?).ok()?;
    let hash = STANDARD_NO_PAD.decode(fields.next()?).ok()?;
    if fields.next().is_some() {
        return None;
    }
    Some(Phc {
        algorithm,
        version,
        costs: (m, t, p),
        salt,
        hash,
    })
}

/// A u32 in libargon2's decimal syntax: ASCII digits, no sign, no leading zeros.
fn decimal(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_follows_libargon2() {
        assert_eq!(decimal("0"), Some(0));
        assert_eq!(decimal("19456"), Some(19_456));
        assert_eq!(decimal("4294967295"), Some(u32::MAX));
        for bad in ["", "+1", "-1", "01", " 1", "1 ", "4294967296", "1e3"] {
            assert_eq!(decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn parse_reads_all_fields() {
        let phc =
            parse("argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q").expect("parses");
        assert_eq!(phc.algorithm, Algorithm::Argon2i);
        assert_eq!(phc.version, Version::V0x10);
        assert_eq!(phc.costs, (8, 1, 1));
        assert_eq!(phc.salt, b"somesalt");
        assert_eq!(phc.hash.len(), 16);
    }

    #[test]
    fn parse_rejects_malformed() {
        for bad in [
            "argon2",
            "argon2$",
            "argon2$argon2x$v=19$m=8,t=1,p=1$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
            "argon2$argon2id$v=18$m=8,t=1,p=1$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
            "argon2$argon2id$v=19$t=1,m=8,p=1$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
            "argon2$argon2id$v=19$m=8,t=1$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
            "argon2$argon2id$v=19$m=8,t=1,p=1,x=2$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
            "argon2$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ=$YC9+jJCrQhs5R6db7LlN8Q",
            "argon2$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q$",
            "argon2$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ",
            "argon2$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHR$YC9+jJCrQhs5R6db7LlN8Q",
        ] {
            assert!(parse(bad).is_none(), "{bad:?}");
        }
    }
}
