//! Where log lines go and how they look: stderr, filtered by `PORTCULLIS_LOG` (`info` by
//! default), as human text on a terminal or as one JSON object per line for a log collector
//! (`operations.log_format`). A JSON line carries its request's span (id, method, route, user)
//! under `span`, so that every line a request causes can be joined with its `X-Request-Id`.

use std::io::IsTerminal;

use portcullis_server::config::LogFormat;
use tracing_subscriber::EnvFilter;

/// Install the global subscriber.
pub(crate) fn init(format: LogFormat) {
    let filter = std::env::var("PORTCULLIS_LOG").unwrap_or_else(|_| "info".into());
    let terminal = std::io::stderr().is_terminal();
    let json = match format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !terminal,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_writer(std::io::stderr);
    if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .fmt_fields(crate::log_fields::JsonFields)
            .init();
    } else {
        builder.with_ansi(terminal).init();
    }
}
