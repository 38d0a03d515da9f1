//! Property tests of the `Authorization` header parsers (`Token` as DRF reads it, `Bearer` as
//! simplejwt does): no input panics, and every answer is the one of a plain model written from
//! DRF's and simplejwt's Python (`header.split()`, then the checks in their order).

use axum::http::{HeaderMap, HeaderValue, header};
use proptest::prelude::*;

use super::AuthError;
use super::header::parse_token;
use super::jwt::JwtConfig;
use super::jwt::authentication::bearer_token;

/// Python's `bytes.split()` with no argument: runs of its six ASCII whitespace bytes.
fn python_split(raw: &[u8]) -> Vec<Vec<u8>> {
    let mut parts = Vec::new();
    let mut word = Vec::new();
    for &b in raw {
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            if !word.is_empty() {
                parts.push(std::mem::take(&mut word));
            }
        } else {
            word.push(b);
        }
    }
    if !word.is_empty() {
        parts.push(word);
    }
    parts
}

/// The outcome, comparable: `Ok(token)` or the failure's detail.
type Seen = Result<Option<String>, String>;

fn seen(result: Result<Option<String>, AuthError>) -> Seen {
    result.map_err(|e| match e {
        AuthError::Failed(detail) => detail.to_string(),
        AuthError::FailedWith(body) => body["detail"].as_str().unwrap_or("?").to_string(),
        other => format!("unexpected {other:?}"),
    })
}

/// DRF's `TokenAuthentication.authenticate`, step by step.
fn drf_token(raw: &[u8]) -> Seen {
    let auth = python_split(raw);
    match auth.first() {
        Some(keyword) if keyword.eq_ignore_ascii_case(b"token") => {}
        _ => return Ok(None),
    }
    match auth.len() {
        1 => Err("Invalid token header. No credentials provided.".into()),
        2 => String::from_utf8(auth[1].clone()).map(Some).map_err(|_| {
            "Invalid token header. Token string should not contain invalid characters.".into()
        }),
        _ => Err("Invalid token header. Token string should not contain spaces.".into()),
    }
}

/// simplejwt's `JWTAuthentication.get_raw_token` with the default `AUTH_HEADER_TYPES`.
fn simplejwt_bearer(raw: &[u8]) -> Seen {
    let parts = python_split(raw);
    match parts.first() {
        Some(keyword) if keyword.as_slice() == b"Bearer" => {}
        _ => return Ok(None),
    }
    match parts.as_slice() {
        [_, token] => Ok(Some(String::from_utf8_lossy(token).into_owned())),
        _ => Err("Authorization header must contain two space-delimited values".into()),
    }
}

fn bearer(raw: &[u8]) -> Option<Seen> {
    // Only what HTTP can carry reaches the parser: a header value refuses control bytes.
    let value = HeaderValue::from_bytes(raw).ok()?;
    let mut headers = HeaderMap::new();
    headers.insert(header::AUTHORIZATION, value);
    let found = bearer_token(&JwtConfig::default(), &headers);
    Some(seen(found.map(|t| {
        t.map(|t| String::from_utf8_lossy(&t).into_owned())
    })))
}

/// Header-like bytes: the keywords in any case, whitespace of every kind, key characters,
/// non-ASCII (valid UTF-8 or not), and lengths up to a few kilobytes.
fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"Token".to_vec()),
        Just(b"tOKEN".to_vec()),
        Just(b"Bearer".to_vec()),
        Just(b"bearer".to_vec()),
        prop::sample::select(vec![b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c]).prop_map(|b| vec![b]),
        "[0-9a-f]{1,40}".prop_map(String::into_bytes),
        "\\PC{1,8}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 1..8),
    ];
    prop_oneof![
        prop::collection::vec(piece, 0..12).prop_map(|p| p.concat()),
        prop::collection::vec(any::<u8>(), 0..4096),
    ]
}

proptest! {
    #[test]
    fn the_token_header_answers_as_drf(raw in header_bytes()) {
        prop_assert_eq!(seen(parse_token(&raw)), drf_token(&raw));
    }

    #[test]
    fn a_well_formed_token_header_gives_its_key(
        keyword in "[tT][oO][kK][eE][nN]",
        key in "[0-9a-f]{40}",
        before in "[ \t]{0,3}",
        between in "[ \t\x0b\x0c]{1,4}",
        after in "[ \t]{0,3}",
    ) {
        let raw = format!("{before}{keyword}{between}{key}{after}");
        prop_assert_eq!(seen(parse_token(raw.as_bytes())), Ok(Some(key)));
    }

    #[test]
    fn the_bearer_header_answers_as_simplejwt(raw in header_bytes()) {
        if let Some(answer) = bearer(&raw) {
            prop_assert_eq!(answer, simplejwt_bearer(&raw));
        }
    }
}
