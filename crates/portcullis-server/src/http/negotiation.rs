//! DRF's `DefaultContentNegotiation`: `?format=` or a `.json` suffix selects a renderer (an
//! unknown format is a 404), then the `Accept` header must be satisfiable (else 406).
//! Portcullis renders JSON only; where DRF would render its browsable HTML API (`text/html`,
//! `?format=api`) on views that have it, Portcullis answers JSON instead.

use super::ApiError;
use super::body::MediaType;

/// Check the request's format override and `Accept` header for a view. `browsable` is true for
/// views that in DRF also have the browsable API renderer.
pub(crate) fn negotiate(
    format: Option<&str>,
    accept: Option<&str>,
    browsable: bool,
) -> Result<(), ApiError> {
    let mut renderers = vec![("json", "application/json")];
    if browsable {
        renderers.push(("api", "text/html"));
    }
    if let Some(format) = format {
        renderers.retain(|(f, _)| *f == format);
        if renderers.is_empty() {
            return Err(ApiError::not_found());
        }
    }
    // DRF reads a missing header as "*/*" but an empty one as a single empty media type that
    // no renderer satisfies.
    let accept = accept.unwrap_or("*/*");
    let acceptable = accept
        .split(',')
        .map(|t| MediaType::parse(t.trim()))
        .any(|wanted| {
            renderers
                .iter()
                .any(|(_, media)| MediaType::parse(media).satisfies(&wanted))
        });
    if acceptable {
        Ok(())
    } else {
        Err(ApiError::NotAcceptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_rules() {
        assert!(negotiate(None, None, false).is_ok());
        assert!(negotiate(None, Some("application/json"), false).is_ok());
        assert!(negotiate(None, Some("text/*, application/*;q=0.5"), false).is_ok());
        assert!(matches!(
            negotiate(None, Some("application/xml"), false),
            Err(ApiError::NotAcceptable)
        ));
        assert!(matches!(
            negotiate(None, Some(""), true),
            Err(ApiError::NotAcceptable)
        ));
        assert!(negotiate(None, Some("text/html"), true).is_ok());
    }

    #[test]
    fn unknown_format_is_not_found() {
        assert!(negotiate(Some("json"), None, true).is_ok());
        assert!(matches!(
            negotiate(Some("xml"), None, true),
            Err(ApiError::NotFound(_))
        ));
        assert!(matches!(
            negotiate(Some("api"), None, false),
            Err(ApiError::NotFound(_))
        ));
    }
}
