//! The JWT keys: one algorithm and the key pair bound to it (RFC 8725 §3.1: the algorithm comes
//! from the configuration, never from a token). HMAC keys are the configured secret or, by
//! default, derived from the server secret; RSA, ECDSA and EdDSA keys come from PEM, and the
//! pair is checked at load time by signing and verifying a probe message.

use jsonwebtoken::crypto;
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};

use super::settings::JwtConfig;
use crate::auth::token_key::derive_key;

/// The algorithms `jwt.algorithm` accepts, spelled as in a JOSE header.
pub(crate) const ALGORITHMS: &[&str] = &[
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "EdDSA",
];

/// The algorithm of a JOSE `alg` value, compared exactly (`hs256` and `none` are not
/// algorithms).
pub(crate) fn parse_algorithm(name: &str) -> Option<Algorithm> {
    if !ALGORITHMS.contains(&name) {
        return None;
    }
    name.parse().ok()
}

/// A key setting that cannot be used: its key and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyProblem {
    pub(crate) key: String,
    pub(crate) reason: String,
}

fn problem(key: &str, reason: impl Into<String>) -> KeyProblem {
    KeyProblem {
        key: key.into(),
        reason: reason.into(),
    }
}

/// The configured algorithm with its signing and verifying keys.
#[derive(Clone)]
pub(crate) struct JwtKeys {
    algorithm: Algorithm,
    name: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JwtKeys({}, ..)", self.name)
    }
}

/// The text of a key setting: inline, or read from its file.
fn key_text(
    inline: &str,
    file: &str,
    key: &str,
    file_key: &str,
) -> Result<Option<Vec<u8>>, KeyProblem> {
    if !inline.is_empty() {
        return Ok(Some(inline.as_bytes().to_vec()));
    }
    if file.is_empty() {
        return Ok(None);
    }
    let mut bytes = std::fs::read(file).map_err(|e| problem(file_key, format!("{file}: {e}")))?;
    // An editor's final newline is not part of an HMAC secret.
    while matches!(bytes.last(), Some(b'\n' | b'\r')) {
        bytes.pop();
    }
    if bytes.is_empty() {
        return Err(problem(key, format!("{file} is empty")));
    }
    Ok(Some(bytes))
}

/// RFC 7518 §3.2: an HMAC key at least as long as the hash output.
fn min_hmac_len(algorithm: Algorithm) -> usize {
    match algorithm {
        Algorithm::HS384 => 48,
        Algorithm::HS512 => 64,
        _ => 32,
    }
}

impl JwtKeys {
    /// The keys `config` names; `server_secret` derives the HMAC key when none is configured.
    pub(crate) fn load(config: &JwtConfig, server_secret: &[u8]) -> Result<JwtKeys, KeyProblem> {
        let algorithm = parse_algorithm(&config.algorithm).ok_or_else(|| {
            problem(
                "jwt.algorithm",
                format!("{:?} is not a supported algorithm", config.algorithm),
            )
        })?;
        let signing = key_text(
            &config.signing_key,
            &config.signing_key_file,
            "jwt.signing_key",
            "jwt.signing_key_file",
        )?;
        let verifying = key_text(
            &config.verifying_key,
            &config.verifying_key_file,
            "jwt.verifying_key",
            "jwt.verifying_key_file",
        )?;
        let (encoding, decoding) = match algorithm.family() {
            AlgorithmFamily::Hmac => {
                if verifying.is_some() {
                    return Err(problem(
                        "jwt.verifying_key",
                        "is used only with the asymmetric algorithms; HMAC verifies with the \
                         signing key",
                    ));
                }
                hmac_keys(config, algorithm, signing, server_secret)?
            }
            family => asymmetric_keys(config, family, signing, verifying)?,
        };
        let keys = JwtKeys {
            algorithm,
            name: config.algorithm.clone(),
            encoding,
            decoding,
        };
        keys.check_pair()?;
        Ok(keys)
    }

