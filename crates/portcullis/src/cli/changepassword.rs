//! `portcullis changepassword USER`: Django's command — the new password twice, hidden, checked
//! by Django's validators; three attempts.

use portcullis_server::AppState;
use portcullis_server::accounts::manage;

use super::prompt::ask_hidden;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The user whose password changes.
    pub username: String,
}

pub(super) async fn run(state: AppState, args: Args) -> anyhow::Result<()> {
    let user = manage::find_user(&state, &args.username).await?;
    println!("Changing password for user '{}'", user.username);
    for _ in 0..3 {
        let first = ask_hidden("Password: ")?;
        let second = ask_hidden("Password (again): ")?;
        if first != second {
            eprintln!("Passwords do not match. Please try again.");
            continue;
        }
        let problems = manage::password_problems(&state, &user, &first);
        if !problems.is_empty() {
            eprintln!("{}", problems.join("\n"));
            continue;
        }
        manage::set_password(&state, &user, &first).await?;
        println!("Password changed successfully for user '{}'", user.username);
        return Ok(());
    }
    anyhow::bail!(
        "Aborting password change for user '{}' after 3 attempts",
        user.username
    )
}
