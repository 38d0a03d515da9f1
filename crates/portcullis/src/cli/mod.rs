//! The command line: one subcommand per file, Django's management commands under their Django
//! names.

mod backup;
mod changepassword;
mod check;
mod createsuperuser;
mod import_django;
mod migrate;
mod openapi;
mod prompt;
mod serve;
mod token;
mod user;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use portcullis_server::store::Store;
use portcullis_server::{AppState, Config};

/// Portcullis: a DRF-compatible token-authenticated REST backend.
#[derive(Debug, Parser)]
#[command(name = "portcullis", version, about)]
pub(crate) struct Cli {
    /// TOML configuration file (default: none, or $PORTCULLIS_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Start the API server (applies pending migrations first).
    Serve(serve::Args),
    /// Create or update the database tables (the resources' too).
    Migrate(migrate::Args),
    /// Create a staff superuser.
    Createsuperuser(createsuperuser::Args),
    /// Change a user's password.
    Changepassword(changepassword::Args),
    /// Manage DRF tokens.
    #[command(subcommand)]
    Token(token::Command),
    /// Activate or deactivate a user.
    #[command(subcommand)]
    User(user::Command),
    /// Validate the configuration and the database, and say exactly what is wrong.
    Check,
    /// Print the OpenAPI 3.1 document of the API (as served at /api/schema/).
    Openapi(openapi::Args),
    /// Write a consistent copy of the SQLite database to FILE, while the server runs.
    Backup(backup::Args),
    /// Import a Django project's users, groups, permissions and DRF tokens.
    ImportDjango(import_django::Args),
}

/// Run the command with the configuration loaded from `cli.config`.
pub(crate) async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(config, args).await,
        Command::Migrate(args) => migrate::run(config, args).await,
        Command::Createsuperuser(args) => createsuperuser::run(state(config).await?, args).await,
        Command::Changepassword(args) => changepassword::run(state(config).await?, args).await,
        Command::Token(command) => token::run(state(config).await?, command).await,
        Command::User(command) => user::run(state(config).await?, command).await,
        Command::Check => check::run(config).await,
        Command::Openapi(args) => openapi::run(config, args),
        Command::Backup(args) => backup::run(config, args).await,
        Command::ImportDjango(args) => import_django::run(connect(config).await?, args).await,
    }
}

/// Open the store and the secret: what every command that touches data needs.
pub(crate) async fn state(config: Config) -> anyhow::Result<AppState> {
    let limits = portcullis_server::store::QueryLimits::from_config(&config.limits);
    let store = Store::open_limited(&config.database_url, limits).await?;
    let secret = portcullis_server::auth::secret::load_or_create(&config)?;
    Ok(AppState::new(config, store, &secret))
}

/// The store (without migrating it: on PostgreSQL nothing is opened yet) and the secret.
pub(crate) async fn connect(config: Config) -> anyhow::Result<AppState> {
    let limits = portcullis_server::store::QueryLimits::from_config(&config.limits);
    let store = Store::connect_limited(&config.database_url, limits).await?;
    let secret = portcullis_server::auth::secret::load_or_create(&config)?;
    Ok(AppState::new(config, store, &secret))
}
