//! djoser's six mails as its templates (`djoser/templates/email/*.html`) render them in English:
//! the subject, the text body and the HTML alternative, each block stripped as djoser's
//! `BaseEmailMessage._process_node` strips it. Values are HTML-escaped as Django's autoescape
//! does in every block; the link is `|safe`.

use super::Mail;

/// Which mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Activation,
    Confirmation,
    PasswordReset,
    PasswordChangedConfirmation,
    UsernameReset,
    UsernameChangedConfirmation,
}

/// The template context: djoser's `get_context_data`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Context {
    pub(crate) protocol: String,
    pub(crate) domain: String,
    pub(crate) site_name: String,
    /// `user.get_username()`.
    pub(crate) username: String,
    /// The formatted `*_URL` setting (only for the three mails with a link).
    pub(crate) url: String,
}

const THANKS: &str = "Thanks for using our site!";

/// Render the mail `kind` for `to`.
pub(crate) fn render(kind: Kind, to: &str, ctx: &Context) -> Mail {
    let site = escape(&ctx.site_name);
    let team = format!("The {site} team");
    let (subject, text, html) = match kind {
        Kind::Activation => {
            let intro = format!(
                "You're receiving this email because you need to finish activation process on {site}."
            );
            let go = "Please go to the following page to activate account:";
            let link = link(ctx);
            (
                format!("Account activation on {site}"),
                format!("{intro}\n\n{go}\n{link}\n\n{THANKS}\n\n{team}"),
                format!(
                    "<p>{intro}</p>\n\n<p>{go}</p>\n<p><a href=\"{link}\">{link}</a></p>\n\n<p>{THANKS}</p>\n\n<p>{team}</p>"
                ),
            )
        }
        Kind::PasswordReset => reset(ctx, &site, &team, "password"),
        Kind::UsernameReset => reset(ctx, &site, &team, "username"),
        Kind::Confirmation => notice(
            &team,
            format!("{site} - Your account has been successfully created and activated!"),
            "Your account has been created and is ready to use!",
        ),
        Kind::PasswordChangedConfirmation => notice(
            &team,
            format!("{site} - Your password has been successfully changed!"),
            "Your password has been changed!",
        ),
        Kind::UsernameChangedConfirmation => notice(
            &team,
            format!("{site} - Your username has been successfully changed!"),
            "Your username has been changed!",
        ),
    };
    Mail {
        to: to.to_owned(),
        subject,
        text,
        html: Some(html),
    }
}

/// `password_reset.html` and `username_reset.html`, which differ by one word.
fn reset(ctx: &Context, site: &str, team: &str, what: &str) -> (String, String, String) {
    let title = if what == "password" {
        "Password"
    } else {
        "Username"
    };
    let intro = format!(
        "You're receiving this email because you requested a {what} reset for your user account at {site}."
    );
    let go = format!("Please go to the following page and choose a new {what}:");
    let link = link(ctx);
    let who = "Your username, in case you've forgotten:";
    let name = escape(&ctx.username);
    (
        format!("{title} reset on {site}"),
        format!("{intro}\n\n{go}\n{link}\n{who} {name}\n\n{THANKS}\n\n{team}"),
        format!(
            "<p>{intro}</p>\n\n<p>{go}</p>\n<a href=\"{link}\">{link}</a>\n<p>{who} <b>{name}</b></p>\n\n<p>{THANKS}</p>\n\n<p>{team}</p>"
        ),
    )
}

/// The three confirmations: one sentence, the thanks and the signature.
fn notice(team: &str, subject: String, sentence: &str) -> (String, String, String) {
    (
        subject,
        format!("{sentence}\n\n{THANKS}\n\n{team}"),
        format!("<p>{sentence}</p>\n\n<p>{THANKS}</p>\n\n<p>{team}</p>"),
    )
}

