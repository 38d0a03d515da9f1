//! Dates and datetimes as DRF reads them. DRF's `DateField` and `DateTimeField` call Django's
//! `parse_date` / `parse_datetime`, which try Python's `fromisoformat` first and then Django's
//! own, more lenient patterns; what either accepts is accepted here, nothing else (no trimming:
//! `" 2025-01-31"` is refused by both). A time without an offset is in the server's zone, UTC.

use std::sync::LazyLock;

use regex::Regex;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

/// Django's `date_re`: one- or two-digit months and days.
static DJANGO_DATE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})$").ok());

/// Django's `datetime_re`.
static DJANGO_DATETIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})",
        r"(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?",
        r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
    ))
    .ok()
});

/// The time part of Python 3.11's `datetime.fromisoformat` (after the date and the separator):
/// `HH[:MM[:SS[.f…]]]` or the basic `HHMMSS`, then `Z` or `±HH[:MM[:SS]]`.
static ISO_TIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?",
        r"(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$"
    ))
    .ok()
});

fn number<T: std::str::FromStr>(text: Option<regex::Match<'_>>) -> Option<T> {
    text.map_or("0", |m| m.as_str()).parse().ok()
}

fn calendar(year: &str, month: &str, day: &str) -> Option<Date> {
    let year: i32 = year.parse().ok()?;
    // Python's dates start at year 1.
    if year < 1 {
        return None;
    }
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year, month, day.parse().ok()?).ok()
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// Python 3.11's `date.fromisoformat`: `YYYY-MM-DD`, `YYYYMMDD` and the week dates
/// `YYYY-Www[-D]` / `YYYYWww[D]`.
fn iso_date(text: &str) -> Option<Date> {
    if !text.is_ascii() {
        return None;
    }
    let b = text.as_bytes();
    match text.len() {
        10 if b[4] == b'-' && b[7] == b'-' && b[5] != b'W' => {
            let (y, m, d) = (&text[..4], &text[5..7], &text[8..]);
            (all_digits(y) && all_digits(m) && all_digits(d)).then(|| calendar(y, m, d))?
        }
        8 if all_digits(text) => calendar(&text[..4], &text[4..6], &text[6..]),
        _ => week_date(text),
    }
}

fn week_date(text: &str) -> Option<Date> {
    let (year, rest) = text.split_at_checked(4)?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let rest = rest.strip_prefix('W')?;
    let (week, day) = rest.split_at_checked(2)?;
    let day = day.strip_prefix('-').unwrap_or(day);
    if !all_digits(year) || !all_digits(week) || day.len() > 1 || !all_digits(day) {
        return None;
    }
    let weekday = match day {
        "" | "1" => Weekday::Monday,
        "2" => Weekday::Tuesday,
        "3" => Weekday::Wednesday,
        "4" => Weekday::Thursday,
        "5" => Weekday::Friday,
        "6" => Weekday::Saturday,
        "7" => Weekday::Sunday,
        _ => return None,
    };
    Date::from_iso_week_date(year.parse().ok()?, week.parse().ok()?, weekday).ok()
}

/// Django's `parse_date`.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    if let Some(date) = iso_date(text) {
        return Some(date);
    }
    let caps = DJANGO_DATE.as_ref()?.captures(text)?;
    calendar(&caps[1], &caps[2], &caps[3])
}

/// `Z`, `±HH`, `±HHMM`, `±HH:MM` (and `±HH:MM:SS`) as an offset. Python adds the parts up
/// (`+05:75` is `+06:15`) and refuses a total of a day or more; the time crate would take up to
/// ±25:59:59, and such an offset can push a date past year 9999.
fn offset(text: &str) -> Option<UtcOffset> {
    if text == "Z" {
        return Some(UtcOffset::UTC);
    }
    let negative = text.starts_with('-');
    let digits: String = text
        .get(1..)?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let part = |i: usize| {
        digits
            .get(i..i + 2)
            .map_or(Some(0), |p| p.parse::<i32>().ok())
    };
    let (h, m, s) = (part(0)?, part(2)?, part(4)?);
    let seconds = h * 3600 + m * 60 + s;
    if seconds >= 86_400 {
        return None;
    }
    UtcOffset::from_whole_seconds(if negative { -seconds } else { seconds }).ok()
}

/// Microseconds from a fraction's digits (beyond six are dropped, as Python does).
fn micros(fraction: Option<regex::Match<'_>>) -> Option<u32> {
    let digits = fraction.map_or("", |m| m.as_str());
    let six: String = digits
        .chars()
        .chain(std::iter::repeat('0'))
        .take(6)
        .collect();
    six.parse().ok()
}

/// Why a text is not a datetime DRF accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateTimeError {
    /// Neither parser reads it: DRF's "Datetime has wrong format."
    Format,
    /// A valid local time whose instant in UTC falls before year 1 or after 9999: Python's
    /// `astimezone` raises `OverflowError`, DRF's "Datetime value out of range."
    Overflow,
}

/// A date, a time and its offset, read but not yet converted.
type Parts = (Date, Time, UtcOffset);

/// The instant in UTC, checked: the time crate's `to_offset` panics past its range, and it
/// has a year 0 that Python does not.
fn in_utc((date, time, offset): Parts) -> Result<OffsetDateTime, DateTimeError> {
    PrimitiveDateTime::new(date, time)
        .assume_offset(offset)
        .checked_to_offset(UtcOffset::UTC)
        .filter(|utc| utc.year() >= 1)
        .ok_or(DateTimeError::Overflow)
}

