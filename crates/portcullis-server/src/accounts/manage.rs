//! Account operations for the command line (Django's `createsuperuser`, `changepassword` and
//! DRF's `drf_create_token`), sharing the rules the HTTP endpoints apply.
//!
//! `accounts::authority` does not apply here: the operator at the shell can read the database
//! and the server secret anyway, so the command line is trusted as a superuser is, as Django's
//! `manage.py` is. A password change goes through the same call as the endpoints', so it
//! revokes what theirs revokes. Every change is audited as the command line's
//! (`audit::outside`).

use anyhow::{Context, bail};
use serde_json::json;

use crate::audit::Event;
use crate::audit::outside::cli_event;

use crate::auth::token_key::TokenKeys;
use crate::state::AppState;
use crate::store::{NewUser, StoreError, User, UserUpdate};

/// Create a staff superuser (and its token). The password is hashed as the endpoints hash it.
pub async fn create_superuser(
    state: &AppState,
    username: &str,
    email: &str,
    password: Option<&str>,
) -> anyhow::Result<User> {
    if !super::validators::valid_username(username) || username.chars().count() > 150 {
        bail!("{}", super::validators::USERNAME_MESSAGE);
    }
    if !email.is_empty() && !super::validators::valid_email(email) {
        bail!("{}", super::validators::EMAIL_MESSAGE);
    }
    let encoded = match password {
        Some(p) => state.passwords().hash(p.to_string()).await?,
        // Django: a superuser created without a password cannot log in until one is set.
        None => portcullis_passwords::make_unusable_password(),
    };
    let user = NewUser {
        username: unicode_normalization::UnicodeNormalization::nfkc(username).collect(),
        email: super::user_fields::normalize_email(email),
        password: encoded,
        is_staff: true,
        is_superuser: true,
        is_active: true,
        ..NewUser::default()
    };
    let token = state.token_keys().store(&TokenKeys::generate());
    match state.store().accounts().create_user(&user, &token).await {
        Ok(user) => audit_created(state, user).await,
        Err(StoreError::UsernameTaken) => bail!("That username is already taken."),
        Err(e) => Err(e.into()),
    }
}

/// The audit events of a superuser made by the command line: the account, and its token.
async fn audit_created(state: &AppState, user: User) -> anyhow::Result<User> {
    let detail = json!({
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    });
    cli_event(state, Event::UserCreated, Some(&user), detail).await?;
    let detail = json!({ "kind": "token" });
    cli_event(state, Event::TokenCreated, Some(&user), detail).await?;
    Ok(user)
}

/// The names a superuser is created with (the model's `REQUIRED_FIELDS` among them).
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub first_name: String,
    pub last_name: String,
}

/// Whether the user model logs in with its email (`USERNAME_FIELD = "email"`).
pub fn email_is_username(state: &AppState) -> bool {
    super::login_identity::email_is_username(state.config())
}

/// Create a staff superuser of a model that logs in with its email: the manager's
/// `create_superuser(email, ...)`, the normalized email kept in the username column too.
pub async fn create_superuser_by_email(
    state: &AppState,
    email: &str,
    names: &Names,
    password: Option<&str>,
) -> anyhow::Result<User> {
    for name in [&names.first_name, &names.last_name] {
        if name.chars().count() > 150 {
            bail!(
                "Ensure this value has at most 150 characters (it has {}).",
                name.chars().count()
            );
        }
    }
    // The model's EmailField validation, as Django's createsuperuser runs it.
    if !super::validators::valid_email(email) || email.chars().count() > 254 {
        bail!("{}", super::validators::EMAIL_MESSAGE);
    }
    let email = super::user_fields::normalize_email(email);
    let encoded = match password {
        Some(p) => state.passwords().hash(p.to_string()).await?,
        None => portcullis_passwords::make_unusable_password(),
    };
    let user = NewUser {
        username: email.clone(),
        email,
        first_name: names.first_name.clone(),
        last_name: names.last_name.clone(),
        password: encoded,
        is_staff: true,
        is_superuser: true,
        is_active: true,
        ..NewUser::default()
    };
    let token = state.token_keys().store(&TokenKeys::generate());
    match state.store().accounts().create_user(&user, &token).await {
        Ok(user) => audit_created(state, user).await,
        Err(StoreError::UsernameTaken) => bail!("That email address is already taken."),
        Err(e) => Err(e.into()),
    }
}

/// Django's validators for a new password of `user`; the messages, empty when it passes.
pub fn password_problems(state: &AppState, user: &User, password: &str) -> Vec<String> {
    let who = super::new_password::attributes_of(state.config(), user);
    super::new_password::problems(password, &who)
}

pub async fn find_user(state: &AppState, username: &str) -> anyhow::Result<User> {
    state
        .store()
        .accounts()
        .user_by_username(username)
        .await?
        .with_context(|| format!("user '{username}' does not exist"))
}

pub async fn set_password(state: &AppState, user: &User, password: &str) -> anyhow::Result<()> {
    super::new_password::set_password(state, user.id, password.to_string())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    cli_event(state, Event::PasswordChanged, Some(user), json!({})).await
}

/// The user's token key; with `reset`, a new key replaces the old one.
pub async fn token_create(state: &AppState, user: &User, reset: bool) -> anyhow::Result<String> {
    let token = json!({ "kind": "token" });
    if reset {
        let key = TokenKeys::generate();
        state
            .store()
            .tokens()
            .token_replace(user.id, &state.token_keys().store(&key))
            .await?;
        cli_event(state, Event::TokenRevoked, Some(user), token.clone()).await?;
        cli_event(state, Event::TokenCreated, Some(user), token).await?;
        return Ok(key);
    }
    let (key, created) = super::credentials::issue_token(state, user)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if created {
        cli_event(state, Event::TokenCreated, Some(user), token).await?;
    }
    Ok(key)
}

/// Let the user log in again (`active`), or refuse its logins and tokens; audited when it
/// changes anything.
pub async fn set_active(state: &AppState, user: &User, active: bool) -> anyhow::Result<()> {
    let update = UserUpdate {
        is_active: Some(active),
        ..UserUpdate::default()
    };
    state
        .store()
        .accounts()
        .update_user(user.id, &update)
        .await?;
    if user.is_active == active {
        return Ok(());
    }
    let event = if active {
        Event::UserActivated
    } else {
        Event::UserDeactivated
    };
    cli_event(state, event, Some(user), json!({})).await
}
