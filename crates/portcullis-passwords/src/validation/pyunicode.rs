//! Python string semantics the validators depend on: `str.isdigit()`, `str.isspace()`
//! (and so `str.strip()`), and `re.split(r"\W+", ...)`.
//!
//! Django's validators are defined in terms of these Python built-ins, and Rust's
//! nearest equivalents disagree at the edges (`char::is_numeric` accepts fractions and
//! Roman numerals, `char::is_alphanumeric` accepts combining marks, `char::is_whitespace`
//! rejects the ASCII separators U+001C..U+001F). Matching them keeps our error messages
//! identical to Django's for the same input.

use super::unicode_tables::{NOT_PY_WORD, PY_DIGITS};

fn in_table(table: &[(char, char)], c: char) -> bool {
    // Tables are sorted and disjoint, so a binary search over range starts suffices.
    let idx = table.partition_point(|&(start, _)| start <= c);
    idx > 0 && c <= table[idx - 1].1
}

/// Python's `str.isdigit()` for one character.
///
/// Exact for every code point assigned in the Unicode version the table was generated
/// from (see `unicode_tables.rs`); digits added in later Unicode versions are not digits here.
pub(crate) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && in_table(PY_DIGITS, c))
}

/// Python's `str.isspace()` for one character.
///
/// Python counts every character with bidirectional class WS, B or S, or category Zs;
/// that is Rust's `White_Space` set plus the information separators U+001C..U+001F.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` with no arguments.
pub(crate) fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Whether Python's Unicode-aware regex class `\w` matches `c`.
pub(crate) fn is_word(c: char) -> bool {
    // Python's \w is `str.isalnum()` or '_'. Rust's is_alphanumeric() is a strict
    // superset of isalnum() (it adds Other_Alphabetic marks and symbols), so veto those.
    c == '_' || (c.is_alphanumeric() && (c.is_ascii() || !in_table(NOT_PY_WORD, c)))
}

/// Python's `re.split(r"\W+", s)`: the pieces between maximal runs of non-word
/// characters, with empty pieces at the ends when `s` starts or ends with a separator.
pub(crate) fn split_non_word(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_separator = false;
    for (i, c) in s.char_indices() {
        if is_word(c) {
            if in_separator {
                start = i;
                in_separator = false;
            }
        } else if !in_separator {
            parts.push(&s[start..i]);
            in_separator = true;
        }
    }
    parts.push(if in_separator { "" } else { &s[start..] });
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isdigit_matches_python() {
        // Expected values are Python 3.11's str.isdigit().
        for c in [
            '0',
            '9',
            '\u{661}',
            '\u{b2}',
            '\u{b9}',
            '\u{2460}',
            '\u{1d7cf}',
            '\u{ff11}',
        ] {
            assert!(is_digit(c), "{c:?} should be a digit");
        }
        for c in ['a', '\u{bd}', '\u{2167}', '\u{4e00}', ' ', '\u{2469}'] {
            assert!(!is_digit(c), "{c:?} should not be a digit");
        }
    }

    #[test]
    fn isspace_matches_python() {
        for c in [
            ' ', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1c}', '\u{1f}', '\u{85}', '\u{a0}',
            '\u{3000}',
        ] {
            assert!(is_space(c), "{c:?} should be space");
        }
        for c in ['\u{200b}', '\u{180e}', 'a', '\u{feff}'] {
            assert!(!is_space(c), "{c:?} should not be space");
        }
        assert_eq!(strip("\u{1c} \u{3000}abc d\u{85}\n"), "abc d");
    }

    #[test]
    fn split_matches_python_re_split() {
        // Expected values are Python 3.11's re.split(r"\W+", s).
        assert_eq!(split_non_word(""), vec![""]);
        assert_eq!(split_non_word("abc"), vec!["abc"]);
        assert_eq!(split_non_word("a-"), vec!["a", ""]);
        assert_eq!(split_non_word("-a"), vec!["", "a"]);
        assert_eq!(
            split_non_word("zebra.crossing77@example.com"),
            vec!["zebra", "crossing77", "example", "com"]
        );
        assert_eq!(split_non_word("foo_bar"), vec!["foo_bar"]);
        assert_eq!(
            split_non_word("j\u{fc}rgen.m\u{fc}ller"),
            vec!["j\u{fc}rgen", "m\u{fc}ller"]
        );
        // Combining marks are \W in Python even where Rust calls them alphabetic.
        assert_eq!(
            split_non_word("\u{928}\u{92e}\u{938}\u{94d}\u{924}\u{947}"),
            vec!["\u{928}\u{92e}\u{938}", "\u{924}", ""]
        );
        assert_eq!(split_non_word("ab\u{24b6}cd"), vec!["ab", "cd"]);
        assert_eq!(split_non_word("e\u{301}t\u{e9}"), vec!["e", "t\u{e9}"]);
    }
}
