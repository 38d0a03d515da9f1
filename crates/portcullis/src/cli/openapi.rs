//! `portcullis openapi`: print the OpenAPI 3.1 document the server serves at `/api/schema/`
//! (drf-spectacular's `manage.py spectacular`), without a database.

use portcullis_server::Config;
use portcullis_server::openapi::{Format, render};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// yaml (the default, as drf-spectacular writes it) or json.
    #[arg(long, value_parser = ["yaml", "json"], default_value = "yaml")]
    format: String,
}

pub(super) fn run(config: Config, args: Args) -> anyhow::Result<()> {
    let schema = config
        .schema()
        .map_err(|problems| anyhow::anyhow!("schema_file: {}", problems.join("; ")))?;
    let format = if args.format == "json" {
        Format::Json
    } else {
        Format::Yaml
    };
    let text = render(&config, &schema, format).map_err(anyhow::Error::msg)?;
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
    Ok(())
}
