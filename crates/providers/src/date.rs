//! One lenient date-time reader for every provider. The providers disagree on the details
//! (`Z` or an offset, 0 to 6 fractional digits, a date alone, sometimes no offset at all), and
//! the console must show the original offset, so the parsed value keeps it.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;
use serde::{Deserialize, Serialize};

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
        let offset = Offset::from_seconds(self.offset_seconds).unwrap_or(Offset::UTC);
        offset.to_datetime(self.timestamp)
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
    let t = Offset::UTC.to_datetime(timestamp);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `timestamp` in UTC as `YYYY-MM-DD HH:MM:SS UTC`, for messages people read.
pub fn utc_readable(timestamp: Timestamp) -> String {
    let t = Offset::UTC.to_datetime(timestamp);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
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
    let t = Offset::UTC.to_datetime(timestamp);
    format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day())
}

/// Reads an ISO 8601 / RFC 3339 date-time or date. Text without an offset is taken as UTC.
/// Anything it cannot read is `None`, never a panic: a bad date must not hide a user.
pub fn parse_instant(text: &str) -> Option<Instant> {
    let trimmed = text.trim();
    let pieces = Pieces::parse(trimmed).ok()?;
    let date_only = pieces.time().is_none();
    let datetime = pieces.date().to_datetime(pieces.time().unwrap_or_default());
    let offset = match pieces.offset() {
        Some(PiecesOffset::Numeric(numeric)) => numeric.offset(),
        Some(PiecesOffset::Zulu) | None => Offset::UTC,
        Some(_) => return None,
    };
    let timestamp = offset.to_timestamp(datetime).ok()?;
    Some(Instant {
        timestamp,
        offset_seconds: offset.seconds(),
        date_only,
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
        ];
        for (text, seconds, offset, date_only) in cases {
            let parsed = parse_instant(text).unwrap_or_else(|| panic!("{text} should parse"));
            assert_eq!(parsed.timestamp.as_second(), seconds, "{text}");
            assert_eq!(parsed.offset_seconds, offset, "{text}");
            assert_eq!(parsed.date_only, date_only, "{text}");
        }
    }

    #[test]
    fn keeps_the_local_wall_clock() {
        let parsed = parse_instant("2016-10-03T05:15:22.286+03:00").expect("documented form");
        assert_eq!(parsed.local().to_string(), "2016-10-03T05:15:22.286");
        assert_eq!(parsed.timestamp.subsec_millisecond(), 286);
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
        ] {
            assert_eq!(parse_instant(text), None, "{text}");
        }
    }
}
