//! Django's CommonPasswordValidator list: the gzip file Django ships, embedded
//! byte-for-byte and decompressed once on first use.

use std::collections::HashSet;
use std::io::Read;
use std::sync::OnceLock;

use flate2::read::MultiGzDecoder;

use super::pyunicode;

/// Django's `django/contrib/auth/common-passwords.txt.gz`, unmodified (see `data/README.md`).
static COMMON_PASSWORDS_GZ: &[u8] = include_bytes!("../../data/common-passwords.txt.gz");

static COMMON_PASSWORDS: OnceLock<HashSet<String>> = OnceLock::new();

/// The list as Django builds it: `{x.strip() for x in gzip.open(path, "rt", encoding="utf-8")}`.
pub(crate) fn common_passwords() -> &'static HashSet<String> {
    COMMON_PASSWORDS.get_or_init(|| {
        let mut text = String::new();
        // The bytes are compiled into the binary and the unit tests decode them, so
        // failure here means a corrupted build, not a runtime condition to handle.
        MultiGzDecoder::new(COMMON_PASSWORDS_GZ)
            .read_to_string(&mut text)
            .expect("embedded common-passwords.txt.gz is valid gzip-compressed UTF-8");
        parse_lines(&text)
    })
}

fn parse_lines(text: &str) -> HashSet<String> {
    if text.is_empty() {
        return HashSet::new();
    }
    // Python's text mode uses universal newlines ("\r\n" and "\r" become "\n") and
    // iteration yields no final empty line after a trailing newline.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let body = text.strip_suffix('\n').unwrap_or(&text);
    body.split('\n')
        .map(|line| pyunicode::strip(line).to_owned())
        .collect()
}

/// Django's check: `password.lower().strip() in self.passwords`.
pub(crate) fn is_common(password: &str) -> bool {
    let lowered = password.to_lowercase();
    common_passwords().contains(pyunicode::strip(&lowered))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_has_djangos_size() {
        // len(CommonPasswordValidator().passwords) on Django 5.2.
        assert_eq!(common_passwords().len(), 19_640);
        assert!(common_passwords().contains("friend of joan"));
        assert!(common_passwords().contains("\u{43f}\u{430}\u{440}\u{43e}\u{43b}\u{44c}"));
        assert!(!common_passwords().contains(""));
    }

    #[test]
    fn line_splitting_follows_python_text_mode() {
        let set = parse_lines("a\r\nb\rc\n d \n");
        let expected: HashSet<String> =
            ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        assert_eq!(set, expected);
        assert!(parse_lines("").is_empty());
        // A blank line in the middle is a (stripped, empty) entry in Python too.
        assert!(parse_lines("a\n\nb").contains(""));
    }
}