/// `{{ protocol }}://{{ domain }}/{{ url|safe }}`.
fn link(ctx: &Context) -> String {
    format!(
        "{}://{}/{}",
        escape(&ctx.protocol),
        escape(&ctx.domain),
        ctx.url
    )
}

/// djoser's `settings.*_URL.format(**context)` for the names a URL may use.
pub(crate) fn format_url(template: &str, ctx: &Context, uid: &str, token: &str) -> String {
    template
        .replace("{uid}", uid)
        .replace("{token}", token)
        .replace("{domain}", &ctx.domain)
        .replace("{protocol}", &ctx.protocol)
        .replace("{site_name}", &ctx.site_name)
}

/// Django's `escape()` (`conditional_escape` of a plain string).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context {
            protocol: "http".into(),
            domain: "127.0.0.1".into(),
            site_name: "127.0.0.1".into(),
            username: "alice".into(),
            url: "#/password/reset/confirm/MQ/dj8k6i-3e67b7597ecfca522949a718e69d3f56".into(),
        }
    }

    // Rendered by djoser 2.3.5's PasswordResetEmail on Django 5.2 (the reference project's
    // Python) for user 1 "alice", `Host: 127.0.0.1`, with this token.
    #[test]
    fn the_reset_mail_reads_as_djosers() {
        let mail = render(Kind::PasswordReset, "a@example.com", &ctx());
        assert_eq!(mail.subject, "Password reset on 127.0.0.1");
        assert_eq!(
            mail.text,
            "You're receiving this email because you requested a password reset for your user account at 127.0.0.1.\n\nPlease go to the following page and choose a new password:\nhttp://127.0.0.1/#/password/reset/confirm/MQ/dj8k6i-3e67b7597ecfca522949a718e69d3f56\nYour username, in case you've forgotten: alice\n\nThanks for using our site!\n\nThe 127.0.0.1 team"
        );
        assert_eq!(
            mail.html.as_deref(),
            Some(
                "<p>You're receiving this email because you requested a password reset for your user account at 127.0.0.1.</p>\n\n<p>Please go to the following page and choose a new password:</p>\n<a href=\"http://127.0.0.1/#/password/reset/confirm/MQ/dj8k6i-3e67b7597ecfca522949a718e69d3f56\">http://127.0.0.1/#/password/reset/confirm/MQ/dj8k6i-3e67b7597ecfca522949a718e69d3f56</a>\n<p>Your username, in case you've forgotten: <b>alice</b></p>\n\n<p>Thanks for using our site!</p>\n\n<p>The 127.0.0.1 team</p>"
            )
        );
    }

    #[test]
    fn the_activation_and_confirmation_mails_read_as_djosers() {
        let mut ctx = ctx();
        ctx.url = "#/activate/MQ/dj8k6j-76be34dd3daaffa2654b94bf889e7093".into();
        let mail = render(Kind::Activation, "a@example.com", &ctx);
        assert_eq!(mail.subject, "Account activation on 127.0.0.1");
        assert_eq!(
            mail.text,
            "You're receiving this email because you need to finish activation process on 127.0.0.1.\n\nPlease go to the following page to activate account:\nhttp://127.0.0.1/#/activate/MQ/dj8k6j-76be34dd3daaffa2654b94bf889e7093\n\nThanks for using our site!\n\nThe 127.0.0.1 team"
        );
        let mail = render(Kind::Confirmation, "a@example.com", &ctx);
        assert_eq!(
            mail.subject,
            "127.0.0.1 - Your account has been successfully created and activated!"
        );
        assert_eq!(
            mail.html.as_deref(),
            Some(
                "<p>Your account has been created and is ready to use!</p>\n\n<p>Thanks for using our site!</p>\n\n<p>The 127.0.0.1 team</p>"
            )
        );
    }

    #[test]
    fn urls_are_formatted_with_the_uid_and_token() {
        assert_eq!(
            format_url("#/activate/{uid}/{token}", &ctx(), "MQ", "t-1"),
            "#/activate/MQ/t-1"
        );
    }
}
