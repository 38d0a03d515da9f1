//! `portcullis createsuperuser`: Django's command. Interactive by default (the password twice,
//! hidden, checked by Django's validators unless you choose to bypass them); with `--noinput`
//! the username and email come from the flags and the password from
//! `PORTCULLIS_SUPERUSER_PASSWORD`, unchecked, as Django does. For a user model that logs in
//! with its email (`[user_model] username_field = "email"`), the email is the name: asked for
//! first, as Django asks for the `USERNAME_FIELD`, and `--username` is ignored.

use portcullis_server::AppState;
use portcullis_server::accounts::{manage, new_password};
use portcullis_server::config::UserField;

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
    if manage::email_is_username(&state) {
        return run_by_email(state, args).await;
    }
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
            if state
                .store()
                .accounts()
                .user_by_username(&u)
                .await?
                .is_some()
            {
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
    let password = ask_password(&who)?;
    manage::create_superuser(&state, &username, &email, Some(&password)).await?;
    println!("Superuser created successfully.");
    Ok(())
}

/// `createsuperuser` for a model whose `USERNAME_FIELD` is the email: Django's prompt is
/// "Email address: ", and `--noinput` needs `--email`.
async fn run_by_email(state: AppState, args: Args) -> anyhow::Result<()> {
    if args.username.is_some() {
        eprintln!("Note: --username is ignored: the user model logs in with its email.");
    }
    let given = args
        .email
        .or_else(|| std::env::var("PORTCULLIS_SUPERUSER_EMAIL").ok())
        .filter(|e| !e.is_empty());
    if args.noinput {
        let Some(email) = given else {
            anyhow::bail!("You must use --email with --noinput.");
        };
        let password = std::env::var("PORTCULLIS_SUPERUSER_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty());
        // Django reads each REQUIRED_FIELDS value from DJANGO_SUPERUSER_<FIELD>.
        let names = names(&state, |field| {
            let var = format!("PORTCULLIS_SUPERUSER_{}", field.to_uppercase());
            Ok(std::env::var(var).unwrap_or_default())
        })?;
        manage::create_superuser_by_email(&state, &email, &names, password.as_deref()).await?;
        println!("Superuser created successfully.");
        return Ok(());
    }
    let email = match given {
        Some(e) => e,
        None => loop {
            let e = ask("Email address: ")?;
            if e.is_empty() {
                eprintln!("Error: This field cannot be blank.");
                continue;
            }
            if state
                .store()
                .accounts()
                .user_by_username(&e)
                .await?
                .is_some()
            {
                eprintln!("Error: That email address is already taken.");
                continue;
            }
            break e;
        },
    };
    // Then each of REQUIRED_FIELDS, as Django asks for them.
    let names = names(&state, |field| {
        ask(match field {
            "first_name" => "First name: ",
            _ => "Last name: ",
        })
    })?;
    let who = portcullis_passwords::validation::UserAttributes {
        username: "",
        first_name: &names.first_name,
        last_name: &names.last_name,
        email: &email,
    };
    let password = ask_password(&who)?;
    manage::create_superuser_by_email(&state, &email, &names, Some(&password)).await?;
    println!("Superuser created successfully.");
    Ok(())
}

/// The names the user model lists in `REQUIRED_FIELDS`, each from `value(field)`; blank for
/// the others.
fn names(
    state: &AppState,
    mut value: impl FnMut(&str) -> anyhow::Result<String>,
) -> anyhow::Result<manage::Names> {
    let mut names = manage::Names::default();
    for field in &state.config().user_model.required_fields {
        match field {
            UserField::FirstName => names.first_name = value("first_name")?,
            UserField::LastName => names.last_name = value("last_name")?,
            // The model's own fields keep their defaults: the command line does not ask for
            // them (Django's asks for each one in REQUIRED_FIELDS).
            UserField::Email | UserField::Own(_) => {}
        }
    }
    Ok(names)
}

/// The password twice, hidden, with Django's validators (which the operator may bypass).
fn ask_password(who: &portcullis_passwords::validation::UserAttributes) -> anyhow::Result<String> {
    Ok(loop {
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
        let problems = new_password::problems(&first, who);
        if !problems.is_empty() {
            eprintln!("{}", problems.join("\n"));
            let answer = ask("Bypass password validation and create user anyway? [y/N]: ")?;
            if !answer.trim().eq_ignore_ascii_case("y") {
                continue;
            }
        }
        break first;
    })
}
