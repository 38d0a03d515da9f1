//! Hashing compatibility tests against Django 5.2's real outputs.
//!
//! Every hash below was produced by Django 5.2's `django.contrib.auth.hashers.make_password`
//! (or the named hasher's `encode`) with argon2-cffi 25.1 and bcrypt 5.0, unless noted.
//! Work factors are Django's defaults where a test needs them and low otherwise, so the
//! debug-build test run stays short.

use portcullis_passwords::{
    HashScratch, Verification, algorithm_of, check_password, check_password_with, dummy_verify,
    dummy_verify_with, is_password_usable, make_password, make_password_with,
    make_unusable_password,
};

const UPGRADE: Verification = Verification::Valid {
    needs_upgrade: true,
};
const CURRENT: Verification = Verification::Valid {
    needs_upgrade: false,
};

/// Django's own test-suite vector (tests/auth_tests/test_hashers.py, `test_pbkdf2`):
/// `make_password("lètmein", "seasalt", "pbkdf2_sha256")` with 5.2's 1,000,000 iterations.
const DJANGO_PBKDF2_SHA256_PUBLISHED: &str =
    "pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=";

#[test]
fn pbkdf2_sha256_django_default_iterations() {
    assert_eq!(
        check_password("lètmein", DJANGO_PBKDF2_SHA256_PUBLISHED),
        UPGRADE
    );
    assert_eq!(
        check_password("letmein", DJANGO_PBKDF2_SHA256_PUBLISHED),
        Verification::Invalid
    );
}

#[test]
fn pbkdf2_sha256_low_iterations() {
    // PBKDF2PasswordHasher().encode(password, salt, iterations) with Django's random salts.
    let ascii =
        "pbkdf2_sha256$1000$3zsv45woSuUV47OowWf1Gn$HTTjhkrNu8/zT1WTixoaBxPqeA9Dxg1jGohSCgas9WE=";
    assert_eq!(check_password("correct horse", ascii), UPGRADE);
    assert_eq!(
        check_password("correct horse ", ascii),
        Verification::Invalid
    );
    assert_eq!(
        check_password("Correct horse", ascii),
        Verification::Invalid
    );
    let unicode =
        "pbkdf2_sha256$2000$tY7YrpB20XWPDQGsf9YFOU$s3JEv2D47pAgNeR43pCvQejha/rPdhq1t9XnvNu4O+U=";
    assert_eq!(check_password("пароль-密码", unicode), UPGRADE);
    assert_eq!(check_password("пароль-密", unicode), Verification::Invalid);
    // Any tampering with the encoding breaks it, as Django compares the whole string.
    assert_eq!(
        check_password("correct horse", &ascii.replace("$1000$", "$1001$")),
        Verification::Invalid
    );
    assert_eq!(
        check_password("correct horse", &ascii.replace("=", "")),
        Verification::Invalid
    );
}

#[test]
fn pbkdf2_sha1() {
    // PBKDF2SHA1PasswordHasher().encode("lètmein", "seasalt2"), Django's default iterations.
    let default = "pbkdf2_sha1$1000000$seasalt2$3R9hvSAiAy5ARspAFy5GJ/2rjXo=";
    assert_eq!(check_password("lètmein", default), UPGRADE);
    let low = "pbkdf2_sha1$1500$VWDtI6UFHrkwkMim2ynD3o$wp6TxQTyuSakb83g4Az5xuOdwcw=";
    assert_eq!(check_password("hunter2", low), UPGRADE);
    assert_eq!(check_password("hunter3", low), Verification::Invalid);
}

#[test]
fn argon2_django_default_parameters() {
    // make_password("lètmein", None, "argon2"): Django's m=102400, t=2, p=8.
    let encoded = "argon2$argon2id$v=19$m=102400,t=2,p=8$WHhDUm1IaTVMVXc1N29FRnZaaFl4dQ$8SDoXTYIUpn39igGWIWhjBuK+NXGjLsZb5mVFD8zClY";
    assert_eq!(check_password("lètmein", encoded), UPGRADE);
    assert_eq!(check_password("letmein", encoded), Verification::Invalid);
}