    /// Sign and verify a probe: a verifying key that is not the signing key's public half is
    /// refused at start rather than on the first token.
    fn check_pair(&self) -> Result<(), KeyProblem> {
        let probe = b"portcullis: signing and verifying keys form a pair";
        let signed = self.sign(probe).map_err(|e| {
            problem(
                "jwt.signing_key",
                format!("cannot sign with {}: {e}", self.name),
            )
        })?;
        if !self.verify(&signed, probe) {
            return Err(problem(
                "jwt.verifying_key",
                "does not verify what the signing key signs (not its public key)",
            ));
        }
        Ok(())
    }

    /// The algorithm as a JOSE header names it.
    pub(crate) fn algorithm_name(&self) -> &str {
        &self.name
    }

    /// The base64url signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<String, jsonwebtoken::errors::Error> {
        crypto::sign(message, &self.encoding, self.algorithm)
    }

    /// Whether `signature` (base64url) signs `message` under the configured algorithm and key.
    /// The comparison of HMAC tags is constant-time (RustCrypto's `verify_slice`).
    pub(crate) fn verify(&self, signature: &str, message: &[u8]) -> bool {
        crypto::verify(signature, message, &self.decoding, self.algorithm).unwrap_or(false)
    }
}

/// The HMAC key: the configured signing key, or one derived from the server secret.
fn hmac_keys(
    config: &JwtConfig,
    algorithm: Algorithm,
    signing: Option<Vec<u8>>,
    server_secret: &[u8],
) -> Result<(EncodingKey, DecodingKey), KeyProblem> {
    let secret = match signing {
        Some(secret) => secret,
        None => {
            // 64 bytes: enough for HS512, independent of every other derived key.
            let mut derived = derive_key(server_secret, "portcullis/jwt-hmac/v1/a").to_vec();
            derived.extend(derive_key(server_secret, "portcullis/jwt-hmac/v1/b"));
            derived
        }
    };
    let min = min_hmac_len(algorithm);
    if secret.len() < min {
        return Err(problem(
            "jwt.signing_key",
            format!(
                "must be at least {min} bytes for {} (RFC 7518 §3.2)",
                config.algorithm
            ),
        ));
    }
    Ok((
        EncodingKey::from_secret(&secret),
        DecodingKey::from_secret(&secret),
    ))
}

/// An RSA, EC or EdDSA key pair from PEM.
fn asymmetric_keys(
    config: &JwtConfig,
    family: AlgorithmFamily,
    signing: Option<Vec<u8>>,
    verifying: Option<Vec<u8>>,
) -> Result<(EncodingKey, DecodingKey), KeyProblem> {
    let signing = signing.ok_or_else(|| {
        problem(
            "jwt.signing_key",
            format!(
                "{} needs a private key in PEM (signing_key_file)",
                config.algorithm
            ),
        )
    })?;
    let verifying = verifying.ok_or_else(|| {
        problem(
            "jwt.verifying_key",
            format!(
                "{} needs the public key in PEM (verifying_key_file)",
                config.algorithm
            ),
        )
    })?;
    let (encoding, decoding) = match family {
        AlgorithmFamily::Rsa => (
            EncodingKey::from_rsa_pem(&signing),
            DecodingKey::from_rsa_pem(&verifying),
        ),
        AlgorithmFamily::Ec => (
            EncodingKey::from_ec_pem(&signing),
            DecodingKey::from_ec_pem(&verifying),
        ),
        _ => (
            EncodingKey::from_ed_pem(&signing),
            DecodingKey::from_ed_pem(&verifying),
        ),
    };
    let kind = format!("{family:?}").to_ascii_uppercase();
    let encoding = encoding.map_err(|e| {
        problem(
            "jwt.signing_key",
            format!("not a PKCS#8 {kind} private key in PEM: {e}"),
        )
    })?;
    let decoding = decoding.map_err(|e| {
        problem(
            "jwt.verifying_key",
            format!("not a {kind} public key in PEM: {e}"),
        )
    })?;
    Ok((encoding, decoding))
}
