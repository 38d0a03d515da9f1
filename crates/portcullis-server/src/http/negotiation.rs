//! DRF's `DefaultContentNegotiation`: `?format=` or a `.json` suffix selects a renderer (an
//! unknown format is a 404), then the `Accept` header must be satisfiable (else 406).
//! Portcullis renders JSON only; where DRF would render its browsable HTML API (`text/html`,
//! `?format=api`) on views that have it, Portcullis answers JSON instead.

use super::ApiError;
use super::body::MediaType;
use crate::config::RendererClass;

/// Check the request's format override and `Accept` header for a view with `renderers`.
pub(crate) fn negotiate(
    format: Option<&str>,
    accept: Option<&str>,
    renderers: &[RendererClass],
) -> Result<(), ApiError> {
    let mut renderers: Vec<(&str, &str)> = renderers
        .iter()
        .map(|r| r.format_and_media_type())
        .collect();
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
    use crate::http::wire::{DRF_RENDERERS, JSON_ONLY};

    #[test]
    fn accept_rules() {
        assert!(negotiate(None, None, JSON_ONLY).is_ok());
        assert!(negotiate(None, Some("application/json"), JSON_ONLY).is_ok());
        assert!(negotiate(None, Some("text/*, application/*;q=0.5"), JSON_ONLY).is_ok());
        assert!(matches!(
            negotiate(None, Some("application/xml"), JSON_ONLY),
            Err(ApiError::NotAcceptable)
        ));
        assert!(matches!(
            negotiate(None, Some(""), DRF_RENDERERS),
            Err(ApiError::NotAcceptable)
        ));
        assert!(negotiate(None, Some("text/html"), DRF_RENDERERS).is_ok());
    }

    #[test]
    fn unknown_format_is_not_found() {
        assert!(negotiate(Some("json"), None, DRF_RENDERERS).is_ok());
        assert!(matches!(
            negotiate(Some("xml"), None, DRF_RENDERERS),
            Err(ApiError::NotFound(_))
        ));
        assert!(matches!(
            negotiate(Some("api"), None, JSON_ONLY),
            Err(ApiError::NotFound(_))
        ));
    }
}
