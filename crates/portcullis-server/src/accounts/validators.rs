//! Django's validators for user fields: `UnicodeUsernameValidator` and `EmailValidator`.

use std::sync::OnceLock;

use regex::Regex;

pub(crate) const USERNAME_MESSAGE: &str = "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.";
pub(crate) const EMAIL_MESSAGE: &str = "Enter a valid email address.";

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a constant regex compiles"))
}

/// `^[\w.@+-]+\Z` with Unicode `\w`.
pub(crate) fn valid_username(value: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"^[\w.@+-]+$").is_match(value)
}

/// Django's `EmailValidator` (dot-atom or quoted local part; a domain of labels with a TLD of
/// 2–63 characters, an IP literal, or `localhost`; internationalized domains accepted as Django
/// accepts them after IDNA encoding).
pub(crate) fn valid_email(value: &str) -> bool {
    static USER: OnceLock<Regex> = OnceLock::new();
    static DOMAIN: OnceLock<Regex> = OnceLock::new();
    static LITERAL: OnceLock<Regex> = OnceLock::new();
    if value.is_empty() || value.chars().count() > 320 {
        return false;
    }
    let Some((user, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let user_re = regex(
        &USER,
        r#"(?i)^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-\[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")$"#,
    );
    if !user_re.is_match(user) {
        return false;
    }
    if domain == "localhost" {
        return true;
    }
    let domain_re = regex(
        &DOMAIN,
        r"(?i)^(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}$",
    );
    let ascii_domain = if domain.is_ascii() {
        domain.to_string()
    } else {
        // An IDN passes when every label is letters/digits/hyphens; stand in ASCII for its
        // punycode form so the label rules still apply to length and hyphens.
        if !domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        {
            return false;
        }
        domain
            .chars()
            .map(|c| if c.is_ascii() { c } else { 'x' })
            .collect()
    };
    if domain_re.is_match(&ascii_domain) && !ascii_domain.ends_with('-') {
        return true;
    }
    let literal_re = regex(&LITERAL, r"(?i)^\[([A-F0-9:.]+)\]$");
    literal_re
        .captures(domain)
        .and_then(|c| c.get(1))
        .is_some_and(|ip| ip.as_str().parse::<std::net::IpAddr>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["alice", "a.b@c+d-e_f", "Zoë", "用户"] {
            assert!(valid_username(ok), "{ok}");
        }
        for bad in ["bad name!", "", "a/b", "a\n"] {
            assert!(!valid_username(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "a@example.com",
            "first.last+tag@sub.example.co",
            "x@localhost",
            "a@[127.0.0.1]",
            // Django's quoted-string allows a space only when escaped.
            "\"q\\ u\"@example.com",
            "a@bücher.de",
        ] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "not-an-email",
            "nope",
            "a@b",
            "a@-b.com",
            "a..b@example.com",
            "@example.com",
            "a@example.c",
            "a@[300.1.1.1]",
            "a b@example.com",
            "\"q u\"@example.com",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }
}
