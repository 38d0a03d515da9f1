//! Loading the configuration: defaults, then the TOML file, then `PORTCULLIS_*` environment
//! variables (the environment wins; `__` separates nested keys, e.g.
//! `PORTCULLIS_CORS__ALLOWED_ORIGINS='["http://localhost:5173"]'`).

use std::path::Path;

use anyhow::bail;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use portcullis_server::Config;

/// Environment variables with the prefix that are not configuration keys.
/// Configuration keys the environment may set: the top-level keys of `Config`. Other
/// `PORTCULLIS_*` variables (`PORTCULLIS_SUPERUSER_PASSWORD`, `PORTCULLIS_LOG`, a test's
/// `PORTCULLIS_BIN`...) are not configuration and are left alone.
fn config_keys() -> Vec<String> {
    match serde_json::to_value(Config::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Load and validate; every problem is reported with its key.
pub(crate) fn load(file: Option<&Path>) -> anyhow::Result<Config> {
    let file = file
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("PORTCULLIS_CONFIG").map(Into::into));
    // Without a file, the built-in profile (the reference project's settings, page-number
    // pagination); a file describes a Django project, and one that does not set
    // DEFAULT_PAGINATION_CLASS has plain lists.
    let defaults = if file.is_some() {
        Config::file_defaults()
    } else {
        Config::default()
    };
    let mut figment = Figment::from(Serialized::defaults(defaults));
    if let Some(path) = file {
        if !path.exists() {
            bail!("configuration file {} does not exist", path.display());
        }
        figment = figment.merge(Toml::file(path));
    }
    let keys = config_keys();
    warn_about_unknown_variables(&keys);
    figment = figment.merge(
        Env::prefixed("PORTCULLIS_")
            .filter(move |key| {
                let key = key.as_str().to_ascii_lowercase();
                let top = key.split("__").next().unwrap_or_default().to_string();
                keys.contains(&top)
            })
            .split("__"),
    );
    let config: Config = match figment.extract() {
        Ok(config) => config,
        Err(errors) => {
            let lines: Vec<String> = errors.into_iter().map(|e| format!("  {e}")).collect();
            bail!("invalid configuration:\n{}", lines.join("\n"));
        }
    };
    let problems = config.problems();
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        bail!("invalid configuration:\n{}", lines.join("\n"));
    }
    Ok(config)
}

/// `PORTCULLIS_*` variables the commands read themselves.
const COMMAND_VARIABLES: &[&str] = &[
    "superuser_password",
    "superuser_username",
    "superuser_email",
    "log",
    "config",
];

/// A `PORTCULLIS_*` variable that is neither a configuration key nor read by a command is
/// most likely a typo: say so (it is not refused, so that tools may set variables of their own).
fn warn_about_unknown_variables(keys: &[String]) {
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix("PORTCULLIS_") else {
            continue;
        };
        let key = rest.to_ascii_lowercase();
        let top = key.split("__").next().unwrap_or_default();
        if !keys.iter().any(|k| k == top) && !COMMAND_VARIABLES.contains(&top) {
            eprintln!("warning: {name} is not a configuration key (ignored)");
        }
    }
}

#[cfg(test)]
mod tests {
    use portcullis_server::config::PaginationStyle;

    use super::*;

    /// The reference project's page numbers without a file; Django's default (none) for a file
    /// that does not name a pagination class; the file's choice when it does.
    #[test]
    fn pagination_defaults_depend_on_whether_a_file_is_read() {
        if std::env::var_os("PORTCULLIS_PAGINATION").is_some()
            || std::env::var_os("PORTCULLIS_CONFIG").is_some()
        {
            return; // the environment decides, not the defaults under test
        }
        let builtin = load(None).expect("the built-in profile");
        assert_eq!(builtin.pagination, PaginationStyle::PageNumberPagination);

        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("portcullis.toml");
        std::fs::write(&file, "page_size = 5\n").expect("written");
        let silent = load(Some(&file)).expect("a file without pagination");
        assert_eq!(silent.pagination, PaginationStyle::None);

        std::fs::write(&file, "pagination = \"CursorPagination\"\n").expect("written");
        let cursor = load(Some(&file)).expect("a file with pagination");
        assert_eq!(cursor.pagination, PaginationStyle::CursorPagination);
    }
}
