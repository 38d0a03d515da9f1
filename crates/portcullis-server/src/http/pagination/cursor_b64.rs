//! Python's `base64.b64decode(s)` without `validate=True`, as DRF decodes a cursor: characters
//! outside the alphabet are skipped rather than refused (so a `+` that a client sent unescaped,
//! which arrives as a space, is dropped), and decoding stops at the first complete padding.

/// CPython's `binascii.a2b_base64` in its non-strict mode. `None` where Python raises
/// `binascii.Error` ("Incorrect padding", or one data character too many).
pub(super) fn python_b64decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut quad_pos = 0u8;
    let mut left = 0u8;
    let mut pads = 0u8;
    for byte in text.bytes() {
        if byte == b'=' {
            // A pad only ends the input once it completes a quad begun with two or more
            // characters; any other `=` is skipped.
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos + pads >= 4 {
                    return Some(out);
                }
            }
            continue;
        }
        let Some(value) = sextet(byte) else {
            continue;
        };
        pads = 0;
        match quad_pos {
            0 => {
                left = value;
                quad_pos = 1;
            }
            1 => {
                out.push((left << 2) | (value >> 4));
                left = value & 0x0f;
                quad_pos = 2;
            }
            2 => {
                out.push((left << 4) | (value >> 2));
                left = value & 0x03;
                quad_pos = 3;
            }
            _ => {
                out.push((left << 6) | value);
                left = 0;
                quad_pos = 0;
            }
        }
    }
    (quad_pos == 0).then_some(out)
}

fn sextet(byte: u8) -> Option<u8> {
    Some(match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each case checked against CPython 3.11's `base64.b64decode`.
    #[test]
    fn decodes_as_python_does() {
        let ok: &[(&str, &[u8])] = &[
            ("YWJj", b"abc"),
            ("YW=Jj", b"abc"),
            ("YWI=Yw", b"ab"),
            ("YQ==x", b"a"),
            ("YWJj=", b"abc"),
            ("YW Jj", b"abc"),
            ("YW$Jj", b"abc"),
            ("=YWJj", b"abc"),
            ("YQ=Y=", b"a\x06"),
            ("YQ===", b"a"),
            ("", b""),
        ];
        for (text, bytes) in ok {
            assert_eq!(python_b64decode(text).as_deref(), Some(*bytes), "{text}");
        }
        for bad in ["YQ", "YQ=", "Y"] {
            assert_eq!(python_b64decode(bad), None, "{bad}");
        }
    }
}
