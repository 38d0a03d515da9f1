//! `portcullis user activate|deactivate USER`: what Django's admin does with the "active" box.
//! A deactivated user's tokens stop working on the next request; the user cannot log in. The
//! operator at the shell is trusted as a superuser: no `accounts::authority` check here. The
//! change is audited (`user_activated` or `user_deactivated`, actor `cli`).

use portcullis_server::AppState;
use portcullis_server::accounts::manage;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Let the user log in again.
    Activate { username: String },
    /// Refuse the user's logins and tokens.
    Deactivate { username: String },
}

pub(super) async fn run(state: AppState, command: Command) -> anyhow::Result<()> {
    let (username, active) = match command {
        Command::Activate { username } => (username, true),
        Command::Deactivate { username } => (username, false),
    };
    let user = manage::find_user(&state, &username).await?;
    manage::set_active(&state, &user, active).await?;
    println!(
        "User '{}' is now {}.",
        user.username,
        if active { "active" } else { "inactive" }
    );
    Ok(())
}
