//! Random strings in the style of Django's `get_random_string`, used for salts and
//! unusable-password markers.

/// Django's `RANDOM_STRING_CHARS`.
const RANDOM_STRING_CHARS: &[u8; 62] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Largest multiple of 62 that fits in a byte; bytes at or above it are rejected so
/// every character is equally likely (Django uses `secrets.choice`, which is uniform).
const REJECTION_BOUND: u8 = 248;

/// `len` characters drawn uniformly from `[A-Za-z0-9]` using the OS CSPRNG.
///
/// # Panics
/// If the operating system's random number generator fails. There is no safe
/// fallback: a predictable salt or unusable-password marker would be a vulnerability.
pub(crate) fn random_string(len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        getrandom::fill(&mut buf).expect("OS random number generator unavailable");
        for &byte in buf.iter().filter(|&&b| b < REJECTION_BOUND) {
            if out.len() == len {
                break;
            }
            out.push(char::from(RANDOM_STRING_CHARS[usize::from(byte % 62)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_string_has_requested_length_and_alphabet() {
        for len in [0, 1, 22, 40, 200] {
            let s = random_string(len);
            assert_eq!(s.len(), len);
            assert!(s.bytes().all(|b| b.is_ascii_alphanumeric()));
        }
        assert_ne!(random_string(40), random_string(40));
    }
}
