//! Password validation compared case by case against Django 5.2.
//!
//! Expected messages were produced by Django 5.2's
//! `django.contrib.auth.password_validation.validate_password` with the four default
//! AUTH_PASSWORD_VALIDATORS, passing an unsaved `django.contrib.auth.models.User` built
//! from the attributes shown (or `None`), on Python 3.11.

use portcullis_passwords::{UserAttributes, validate_password};

/// (password, user as [username, first_name, last_name, email], Django's messages)
type Case = (
    &'static str,
    Option<[&'static str; 4]>,
    &'static [&'static str],
);

const CASES: &[Case] = &[
    (
        "",
        None,
        &["This password is too short. It must contain at least 8 characters."],
    ),
    (
        "abc",
        None,
        &[
            "This password is too short. It must contain at least 8 characters.",
            "This password is too common.",
        ],
    ),
    ("password", None, &["This password is too common."]),
    (
        "12345678",
        None,
        &[
            "This password is too common.",
            "This password is entirely numeric.",
        ],
    ),
    ("86753091", None, &["This password is entirely numeric."]),
    (
        "123",
        None,
        &[
            "This password is too short. It must contain at least 8 characters.",
            "This password is too common.",
            "This password is entirely numeric.",
        ],
    ),
    (
        "alice_abc12345x",
        Some(["alice_abc12345", "", "", ""]),
        &["The password is too similar to the username."],
    ),
    (
        "zebracrossing77",
        Some(["zeb", "", "", "zebracrossing77@example.com"]),
        &["The password is too similar to the email address."],
    ),
    (
        "l\u{e8}tmein",
        None,
        &["This password is too short. It must contain at least 8 characters."],
    ),
    ("l\u{e8}tmein-l\u{e8}tmein", None, &[]),
    (
        "cdefgh12",
        Some(["qqqqqqqq\u{24b6}cdefgh", "", "", ""]),
        &["The password is too similar to the username."],
    ),
    (
        "cdefgh12",
        Some(["zzzzzzzz\u{93f}cdefgh", "", "", ""]),
        &["The password is too similar to the username."],
    ),
    (
        "cdefgh12",
        Some(["zzzzzzzz\u{301}cdefgh", "", "", ""]),
        &["The password is too similar to the username."],
    ),
    (
        "\u{661}\u{662}\u{663}\u{664}\u{665}\u{666}\u{667}\u{668}",
        None,
        &["This password is entirely numeric."],
    ),
    (
        "\u{b9}\u{b2}\u{b3}",
        None,
        &[
            "This password is too short. It must contain at least 8 characters.",
            "This password is entirely numeric.",
        ],
    ),
    (
        "\u{2460}\u{2461}\u{2462}\u{2463}\u{2464}\u{2465}\u{2466}\u{2467}",
        None,
        &["This password is entirely numeric."],
    ),
    (
        "\u{bd}\u{bd}\u{bd}\u{bd}\u{bd}\u{bd}\u{bd}\u{bd}",
        None,
        &[],
    ),
    (
        "\u{2167}\u{2167}\u{2167}\u{2167}\u{2167}\u{2167}\u{2167}\u{2167}",
        None,
        &[],
    ),
    ("  password  ", None, &["This password is too common."]),
    ("\u{9}qwerty\u{a}", None, &["This password is too common."]),
    (
        "\u{3000}dragon\u{3000}",
        None,
        &["This password is too common."],
    ),
    (
        "\u{1c}letmein\u{1f}",
        None,
        &["This password is too common."],
    ),
    (
        "\u{85}baseball\u{a0}",
        None,
        &["This password is too common."],
    ),
    ("\u{200b}password", None, &[]),
    ("PASSWORD", None, &["This password is too common."]),
    ("Tr0ub4dor&3", None, &[]),
    ("correct horse battery staple", None, &[]),
    (
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        None,
        &[],
    ),
    (
        "x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9",
        None,
        &[],
    ),
    (
        "\u{43f}\u{430}\u{440}\u{43e}\u{43b}\u{44c}",
        None,
        &[
            "This password is too short. It must contain at least 8 characters.",
            "This password is too common.",
        ],
    ),
    (
        "\u{41f}\u{410}\u{420}\u{41e}\u{41b}\u{42c}",
        None,
        &[
            "This password is too short. It must contain at least 8 characters.",
            "This password is too common.",
        ],
    ),
    ("\u{130}stanbul1", None, &[]),
    (
        "johnsmith1",
        Some(["jsmith", "John", "Smith", "js@example.org"]),
        &["The password is too similar to the username."],
    ),
    ("bobbobbob1", Some(["bob", "", "", ""]), &[]),
    (
        "wolfeschlegel1",
        Some(["xyz", "", "Wolfeschlegel", ""]),
        &["The password is too similar to the last name."],
    ),
    (
        "annamaria",
        Some(["u1", "Anna-Maria", "", ""]),
        &[
            "The password is too similar to the first name.",
            "This password is too common.",
        ],
    ),
    (
        "j\u{fc}rgenm\u{fc}ller!",
        Some(["J\u{fc}rgen.M\u{fc}ller", "", "", ""]),
        &["The password is too similar to the username."],
    ),
    (
        "\u{928}\u{92e}\u{938}\u{94d}\u{924}\u{947}123",
        Some(["\u{928}\u{92e}\u{938}\u{94d}\u{924}\u{947}", "", "", ""]),
        &["The password is too similar to the username."],
    ),
    (
        "xyz-\u{928}\u{92e}\u{938}\u{94d}\u{924}\u{947}-99",
        Some([
            "\u{928}\u{92e}\u{938}\u{94d}\u{924}\u{947}\u{915}\u{916}",
            "",
            "",
            "",
        ]),
        &[],
    ),
    (
        "",
        Some(["a-", "", "", ""]),
        &[
            "The password is too similar to the username.",
            "This password is too short. It must contain at least 8 characters.",
        ],
    ),
    (
        "",
        Some(["abc", "", "", ""]),
        &["This password is too short. It must contain at least 8 characters."],
    ),
    (
        "a",
        Some(["a", "", "", ""]),
        &[
            "The password is too similar to the username.",
            "This password is too short. It must contain at least 8 characters.",
            "This password is too common.",
        ],
    ),
    (
        "1234567",
        Some(["1234567", "", "", ""]),
        &[
            "The password is too similar to the username.",
            "This password is too short. It must contain at least 8 characters.",
            "This password is too common.",
            "This password is entirely numeric.",
        ],
    ),
    (
        "0000000000",
        None,
        &[
            "This password is too common.",
            "This password is entirely numeric.",
        ],
    ),
    ("        ", None, &[]),
    (
        "\u{1d7cf}\u{1d7d0}\u{1d7d1}\u{1d7d2}\u{1d7d3}\u{1d7d4}\u{1d7d5}\u{1d7d6}",
        None,
        &["This password is entirely numeric."],
    ),
    (
        "\u{661}\u{662}\u{663}",
        None,
        &[
            "This password is too short. It must contain at least 8 characters.",
            "This password is entirely numeric.",
        ],
    ),
    (
        "\u{ff21}\u{ff22}\u{ff23}",
        None,
        &["This password is too short. It must contain at least 8 characters."],
    ),
    (
        "\u{3a3}\u{391}\u{3a3}",
        None,
        &["This password is too short. It must contain at least 8 characters."],
    ),
    (
        "abcdefgh",
        Some(["ABCDEFGH", "", "", ""]),
        &[
            "The password is too similar to the username.",
            "This password is too common.",
        ],
    ),
    (
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        Some(["q", "", "", "a@b.co"]),
        &[],
    ),
    ("mysecretpassword", Some(["", "", "", ""]), &[]),
    ("fallen_angel", None, &["This password is too common."]),
    ("friend of joan", None, &["This password is too common."]),
    (" Friend Of Joan ", None, &["This password is too common."]),
    (
        "example.com",
        Some(["x", "", "", "person@example.com"]),
        &["The password is too similar to the email address."],
    ),
    (
        "personal99",
        Some(["x", "", "", "person@example.com"]),
        &["The password is too similar to the email address."],
    ),
    (
        "kwiatkowski",
        Some(["k.kwiatkowska", "", "", ""]),
        &["The password is too similar to the username."],
    ),
    (
        "ab\u{24b6}\u{24b7}cdefg",
        Some(["ab\u{24b6}\u{24b7}cd", "", "", ""]),
        &["The password is too similar to the username."],
    ),
    (
        "\u{661}\u{662}\u{663}\u{664}\u{665}\u{666}\u{667}\u{668}\u{669}",
        Some(["\u{661}\u{662}\u{663}\u{664}\u{665}", "", "", ""]),
        &[
            "The password is too similar to the username.",
            "This password is entirely numeric.",
        ],
    ),
];

#[test]
fn matches_django_validate_password() {
    let mut failures = Vec::new();
    for (password, user, expected) in CASES {
        let attributes = user.map(|[username, first_name, last_name, email]| UserAttributes {
            username,
            first_name,
            last_name,
            email,
        });
        let got = validate_password(password, attributes.as_ref());
        if got != *expected {
            failures.push(format!(
                "{password:?} {user:?}: got {got:?}, Django gave {expected:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