#[test]
fn argon2_legacy_argon2i() {
    // Django 1.10-era parameters (argon2i, m=512, t=2, p=2, 16-byte hash), written
    // through argon2-cffi exactly as Django's encode does.
    let v19 =
        "argon2$argon2i$v=19$m=512,t=2,p=2$aHFuUlFiNHNxS202SVI4M2ExanQybg$5K5gTp9A08DEykmFLchLJg";
    assert_eq!(check_password("secret", v19), UPGRADE);
    assert_eq!(check_password("Secret", v19), Verification::Invalid);
    // Django's test-suite vector for hashes without a version field (argon2 1.0).
    let no_version = "argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$gwQOXSNhxiOxPOA0+PY10P9QFO4NAYysnqRt1GSQLE55m+2GYDt9FEjPMHhP2Cuf0nOEXXMocVrsJAtNSsKyfg";
    assert_eq!(check_password("secret", no_version), UPGRADE);
    assert_eq!(check_password("wrong", no_version), Verification::Invalid);
}

#[test]
fn argon2_our_hash_accepted_by_django() {
    // Produced by our make_password, then checked in Django 5.2: check_password returned
    // True, and Argon2PasswordHasher.encode with the same salt and m=19456,t=2,p=1
    // reproduced this exact string.
    let ours = "argon2$argon2id$v=19$m=19456,t=2,p=1$TUI3YXNCTGUxbThDcGJMbW10eUx0RA$yALlqEpl85gle3nyW0+OLpc9KoOsCYAfO+ZiyndZvOg";
    assert_eq!(check_password("lètmein", ours), CURRENT);
}

#[test]
fn argon2_round_trip_and_format() {
    let encoded = make_password("correct horse battery staple");
    let fields: Vec<&str> = encoded.split('$').collect();
    assert_eq!(
        fields[..4],
        ["argon2", "argon2id", "v=19", "m=19456,t=2,p=1"]
    );
    assert_eq!(fields.len(), 6);
    // 22 salt characters -> 30 base64 chars; 32-byte hash -> 43 chars; no padding.
    assert_eq!(fields[4].len(), 30);
    assert_eq!(fields[5].len(), 43);
    assert!(!fields[4].contains('=') && !fields[5].contains('='));
    assert_eq!(algorithm_of(&encoded), Some("argon2"));
    assert_eq!(
        check_password("correct horse battery staple", &encoded),
        CURRENT
    );
    assert_eq!(
        check_password("correct horse battery stapl", &encoded),
        Verification::Invalid
    );
    assert_ne!(make_password(""), make_password(""), "salts must differ");
}

#[test]
fn bcrypt_sha256() {
    // make_password("lètmein", None, "bcrypt_sha256"): Django's default 12 rounds.
    let default = "bcrypt_sha256$$2b$12$ujSOf2X1jRnNRqQSp80XeuC5Frwox7Sh.qAvo9gAbLvoaXOaX/1ie";
    assert_eq!(check_password("lètmein", default), UPGRADE);
    // make_password(password, bcrypt.gensalt(rounds[, prefix]), "bcrypt_sha256").
    let low = "bcrypt_sha256$$2b$05$ElwTUQhoFSiy93FKoabcEulU7KwOegU90aaXrxaM5D0APZYeTEcVe";
    assert_eq!(check_password("lètmein", low), UPGRADE);
    assert_eq!(check_password("letmein", low), Verification::Invalid);
    // Pre-hashing means a 100-byte password is not truncated.
    let long = "bcrypt_sha256$$2b$04$CUF5cx.FhgY6scSMlz25hOMnNhZh8hxYOqg5YRkQ7P/H230RlwiAa";
    assert_eq!(check_password(&"x".repeat(100), long), UPGRADE);
    assert_eq!(check_password(&"x".repeat(99), long), Verification::Invalid);
    assert_eq!(
        check_password(&"x".repeat(101), long),
        Verification::Invalid
    );
    let prefix_2a = "bcrypt_sha256$$2a$04$FD7PDwzZ1mvzGuv4t4f7Mec.UxphrIGPPKXZ9otxHCFy/Cd/u1ksy";
    assert_eq!(check_password("hunter2", prefix_2a), UPGRADE);
    // $2a$ and $2b$ agree for short passwords, so Django accepts the relabelled hash too.
    assert_eq!(
        check_password("hunter2", &prefix_2a.replace("$2a$", "$2b$")),
        UPGRADE
    );
    assert_eq!(
        check_password("hunter2", &prefix_2a.replace("$04$", "$05$")),
        Verification::Invalid
    );
}

