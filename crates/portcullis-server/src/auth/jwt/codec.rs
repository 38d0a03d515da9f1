//! A JWS compact token taken apart and checked before anything in it is believed, then built
//! again for new tokens. The order of the checks is PyJWT's (signature, then `iat`, `nbf`,
//! `exp`, `iss`, `aud`, `sub`, `jti`), so each token fails with the message simplejwt gives it;
//! the checks themselves are RFC 8725's, stricter than PyJWT's where PyJWT is lenient:
//!
//! - the size is bounded before any decoding;
//! - exactly three segments of canonical, unpadded base64url, none of them empty;
//! - the header is a JSON object whose `alg` equals the configured algorithm, exactly
//!   (`none` in any casing, another algorithm, an HMAC `alg` against an RSA key: refused);
//! - `crit` is refused (no extension is understood), and so are the key-carrying headers
//!   `jku`, `x5u`, `jwk`, `x5c` (never fetched, never trusted) and the JWE/unencoded-payload
//!   ones (`enc`, `zip`, `b64`); `typ`, when present, is `JWT`;
//! - the signature is verified before the payload is parsed;
//! - NumericDates are JSON numbers no later than year 9999.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::claims::{Claims, numeric_date};
use super::errors::TokenError;
use super::keys::JwtKeys;
use super::settings::JwtConfig;

/// The longest token considered at all. simplejwt's tokens are about 250 bytes; a token carrying
/// kilobytes of claims is an attack on the parser or the database, not a credential.
pub(crate) const MAX_TOKEN_BYTES: usize = 4096;

/// Header parameters that make a token unacceptable whatever their value.
const REFUSED_HEADERS: &[&str] = &["crit", "jku", "x5u", "jwk", "x5c", "b64", "enc", "zip"];

fn b64(segment: &[u8]) -> Result<Vec<u8>, TokenError> {
    if segment.is_empty() {
        return Err(TokenError::Invalid);
    }
    // The engine refuses padding, characters outside the URL-safe alphabet and non-zero
    // trailing bits, so one token has exactly one encoding.
    URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| TokenError::Invalid)
}

fn check_header(header: &Map<String, Value>, keys: &JwtKeys) -> Result<(), TokenError> {
    match header.get("alg") {
        Some(Value::String(alg)) if alg == keys.algorithm_name() => {}
        _ => return Err(TokenError::Invalid),
    }
    if REFUSED_HEADERS
        .iter()
        .any(|name| header.contains_key(*name))
    {
        return Err(TokenError::Invalid);
    }
    match header.get("typ") {
        None => {}
        Some(Value::String(typ)) if typ.eq_ignore_ascii_case("JWT") => {}
        Some(_) => return Err(TokenError::Invalid),
    }
    // PyJWT: "Key ID header parameter must be a string". Its value selects nothing here.
    if header.get("kid").is_some_and(|kid| !kid.is_string()) {
        return Err(TokenError::Invalid);
    }
    Ok(())
}

/// A signed token's claims, checked as PyJWT's `jwt.decode` checks them with simplejwt's
/// options (`verify_aud` only when an audience is configured) and Portcullis' additions.
pub(crate) fn decode(
    token: &[u8],
    keys: &JwtKeys,
    config: &JwtConfig,
    now: i64,
) -> Result<Claims, TokenError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(TokenError::Invalid);
    }
    let mut parts = token.split(|b| *b == b'.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Invalid);
    };
    let header: Map<String, Value> =
        serde_json::from_slice(&b64(header)?).map_err(|_| TokenError::Invalid)?;
    check_header(&header, keys)?;
    // A missing or truncated signature fails here, before the payload is even decoded.
    b64(signature)?;
    let signed_len = token.len() - signature.len() - 1;
    let signature = std::str::from_utf8(signature).map_err(|_| TokenError::Invalid)?;
    if !keys.verify(signature, &token[..signed_len]) {
        return Err(TokenError::Invalid);
    }
    let claims = Claims::from_json(&b64(payload)?).ok_or(TokenError::Invalid)?;
    check_registered_claims(&claims, config, now)?;
    Ok(claims)
}

fn check_registered_claims(
    claims: &Claims,
    config: &JwtConfig,
    now: i64,
) -> Result<(), TokenError> {
    let leeway = i64::try_from(config.leeway).unwrap_or(i64::MAX);
    let date = |name: &str| -> Result<Option<i64>, TokenError> {
        match claims.get(name) {
            None => Ok(None),
            Some(value) => numeric_date(value).map(Some).ok_or(TokenError::Invalid),
        }
    };
    // PyJWT: a token issued in the future, or not valid yet, is invalid (not expired).
    if date("iat")?.is_some_and(|iat| iat > now.saturating_add(leeway)) {
        return Err(TokenError::Invalid);
    }
    if date("nbf")?.is_some_and(|nbf| nbf > now.saturating_add(leeway)) {
        return Err(TokenError::Invalid);
    }
    if date("exp")?.is_some_and(|exp| exp <= now.saturating_sub(leeway)) {
        return Err(TokenError::Expired);
    }
    if !config.issuer.is_empty() && claims.str("iss") != Some(config.issuer.as_str()) {
        return Err(TokenError::Invalid);
    }
    let aud_ok = match (config.audience.as_str(), claims.get("aud")) {
        // simplejwt turns PyJWT's audience check off when no audience is configured, so a
        // token minted for another audience passes; Portcullis refuses it (RFC 8725 §3.9).
        ("", None) => true,
        ("", Some(aud)) => is_falsy(aud),
        (expected, Some(Value::String(aud))) => aud == expected,
        (expected, Some(Value::Array(list))) => {
            list.iter().all(Value::is_string) && list.iter().any(|a| a == expected)
        }
        (_, _) => false,
    };
    if !aud_ok {
        return Err(TokenError::Invalid);
    }
    for name in ["sub", "jti", config.jti_claim.as_str()] {
        if claims.get(name).is_some_and(|v| !v.is_string()) {
            return Err(TokenError::Invalid);
        }
    }
    Ok(())
}

/// Python's falsiness of an `aud` value, as PyJWT tests it (`not payload["aud"]`).
fn is_falsy(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
    }
}

/// A signed token, as simplejwt's `TokenBackend.encode` makes it: the configured `aud` and
/// `iss` added to the claims, PyJWT's header `{"alg":…,"typ":"JWT"}`.
pub(crate) fn encode(
    claims: &Claims,
    keys: &JwtKeys,
    config: &JwtConfig,
) -> anyhow::Result<String> {
    let mut claims = claims.clone();
    if !config.audience.is_empty() {
        claims.set("aud", config.audience.as_str());
    }
    if !config.issuer.is_empty() {
        claims.set("iss", config.issuer.as_str());
    }
    let header = serde_json::json!({ "alg": keys.algorithm_name(), "typ": "JWT" });
    let mut token = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header)?);
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(claims.to_json()));
    let signature = keys.sign(token.as_bytes())?;
    token.push('.');
    token.push_str(&signature);
    Ok(token)
}
