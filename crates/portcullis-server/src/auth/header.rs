//! The `Authorization` header as DRF's `TokenAuthentication` reads it: the keyword `Token` in any
//! letter case, split on ASCII whitespace, with DRF's message for each malformed form.

use axum::http::{HeaderMap, header};

use crate::auth::AuthError;

/// The token key of a `Token` header, `None` when the header is absent or names another scheme.
pub(crate) fn token_from_headers(headers: &HeaderMap) -> Result<Option<String>, AuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    parse_token(value.as_bytes())
}

pub(crate) fn parse_token(raw: &[u8]) -> Result<Option<String>, AuthError> {
    let Some(credential) = parse_keyword(raw, "token")? else {
        return Ok(None);
    };
    match std::str::from_utf8(credential) {
        Ok(key) => Ok(Some(key.to_string())),
        Err(_) => Err(AuthError::Failed(
            "Invalid token header. Token string should not contain invalid characters.",
        )),
    }
}

/// The credential after `keyword` (compared in any ASCII letter case), as DRF's
/// `TokenAuthentication` and knox's split the header; `None` when the header names another
/// scheme.
pub(crate) fn parse_keyword<'a>(
    raw: &'a [u8],
    keyword: &str,
) -> Result<Option<&'a [u8]>, AuthError> {
    // Python's bytes.split(): runs of ASCII whitespace.
    let parts: Vec<&[u8]> = raw
        .split(|b| b" \t\n\r\x0b\x0c".contains(b))
        .filter(|p| !p.is_empty())
        .collect();
    match parts.first() {
        Some(first) if first.eq_ignore_ascii_case(keyword.as_bytes()) => {}
        _ => return Ok(None),
    }
    match parts.len() {
        1 => Err(AuthError::Failed(
            "Invalid token header. No credentials provided.",
        )),
        2 => Ok(Some(parts[1])),
        _ => Err(AuthError::Failed(
            "Invalid token header. Token string should not contain spaces.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(raw: &[u8]) -> Result<Option<String>, &'static str> {
        parse_token(raw).map_err(|e| match e {
            AuthError::Failed(d) => d,
            _ => "other",
        })
    }

    #[test]
    fn drf_header_rules() {
        assert_eq!(detail(b"Token abc"), Ok(Some("abc".into())));
        assert_eq!(detail(b"tOkEn\tabc  "), Ok(Some("abc".into())));
        assert_eq!(detail(b"Bearer abc"), Ok(None));
        assert_eq!(detail(b""), Ok(None));
        assert_eq!(detail(b"Tokenabc"), Ok(None));
        assert_eq!(
            detail(b"Token"),
            Err("Invalid token header. No credentials provided.")
        );
        assert_eq!(
            detail(b"Token a b"),
            Err("Invalid token header. Token string should not contain spaces.")
        );
        assert_eq!(
            detail(b"Token \xe9"),
            Err("Invalid token header. Token string should not contain invalid characters.")
        );
    }
}
