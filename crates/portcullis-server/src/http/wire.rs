//! The project's `DEFAULT_RENDERER_CLASSES` and `DEFAULT_PARSER_CLASSES`, resolved once at start:
//! what every view that does not declare its own classes renders and parses. Views with their
//! own (`obtain_auth_token` renders with `JSONRenderer` alone; Portcullis's admin API keeps
//! DRF's defaults) say so in their [`super::endpoint::Endpoint`].

use crate::config::{Config, RendererClass};

/// DRF's own default renderers, for views that keep them whatever the project says.
pub(crate) const DRF_RENDERERS: &[RendererClass] =
    &[RendererClass::Json, RendererClass::BrowsableApi];

/// `renderer_classes = (JSONRenderer,)`.
pub(crate) const JSON_ONLY: &[RendererClass] = &[RendererClass::Json];

/// The project's renderers and parsers, and whether they are the camel-case ones.
#[derive(Debug, Clone)]
pub(crate) struct ProjectWire {
    pub(crate) renderers: Vec<RendererClass>,
    /// The parsers' media types, in the settings' order.
    pub(crate) parses: Vec<&'static str>,
    /// The camel renderers are the project's (so responses of its views are camelized).
    pub(crate) camel_renderers: bool,
    /// The camel parsers are the project's (so their input is underscoreized).
    pub(crate) camel_parsers: bool,
}

impl ProjectWire {
    pub(crate) fn new(config: &Config) -> ProjectWire {
        // `check` refuses a list mixing camel and plain classes, so any one class tells.
        ProjectWire {
            renderers: config.renderer_classes.clone(),
            parses: config
                .parser_classes
                .iter()
                .map(|p| p.media_type())
                .collect(),
            camel_renderers: config.renderer_classes.iter().any(|r| r.camel_case()),
            camel_parsers: config.parser_classes.iter().any(|p| p.camel_case()),
        }
    }
}