#[test]
fn bcrypt_plain() {
    // make_password("correct horse", None, "bcrypt"): Django's default 12 rounds.
    let default = "bcrypt$$2b$12$fXkiXq2fSVMFzAg4kZUwv.N7xfbEClw4RY3fzEcFHtW5UjUl4m0ES";
    assert_eq!(check_password("correct horse", default), UPGRADE);
    let low = "bcrypt$$2b$05$hu4Kbezskjum4NNM3vEo0Ou6IEARcjYkHBzec/I5wZXSHaNYMdh12";
    assert_eq!(check_password("lètmein", low), UPGRADE);
    assert_eq!(check_password("lètmeinn", low), Verification::Invalid);
    let prefix_2a = "bcrypt$$2a$04$OKZYYRBJZ/M4t0F9Bwd5vuIq9NKuTjK5LMdWLwRPfRw18ZOIMsqvi";
    assert_eq!(check_password("hunter2", prefix_2a), UPGRADE);
    // A bcrypt_sha256 hash relabelled as plain bcrypt must not verify.
    let relabelled = "bcrypt$$2b$05$ElwTUQhoFSiy93FKoabcEulU7KwOegU90aaXrxaM5D0APZYeTEcVe";
    assert_eq!(check_password("lètmein", relabelled), Verification::Invalid);
}

#[test]
fn unusable_garbage_and_costly_encodings_are_invalid() {
    let unusable = make_unusable_password();
    assert!(!is_password_usable(&unusable));
    for encoded in [
        unusable.as_str(),
        "!",
        "",
        "garbage",
        "argon2$argon2id$v=19$m=1048577,t=2,p=1$c29tZXNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
        "pbkdf2_sha256$2000000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=",
    ] {
        assert_eq!(
            check_password("password", encoded),
            Verification::Invalid,
            "{encoded:?}"
        );
    }
    // Unusable passwords never match, even the literal suffix.
    assert_eq!(
        check_password(&unusable[1..], &unusable),
        Verification::Invalid
    );
}

#[test]
fn dummy_verify_runs() {
    dummy_verify("anything");
    dummy_verify("");
}

#[test]
fn one_scratch_serves_every_hash_and_stays_bounded() {
    // One scratch, as a hashing worker keeps it, dirtied by each hash before the next: every
    // result must be the one Django computes (the vectors above), whatever was left in it.
    let mut scratch = HashScratch::new();
    assert_eq!(
        scratch.allocated_bytes(),
        0,
        "nothing before the first hash"
    );
    let ours = "argon2$argon2id$v=19$m=19456,t=2,p=1$TUI3YXNCTGUxbThDcGJMbW10eUx0RA$yALlqEpl85gle3nyW0+OLpc9KoOsCYAfO+ZiyndZvOg";
    let legacy =
        "argon2$argon2i$v=19$m=512,t=2,p=2$aHFuUlFiNHNxS202SVI4M2ExanQybg$5K5gTp9A08DEykmFLchLJg";
    let django_default = "argon2$argon2id$v=19$m=102400,t=2,p=8$WHhDUm1IaTVMVXc1N29FRnZaaFl4dQ$8SDoXTYIUpn39igGWIWhjBuK+NXGjLsZb5mVFD8zClY";
    let pbkdf2 =
        "pbkdf2_sha256$1000$3zsv45woSuUV47OowWf1Gn$HTTjhkrNu8/zT1WTixoaBxPqeA9Dxg1jGohSCgas9WE=";
    let bcrypt = "bcrypt_sha256$$2b$04$CUF5cx.FhgY6scSMlz25hOMnNhZh8hxYOqg5YRkQ7P/H230RlwiAa";
    for _ in 0..2 {
        assert_eq!(
            check_password_with("wrong", ours, &mut scratch),
            Verification::Invalid
        );
        assert_eq!(check_password_with("lètmein", ours, &mut scratch), CURRENT);
        assert_eq!(check_password_with("secret", legacy, &mut scratch), UPGRADE);
        assert_eq!(check_password_with("lètmein", ours, &mut scratch), CURRENT);
        assert_eq!(
            check_password_with("lètmein", django_default, &mut scratch),
            UPGRADE
        );
        assert_eq!(
            check_password_with("correct horse", pbkdf2, &mut scratch),
            UPGRADE
        );
        assert_eq!(
            check_password_with("x", "garbage", &mut scratch),
            Verification::Invalid
        );
        assert_eq!(
            check_password_with(&"x".repeat(100), bcrypt, &mut scratch),
            UPGRADE
        );
        dummy_verify_with("anything", &mut scratch);
    }
    let made = make_password_with("correct horse battery staple", &mut scratch);
    assert_eq!(
        check_password("correct horse battery staple", &made),
        CURRENT
    );
    assert_eq!(
        check_password_with("correct horse battery staple", &made, &mut scratch),
        CURRENT
    );
    // The kept memory is what our own parameters need (19 MiB), never the 100 MiB of the
    // Django-default hash it verified.
    assert_eq!(scratch.allocated_bytes(), 19_456 * 1024);
}
