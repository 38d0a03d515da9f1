//! Django's UserAttributeSimilarityValidator: rejects passwords too close to the
//! user's username, names or email address, using difflib's `quick_ratio`.

use std::collections::HashMap;

use super::UserAttributes;
use super::pyunicode;

/// Django's default `max_similarity`.
const MAX_SIMILARITY: f64 = 0.7;

/// Returns the verbose name of the first attribute the password is too similar to,
/// checking attributes in Django's order (username, first_name, last_name, email).
pub(crate) fn too_similar_to(password: &str, user: &UserAttributes<'_>) -> Option<&'static str> {
    let password: Vec<char> = password.to_lowercase().chars().collect();
    // Verbose names are those of the fields on django.contrib.auth.models.User.
    let attributes = [
        (user.username, "username"),
        (user.first_name, "first name"),
        (user.last_name, "last name"),
        (user.email, "email address"),
    ];
    for (value, verbose_name) in attributes {
        if value.is_empty() {
            continue;
        }
        let value_lower = value.to_lowercase();
        let mut parts = pyunicode::split_non_word(&value_lower);
        parts.push(&value_lower);
        for part in parts {
            let part: Vec<char> = part.chars().collect();
            if exceeds_maximum_length_ratio(password.len(), part.len()) {
                continue;
            }
            if quick_ratio(&password, &part) >= MAX_SIMILARITY {
                return Some(verbose_name);
            }
        }
    }
    None
}

/// Django's `exceeds_maximum_length_ratio`: a value a tenth of the password's length or
/// shorter can never reach the similarity bound, so the comparison is skipped.
fn exceeds_maximum_length_ratio(password_len: usize, value_len: usize) -> bool {
    // Same float expression as Django (`max_similarity / 2 * pwd_len`) so the
    // boundary cases round identically.
    let length_bound_similarity = MAX_SIMILARITY / 2.0 * password_len as f64;
    password_len >= 10 * value_len && (value_len as f64) < length_bound_similarity
}

/// `difflib.SequenceMatcher(a=a, b=b).quick_ratio()`: twice the size of the multiset
/// intersection of characters over the total length (1.0 when both are empty).
fn quick_ratio(a: &[char], b: &[char]) -> f64 {
    let mut available: HashMap<char, usize> = HashMap::new();
    for &c in b {
        *available.entry(c).or_insert(0) += 1;
    }
    let mut matches = 0usize;
    for c in a {
        if let Some(count) = available.get_mut(c)
            && *count > 0
        {
            *count -= 1;
            matches += 1;
        }
    }
    let length = a.len() + b.len();
    if length == 0 {
        1.0
    } else {
        2.0 * matches as f64 / length as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn quick_ratio_matches_difflib() {
        // Expected values are Python's SequenceMatcher(a=..., b=...).quick_ratio().
        assert_eq!(quick_ratio(&chars(""), &chars("")), 1.0);
        assert_eq!(quick_ratio(&chars("abc"), &chars("")), 0.0);
        assert_eq!(quick_ratio(&chars("abcd"), &chars("bcde")), 0.75);
        assert_eq!(quick_ratio(&chars("aaab"), &chars("ab")), 2.0 * 2.0 / 6.0);
        assert_eq!(
            quick_ratio(&chars("A"), &chars(&"A".repeat(10))),
            0.18181818181818182
        );
    }

    #[test]
    fn length_ratio_skip_matches_django() {
        assert!(!exceeds_maximum_length_ratio(0, 0));
        assert!(exceeds_maximum_length_ratio(10, 1));
        assert!(exceeds_maximum_length_ratio(42, 0));
        assert!(!exceeds_maximum_length_ratio(9, 1));
        assert!(!exceeds_maximum_length_ratio(20, 3));
    }
}
