//! `portcullis createsuperuser`: Django's command. Interactive by default (the password twice,
//! hidden, checked by Django's validators unless you choose to bypass them); with `--noinput`
//! the username and email come from the flags and the password from
//! `PORTCULLIS_SUPERUSER_PASSWORD`, unchecked, as Django does.

use portcullis_server::AppState;
use portcullis_server::accounts::{manage, new_password};

use super::prompt::{ask, ask_hidden};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Do not ask anything (the password comes from PORTCULLIS_SUPERUSER_PASSWORD).
    #[arg(long)]
    pub noinput: bool,
    #[arg(long)]
    pub username: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
}

pub(super) async fn run(state: AppState, args: Args) -> anyhow::Result<()> {
    if args.noinput {
        let username = args
            .username
            .or_else(|| std::env::var("PORTCULLIS_SUPERUSER_USERNAME").ok());
        let Some(username) = username.filter(|u| !u.is_empty()) else {
            anyhow::bail!("You must use --username with --noinput.");
        };
        let email = args
            .email
            .or_else(|| std::env::var("PORTCULLIS_SUPERUSER_EMAIL").ok())
            .unwrap_or_default();
        let password = std::env::var("PORTCULLIS_SUPERUSER_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty());
        manage::create_superuser(&state, &username, &email, password.as_deref()).await?;
        println!("Superuser created successfully.");
        return Ok(());
    }
    let username = match args.username {
        Some(u) => u,
        None => loop {
            let u = ask("Username: ")?;
            if u.is_empty() {
                eprintln!("Error: This field cannot be blank.");
                continue;
            }
            if state.store().user_by_username(&u).await?.is_some() {
                eprintln!("Error: That username is already taken.");
                continue;
            }
            break u;
        },
    };
    let email = match args.email {
        Some(e) => e,
        None => ask("Email address: ")?,
    };
    // Django validates against the fields given so far: the name and the email.
    let who = portcullis_passwords::validation::UserAttributes {
        username: &username,
        first_name: "",
        last_name: "",
        email: &email,
    };
    let password = loop {
        let first = ask_hidden("Password: ")?;
        let second = ask_hidden("Password (again): ")?;
        if first != second {
            eprintln!("Error: Your passwords didn't match.");
            continue;
        }
        if first.trim().is_empty() {
            eprintln!("Error: Blank passwords aren't allowed.");
            continue;
        }
        let problems = new_password::problems(&first, &who);
        if !problems.is_empty() {
            eprintln!("{}", problems.join("\n"));
            let answer = ask("Bypass password validation and create user anyway? [y/N]: ")?;
            if !answer.trim().eq_ignore_ascii_case("y") {
                continue;
            }
        }
        break first;
    };
    manage::create_superuser(&state, &username, &email, Some(&password)).await?;
    println!("Superuser created successfully.");
    Ok(())
}
