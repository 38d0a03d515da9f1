//! `portcullis token create USER [--reset]`: DRF's `drf_create_token`.

use portcullis_server::AppState;
use portcullis_server::accounts::manage;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Print the user's token key, creating one if the user has none.
    Create {
        /// The user.
        username: String,
        /// Replace the existing key with a new one.
        #[arg(short, long)]
        reset: bool,
    },
}

pub(super) async fn run(state: AppState, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Create { username, reset } => {
            let user = manage::find_user(&state, &username).await?;
            let key = manage::token_create(&state, &user, reset).await?;
            println!("Generated token {key} for user {}", user.username);
            Ok(())
        }
    }
}