/// Python 3.11's `datetime.fromisoformat`, for calendar dates: a date alone is midnight; a
/// date, any one separator character, then the time.
fn iso_datetime(text: &str) -> Option<Parts> {
    if let Some(date) = iso_date(text) {
        return Some((date, Time::MIDNIGHT, UtcOffset::UTC));
    }
    let date_len = if text.as_bytes().get(4) == Some(&b'-') {
        10
    } else {
        8
    };
    let date = iso_date(text.get(..date_len)?)?;
    let mut rest = text[date_len..].chars();
    rest.next()?;
    let caps = ISO_TIME.as_ref()?.captures(rest.as_str())?;
    let time = Time::from_hms_micro(
        number(caps.get(1))?,
        number(caps.get(2))?,
        number(caps.get(3))?,
        micros(caps.get(4))?,
    )
    .ok()?;
    let zone = caps
        .get(5)
        .map_or(Some(UtcOffset::UTC), |m| offset(m.as_str()))?;
    Some((date, time, zone))
}

/// Django's `parse_datetime`, in UTC. Python converts only once a parser has read the text, so
/// an overflow is never retried with the other parser.
pub(crate) fn parse_datetime(text: &str) -> Result<OffsetDateTime, DateTimeError> {
    let parts = iso_datetime(text)
        .or_else(|| django_datetime(text))
        .ok_or(DateTimeError::Format)?;
    in_utc(parts)
}

/// Django's own `datetime_re`, tried when `fromisoformat` refuses the text.
fn django_datetime(text: &str) -> Option<Parts> {
    let caps = DJANGO_DATETIME.as_ref()?.captures(text)?;
    let date = calendar(&caps[1], &caps[2], &caps[3])?;
    let time = Time::from_hms_micro(
        number(caps.get(4))?,
        number(caps.get(5))?,
        number(caps.get(6))?,
        micros(caps.get(7))?,
    )
    .ok()?;
    let zone = caps
        .get(8)
        .map_or(Some(UtcOffset::UTC), |m| offset(m.as_str()))?;
    Some((date, time, zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<String> {
        parse_date(text).map(|d| d.to_string())
    }

    fn datetime(text: &str) -> Option<String> {
        parse_datetime(text)
            .ok()
            .map(crate::store::timestamp::to_db)
    }

    #[test]
    fn dates_as_django_parses_them() {
        assert_eq!(date("2025-01-31").as_deref(), Some("2025-01-31"));
        assert_eq!(date("2025-1-5").as_deref(), Some("2025-01-05"));
        assert_eq!(date("20250131").as_deref(), Some("2025-01-31"));
        assert_eq!(date("2025-W05-1").as_deref(), Some("2025-01-27"));
        assert_eq!(date("2025W053").as_deref(), Some("2025-01-29"));
        for bad in [
            "2025-02-30",
            "31/01/2025",
            "2025-01-31T10:00:00Z",
            " 2025-01-31",
            "",
            "0000-01-01",
            "2025-001-01",
        ] {
            assert_eq!(date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn datetimes_as_django_parses_them() {
        let cases = [
            ("2025-01-31T12:00:00+02:00", "2025-01-31 10:00:00.000000"),
            ("2025-01-31 10:00", "2025-01-31 10:00:00.000000"),
            ("2025-01-31T10:00 ", "2025-01-31 10:00:00.000000"),
            ("2025-01-31t10:00", "2025-01-31 10:00:00.000000"),
            ("2025-01-31T10", "2025-01-31 10:00:00.000000"),
            ("2025-01-31T10:00:00.5Z", "2025-01-31 10:00:00.500000"),
            ("2025-01-31T10:00:00.1234567Z", "2025-01-31 10:00:00.123456"),
            ("2025-01-31T10:00+0530", "2025-01-31 04:30:00.000000"),
            ("2025-01-31T10:00+05", "2025-01-31 05:00:00.000000"),
            ("2025-01-31T23:30:00-01:00", "2025-02-01 00:30:00.000000"),
            ("20250131T101010", "2025-01-31 10:10:10.000000"),
            ("2025-1-5 9:07", "2025-01-05 09:07:00.000000"),
            ("2025-01-31", "2025-01-31 00:00:00.000000"),
        ];
        for (text, stored) in cases {
            assert_eq!(datetime(text).as_deref(), Some(stored), "{text:?}");
        }
        for bad in [
            "tomorrow",
            "2025-13-01T00:00",
            "31/01/2025 10:00",
            " 2025-01-31T10:00",
            "2025-01-31T25:00",
            "2025-01-31T10:00:60",
        ] {
            assert_eq!(datetime(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn offsets_add_up_as_python_and_stay_under_a_day() {
        assert_eq!(
            datetime("2025-01-31T10:00+05:75").as_deref(),
            Some("2025-01-31 03:45:00.000000")
        );
        assert_eq!(
            datetime("2025-01-31T10:00-23:59").as_deref(),
            Some("2025-02-01 09:59:00.000000")
        );
        for bad in [
            "2025-01-31T10:00-25:00",
            "2025-01-31T10:00+24:00",
            "2025-01-31T10:00+23:60",
            "2025-01-31T10:00-99:99",
        ] {
            assert_eq!(parse_datetime(bad), Err(DateTimeError::Format), "{bad:?}");
        }
    }

    #[test]
    fn instants_beyond_python_years_overflow() {
        for text in [
            "9999-12-31T23:59:59-23:59",
            "9999-12-31T23:59:59-01:00",
            "0001-01-01T00:00+01:00",
            "0001-01-01 00:00:00+00:01",
        ] {
            assert_eq!(
                parse_datetime(text),
                Err(DateTimeError::Overflow),
                "{text:?}"
            );
        }
        assert_eq!(
            datetime("9999-12-31T23:59:59.999999Z").as_deref(),
            Some("9999-12-31 23:59:59.999999")
        );
        assert_eq!(
            datetime("0001-01-01T00:00-01:00").as_deref(),
            Some("0001-01-01 01:00:00.000000")
        );
    }
}
