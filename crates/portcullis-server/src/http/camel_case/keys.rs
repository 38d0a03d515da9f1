//! One key at a time, as djangorestframework-camel-case 1.4.2 rewrites it (`util.py`):
//! [`camelize`] is its `re.sub(r"[a-z0-9]?_[a-z0-9]", ...)` and [`underscoreize`] its
//! `camel_to_underscore`. Python's `re` has lookarounds that the `regex` crate lacks, so both
//! are written out as the backtracking matcher would run them; the unit tests hold cases taken
//! from the package itself.

use std::borrow::Cow;

fn lower_or_digit(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// The package's `camelize` of one key: `created_at` → `createdAt`, `_private` → `Private`,
/// `a_1` → `a1`. Only an ASCII lowercase letter or digit after an underscore is taken (so
/// `a__b` → `a_B` and `a_B` stays), and a key without `_` is returned as it is.
pub(crate) fn camelize(key: &str) -> Cow<'_, str> {
    if !key.contains('_') {
        return Cow::Borrowed(key);
    }
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(key.len());
    let mut i = 0;
    while i < chars.len() {
        let at = |j: usize| chars.get(j).copied();
        // `[a-z0-9]?_[a-z0-9]`: the optional character first (greedy), then without it.
        if at(i).is_some_and(lower_or_digit)
            && at(i + 1) == Some('_')
            && at(i + 2).is_some_and(lower_or_digit)
        {
            out.push(chars[i]);
            out.push(chars[i + 2].to_ascii_uppercase());
            i += 3;
        } else if at(i) == Some('_') && at(i + 1).is_some_and(lower_or_digit) {
            out.push(chars[i + 1].to_ascii_uppercase());
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    Cow::Owned(out)
}

/// The package's `camel_to_underscore`: an underscore where its pattern matches, then the
/// whole key lowercased (`isPublic` → `is_public`, `HTTPResponse` → `http_response`,
/// `field1` → `field_1`, `Title` → `title`). `no_underscore_before_number` is its
/// `JSON_UNDERSCOREIZE` option of that name (`field1` stays `field1`).
pub(crate) fn underscoreize(key: &str, no_underscore_before_number: bool) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(key.len() + 4);
    let mut start = 0;
    let mut last = 0;
    while start < chars.len() {
        let found = if no_underscore_before_number {
            match_letters_only(&chars, start)
        } else {
            match_default(&chars, start)
        };
        match found {
            Some((split, end)) => {
                out.extend(&chars[last..split]);
                out.push('_');
                out.extend(&chars[split..end]);
                last = end;
                start = end;
            }
            None => start += 1,
        }
    }
    out.extend(&chars[last..]);
    out.to_lowercase()
}

/// Python's `$` without MULTILINE: the end, or just before a final newline.
fn at_end(c: &[char], i: usize) -> bool {
    i == c.len() || (i + 1 == c.len() && c[i] == '\n')
}

fn is(c: &[char], i: usize, class: fn(&char) -> bool) -> bool {
    c.get(i).is_some_and(class)
}

/// The default pattern, tried at `s`:
/// `([a-z0-9]|[A-Z]?(?=[A-Z0-9](?=[a-z0-9]|(?<![A-Z])$)))`
/// `([A-Z]|(?<=[a-z])[0-9](?=[0-9A-Z]|$)|(?<=[A-Z])[0-9](?=[0-9]|$))`.
/// Returns where group 2 starts (the underscore goes there) and where the match ends.
fn match_default(c: &[char], s: usize) -> Option<(usize, usize)> {
    let lookahead = |p: usize| {
        is(c, p, |ch| ch.is_ascii_uppercase() || ch.is_ascii_digit())
            && (is(c, p + 1, |ch| lower_or_digit(*ch))
                || (at_end(c, p + 1) && !c[p].is_ascii_uppercase()))
    };
    let group2 = |p: usize| {
        let Some(&ch) = c.get(p) else { return false };
        if ch.is_ascii_uppercase() {
            return true;
        }
        if !ch.is_ascii_digit() || p == 0 {
            return false;
        }
        let before = c[p - 1];
        (before.is_ascii_lowercase()
            && (is(c, p + 1, |n| n.is_ascii_digit() || n.is_ascii_uppercase()) || at_end(c, p + 1)))
            || (before.is_ascii_uppercase()
                && (is(c, p + 1, char::is_ascii_digit) || at_end(c, p + 1)))
    };
    first_match(c, s, lookahead, group2)
}

/// The pattern with `no_underscore_before_number`:
/// `([a-z0-9]|[A-Z]?(?=[A-Z](?=[a-z])))([A-Z])`.
fn match_letters_only(c: &[char], s: usize) -> Option<(usize, usize)> {
    let lookahead =
        |p: usize| is(c, p, char::is_ascii_uppercase) && is(c, p + 1, char::is_ascii_lowercase);
    let group2 = |p: usize| is(c, p, char::is_ascii_uppercase);
    first_match(c, s, lookahead, group2)
}

/// Group 1's alternatives in the order Python's backtracking tries them: one lowercase letter
/// or digit; else an uppercase letter then the lookahead; else nothing then the lookahead.
fn first_match(
    c: &[char],
    s: usize,
    lookahead: impl Fn(usize) -> bool,
    group2: impl Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    if is(c, s, |ch| lower_or_digit(*ch)) && group2(s + 1) {
        return Some((s + 1, s + 2));
    }
    if is(c, s, char::is_ascii_uppercase) && lookahead(s + 1) && group2(s + 1) {
        return Some((s + 1, s + 2));
    }
    if lookahead(s) && group2(s) {
        return Some((s, s + 1));
    }
    None
}
