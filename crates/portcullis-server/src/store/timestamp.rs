//! Timestamps: stored as Django stores them on SQLite (`2025-01-31 12:34:56.123456`, UTC) so the
//! tables stay readable by Django, rendered as DRF renders them (`2025-01-31T12:34:56.123456Z`).

use time::OffsetDateTime;
use time::macros::format_description;

/// Now, in the storage format.
pub(crate) fn now_db() -> String {
    to_db(OffsetDateTime::now_utc())
}

pub(crate) fn to_db(at: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]");
    at.format(&format).unwrap_or_default()
}

/// A stored timestamp read back (the fraction optional); `None` when it is no such text.
pub(crate) fn from_db(stored: &str) -> Option<OffsetDateTime> {
    let whole = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let (date_time, fraction) = stored.split_once('.').unwrap_or((stored, ""));
    let at = time::PrimitiveDateTime::parse(date_time, &whole).ok()?;
    let digits: String = fraction.chars().take(9).collect();
    let nanos: i64 = if digits.is_empty() {
        0
    } else {
        format!("{digits:0<9}").parse().ok()?
    };
    Some(at.assume_utc() + time::Duration::nanoseconds(nanos))
}

/// A stored timestamp in DRF's output format. DRF drops the fraction when it is zero
/// (`isoformat()` does), so `...:56Z` rather than `...:56.000000Z`.
pub(crate) fn to_drf(stored: &str) -> String {
    let (date_time, fraction) = stored.split_once('.').unwrap_or((stored, ""));
    // One allocation, sized up front: every timestamp of a list page comes through here.
    let mut out = String::with_capacity(stored.len() + 2);
    for (i, part) in date_time.split(' ').enumerate() {
        if i > 0 {
            out.push('T');
        }
        out.push_str(part);
    }
    if !fraction.bytes().all(|b| b == b'0') {
        out.push('.');
        out.push_str(fraction);
    }
    out.push('Z');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drf_format() {
        assert_eq!(
            to_drf("2025-01-31 12:34:56.123456"),
            "2025-01-31T12:34:56.123456Z"
        );
        assert_eq!(to_drf("2025-01-31 12:34:56.000000"), "2025-01-31T12:34:56Z");
        assert_eq!(to_drf("2025-01-31 12:34:56"), "2025-01-31T12:34:56Z");
        assert_eq!(
            to_drf("2025-01-31 12:34:56.120000"),
            "2025-01-31T12:34:56.120000Z"
        );
        assert_eq!(to_drf("2025-01-31T12:34:56.5"), "2025-01-31T12:34:56.5Z");
        assert_eq!(now_db().len(), "2025-01-31 12:34:56.123456".len());
        let stored = "2025-01-31 12:34:56.123456";
        assert_eq!(from_db(stored).map(to_db).as_deref(), Some(stored));
        assert_eq!(
            from_db("2025-01-31 12:34:56").map(to_db).as_deref(),
            Some("2025-01-31 12:34:56.000000")
        );
        assert_eq!(from_db("yesterday"), None);
    }
}
