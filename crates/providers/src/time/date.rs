//! One lenient date-time reader for every provider. The providers disagree on the details
//! (`Z` or an offset, 0 to 6 fractional digits, a date alone, sometimes no offset at all), and
//! the console must show the original offset, so the parsed value keeps it.

use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::civil::DateTime;

/// An instant as a provider reported it: the absolute time for sorting and filtering, plus the
/// offset it was written in for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instant {
    /// The absolute instant, which is what sorting and range filters compare.
    pub timestamp: Timestamp,
    /// The offset in the provider's text, in seconds east of UTC (0 when it gave none).
    pub offset_seconds: i32,
    /// True when the provider gave a date without a time, so display can omit the time.
    pub date_only: bool,
}

impl Instant {
    /// The instant as the provider's local wall-clock time, for display.
    pub fn local(&self) -> DateTime {
        self.timestamp.to_datetime(self.offset_seconds)
    }
}

impl PartialOrd for Instant {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Instant {
    /// Orders by the absolute instant; ties (same instant, other offset) by offset so that the
    /// order is total and sorting stays deterministic.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.timestamp
            .cmp(&other.timestamp)
            .then(self.offset_seconds.cmp(&other.offset_seconds))
    }
}

/// `timestamp` in UTC as `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339 without fraction), the form query
/// parameters take. Formatted by hand rather than with `strftime`, whose general machinery
/// costs the console tens of kilobytes of WebAssembly.
pub fn utc_rfc3339_seconds(timestamp: Timestamp) -> String {
    utc_to_the_second(timestamp, 'T', "Z")
}

/// `timestamp` in UTC as `YYYY-MM-DD HH:MM:SS UTC`, for messages people read.
pub fn utc_readable(timestamp: Timestamp) -> String {
    utc_to_the_second(timestamp, ' ', " UTC")
}

/// `YYYY-MM-DD`, `between`, `HH:MM:SS`, `suffix`: the one shape both UTC forms share.
fn utc_to_the_second(timestamp: Timestamp, between: char, suffix: &str) -> String {
    let t = timestamp.to_datetime(0);
    format!(
        "{:04}-{:02}-{:02}{between}{:02}:{:02}:{:02}{suffix}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The UTC calendar date of `timestamp`, `YYYY-MM-DD`.
pub fn utc_date(timestamp: Timestamp) -> String {
    let t = timestamp.to_datetime(0);
    format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day())
}

/// Reads an ISO 8601 / RFC 3339 date-time or date. Text without an offset is taken as UTC.
/// Anything it cannot read is `None`, never a panic: a bad date must not hide a user.
pub fn parse_instant(text: &str) -> Option<Instant> {
    let pieces = super::iso8601::parse(text.trim())?;
    let offset_seconds = pieces.offset.unwrap_or(0);
    let time = pieces.time.unwrap_or_default();
    let datetime = DateTime::from_parts(pieces.date, time);
    Some(Instant {
        timestamp: Timestamp::from_datetime(datetime, offset_seconds)?,
        offset_seconds,
        date_only: pieces.time.is_none(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_documented_form() {
        let cases = [
            ("2024-01-15T10:30:00Z", 1_705_314_600, 0, false),
            ("2021-11-16T21:00:00+00:00", 1_637_096_400, 0, false),
            (
                "2016-10-03T05:15:22.286+03:00",
                1_475_460_922,
                10_800,
                false,
            ),
            ("2023-01-01T00:00:00+01:00", 1_672_527_600, 3_600, false),
            ("2021-11-16T21:00:00.123456+00:00", 1_637_096_400, 0, false),
            ("2024-01-15T10:30:00", 1_705_314_600, 0, false),
            ("2024-01-15", 1_705_276_800, 0, true),
            ("2024-01-15T10:30:00+05:30", 1_705_294_800, 19_800, false),
            ("2024-01-15T10:30:00-08:00", 1_705_343_400, -28_800, false),
            ("2024-01-15t10:30:00.5z", 1_705_314_600, 0, false),
            ("2024-01-15 10:30:00.123456789Z", 1_705_314_600, 0, false),
            ("2024-02-29T00:00:00Z", 1_709_164_800, 0, false),
            ("  2024-01-15T10:30:00Z\n", 1_705_314_600, 0, false),
        ];
        for (text, seconds, offset, date_only) in cases {
            let parsed = parse_instant(text).unwrap_or_else(|| panic!("{text} should parse"));
            assert_eq!(parsed.timestamp.as_second(), seconds, "{text}");
            assert_eq!(parsed.offset_seconds, offset, "{text}");
            assert_eq!(parsed.date_only, date_only, "{text}");
        }
    }

    #[test]
    fn keeps_every_fractional_digit() {
        for (text, nanos) in [
            ("2024-01-15T10:30:00.1Z", 100_000_000),
            ("2024-01-15T10:30:00.12Z", 120_000_000),
            ("2024-01-15T10:30:00.123456Z", 123_456_000),
            ("2024-01-15T10:30:00,987654321Z", 987_654_321),
        ] {
            let parsed = parse_instant(text).unwrap_or_else(|| panic!("{text} should parse"));
            assert_eq!(parsed.timestamp.subsec_nanosecond(), nanos, "{text}");
        }
    }

    #[test]
    fn keeps_the_local_wall_clock() {
        let parsed = parse_instant("2016-10-03T05:15:22.286+03:00").expect("documented form");
        assert_eq!(parsed.local().to_string(), "2016-10-03T05:15:22.286");
        assert_eq!(parsed.timestamp.subsec_nanosecond(), 286_000_000);
    }

    #[test]
    fn formats_utc_by_hand() {
        let at = parse_instant("2016-10-03T05:15:22.286+03:00").expect("documented form");
        assert_eq!(utc_rfc3339_seconds(at.timestamp), "2016-10-03T02:15:22Z");
        assert_eq!(utc_readable(at.timestamp), "2016-10-03 02:15:22 UTC");
        assert_eq!(utc_date(at.timestamp), "2016-10-03");
    }

    #[test]
    fn rejects_placeholders_and_garbage() {
        for text in [
            "",
            "string | null",
            "2024-13-01",
            "yesterday",
            "2024-01-15T25:00:00Z",
            "2023-02-29",
            "2024-01-15T10:30:00+26:00",
            "2024-01-15T10:30:00Z trailing",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(parse_instant(text), None, "{text}");
        }
    }
}
