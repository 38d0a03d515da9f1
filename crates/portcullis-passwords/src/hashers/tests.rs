//! Unit tests for dispatch and the cheap rejection paths, run through
//! `verify_known` so that they skip the timing-equalising dummy hash.

use super::*;

#[test]
fn garbage_is_unverifiable() {
    let huge = "x".repeat(100_000);
    for bad in [
        "",
        "!",
        "!abc",
        "$",
        "$$$$",
        "argon2",
        "plaintext-password",
        "md5$salt$hash",
        "sha1$$0123456789012345678901234567890123456789",
        "5f4dcc3b5aa765d61d8327deb882cf99",
        "scrypt$16384$salt$8$5$hash",
        "unknown$1$2$3",
        "pbkdf2_sha256$1000000$",
        "pbkdf2_sha256$10000001$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=",
        "pbkdf2_sha256$4294967296$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=",
        "argon2$argon2id$v=19$m=1048577,t=2,p=1$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
        "argon2$argon2id$v=19$m=19456,t=65,p=1$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
        "argon2$argon2id$v=19$m=4294967295,t=4294967295,p=16777215$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
        // Rejected by argon2's own rules: m < 8p, t = 0, p = 0, salt < 8 bytes, hash < 4 bytes.
        "argon2$argon2id$v=19$m=8,t=1,p=2$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
        "argon2$argon2id$v=19$m=8,t=0,p=1$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
        "argon2$argon2id$v=19$m=8,t=1,p=0$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
        "argon2$argon2id$v=19$m=8,t=1,p=1$c2FsdA$YC9+jJCrQhs5R6db7LlN8Q",
        "argon2$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$YC8",
        "argon2$argon2id$v=19$m=8,t=1,p=1$$",
        "bcrypt_sha256$$2b$31$ujSOf2X1jRnNRqQSp80XeuC5Frwox7Sh.qAvo9gAbLvoaXOaX/1ie",
        "bcrypt_sha256$$2b$12$",
        &huge,
    ] {
        assert_eq!(
            verify_known("password", bad, &mut HashScratch::new()),
            None,
            "{bad:?}"
        );
    }
}

#[test]
fn algorithm_labels() {
    assert_eq!(
        algorithm_of("argon2$argon2id$v=19$m=19456,t=2,p=1$a$b"),
        Some("argon2")
    );
    assert_eq!(algorithm_of("pbkdf2_sha256$1$s$h"), Some("pbkdf2_sha256"));
    assert_eq!(algorithm_of("pbkdf2_sha1$1$s$h"), Some("pbkdf2_sha1"));
    assert_eq!(
        algorithm_of("bcrypt_sha256$$2b$12$x"),
        Some("bcrypt_sha256")
    );
    assert_eq!(algorithm_of("bcrypt$$2b$12$x"), Some("bcrypt"));
    for unknown in [
        "",
        "argon2",
        "md5$a$b",
        "!argon2$x",
        "scrypt$1$2$3$4$5",
        "Argon2$x",
    ] {
        assert_eq!(algorithm_of(unknown), None, "{unknown:?}");
    }
}

#[test]
fn usable_and_unusable() {
    let unusable = make_unusable_password();
    assert_eq!(unusable.len(), 41);
    assert!(unusable.starts_with('!'));
    assert!(unusable[1..].bytes().all(|b| b.is_ascii_alphanumeric()));
    assert!(!is_password_usable(&unusable));
    assert!(!is_password_usable("!"));
    assert!(is_password_usable(""));
    assert!(is_password_usable("pbkdf2_sha256$1$s$h"));
    assert_ne!(make_unusable_password(), unusable);
}

#[test]
fn verification_helper() {
    assert!(
        Verification::Valid {
            needs_upgrade: true
        }
        .is_valid()
    );
    assert!(
        Verification::Valid {
            needs_upgrade: false
        }
        .is_valid()
    );
    assert!(!Verification::Invalid.is_valid());
}
