//! Instants on the UTC time line, without a date-time library: the console only compares,
//! shifts by whole seconds and prints them, and a general library cost its WebAssembly tens of
//! kilobytes of parsers, time-zone machinery and error text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use super::civil::DateTime;

const NANOS_PER_SECOND: u32 = 1_000_000_000;

/// The most an offset can shift a wall clock, ±25:59:59, as RFC 9557 and jiff allow.
pub(crate) const MAX_OFFSET_SECONDS: i32 = 93_599;

/// An instant, to the nanosecond. Kept as whole seconds since the Unix epoch (rounded down) and
/// the nanoseconds past that second, so that the derived order is the order in time.
///
/// The range is jiff's: from -9999-01-01 to 9999-12-31 in every offset, so any instant a
/// provider can write converts to and from its wall clock without overflow, and arithmetic on
/// provider input reports `None` instead of panicking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    second: i64,
    nanosecond: u32,
}

impl Timestamp {
    /// The earliest instant: when the clock furthest west (-25:59:59) reads -9999-01-01T00:00:00,
    /// so that every offset's wall clock is still on the calendar.
    pub const MIN: Timestamp = Timestamp {
        second: -377_705_116_800 + MAX_OFFSET_SECONDS as i64,
        nanosecond: 0,
    };

    /// The latest instant: when the clock furthest east (+25:59:59) reads
    /// 9999-12-31T23:59:59.999999999, so that every offset's wall clock is still on the calendar.
    pub const MAX: Timestamp = Timestamp {
        second: 253_402_300_799 - MAX_OFFSET_SECONDS as i64,
        nanosecond: NANOS_PER_SECOND - 1,
    };

    /// 1970-01-01T00:00:00Z, the fallback when a clock reading is unusable.
    pub const UNIX_EPOCH: Timestamp = Timestamp {
        second: 0,
        nanosecond: 0,
    };

    /// The instant from Unix seconds and nanoseconds past them; `None` outside the range. The
    /// one checked constructor, so no other can produce an out-of-range value.
    fn new(second: i64, nanosecond: u32) -> Option<Timestamp> {
        let in_range = (Self::MIN.second..=Self::MAX.second).contains(&second);
        (in_range && nanosecond < NANOS_PER_SECOND).then_some(Timestamp { second, nanosecond })
    }

    /// From Unix seconds, as JWT `exp` claims and epoch headers give them.
    pub fn from_second(second: i64) -> Option<Timestamp> {
        Timestamp::new(second, 0)
    }

    /// From Unix milliseconds, as the browser's clock gives them.
    pub fn from_millisecond(millisecond: i64) -> Option<Timestamp> {
        Timestamp::from_nanosecond(i128::from(millisecond) * 1_000_000)
    }

    /// From Unix microseconds, the precision some providers print.
    pub fn from_microsecond(microsecond: i64) -> Option<Timestamp> {
        Timestamp::from_nanosecond(i128::from(microsecond) * 1_000)
    }

    /// From Unix nanoseconds, the inverse of [`Timestamp::as_nanosecond`], for truncating to a
    /// printed precision.
    pub fn from_nanosecond(nanosecond: i128) -> Option<Timestamp> {
        let per_second = i128::from(NANOS_PER_SECOND);
        let second = i64::try_from(nanosecond.div_euclid(per_second)).ok()?;
        Timestamp::new(second, nanosecond.rem_euclid(per_second) as u32)
    }

    /// Whole Unix seconds, rounded down (towards the past, also before 1970).
    pub fn as_second(self) -> i64 {
        self.second
    }

    /// Whole Unix microseconds, rounded down: the precision the simulators generate at.
    pub fn as_microsecond(self) -> i64 {
        // In range, microseconds need under 60 bits.
        self.as_nanosecond().div_euclid(1_000) as i64
    }

    /// Unix nanoseconds, exact: an order-preserving number for sort codes.
    pub fn as_nanosecond(self) -> i128 {
        i128::from(self.second) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanosecond)
    }

    /// Nanoseconds past [`Timestamp::as_second`], 0 to 999 999 999.
    pub fn subsec_nanosecond(self) -> u32 {
        self.nanosecond
    }

    /// The instant `seconds` later (earlier when negative); `None` past the range, since the
    /// count may come from a provider's header.
    pub fn checked_add_seconds(self, seconds: i64) -> Option<Timestamp> {
        Timestamp::new(self.second.checked_add(seconds)?, self.nanosecond)
    }

    /// The wall-clock reading at `offset_seconds` east of UTC. Offsets beyond ±25:59:59 read as
    /// UTC, as jiff's `Offset` refused them, so a bogus offset cannot push the date past the
    /// calendar's range.
    pub fn to_datetime(self, offset_seconds: i32) -> DateTime {
        let offset = if (-MAX_OFFSET_SECONDS..=MAX_OFFSET_SECONDS).contains(&offset_seconds) {
            offset_seconds
        } else {
            0
        };
        DateTime::from_unix_seconds(self.second + i64::from(offset), self.nanosecond)
    }

    /// The instant at which the wall clock at `offset_seconds` reads `datetime`; `None` when it
    /// falls outside the range.
    pub(crate) fn from_datetime(datetime: DateTime, offset_seconds: i32) -> Option<Timestamp> {
        let second = datetime.unix_seconds() - i64::from(offset_seconds);
        Timestamp::new(second, datetime.subsec_nanosecond())
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with `Z`, the fraction only when there is one (`2016-10-03T02:15:22.286Z`):
    /// the form jiff printed, which URLs and `<time datetime>` attributes already hold.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Z", self.to_datetime(0))
    }
}

/// Why text is not a timestamp or a date: the one thing callers need to know is that it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseError;

impl fmt::Display for ParseError {
    /// A short sentence, as serde wraps it into its own error message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an ISO 8601 date, or an RFC 3339 timestamp with a time and an offset")
    }
}

impl std::error::Error for ParseError {}

impl FromStr for Timestamp {
    type Err = ParseError;

    /// Reads what [`Display`](fmt::Display) prints, and any RFC 3339 timestamp: unlike the
    /// lenient [`parse_instant`](super::date::parse_instant), a time and an offset are
    /// required, since without them the text does not name one instant.
    fn from_str(text: &str) -> Result<Timestamp, ParseError> {
        let pieces = super::iso8601::parse(text).ok_or(ParseError)?;
        let (Some(time), Some(offset)) = (pieces.time, pieces.offset) else {
            return Err(ParseError);
        };
        Timestamp::from_datetime(DateTime::from_parts(pieces.date, time), offset).ok_or(ParseError)
    }
}

impl Serialize for Timestamp {
    /// As the RFC 3339 string [`Display`](fmt::Display) prints, the wire form jiff used.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    /// From the RFC 3339 string that serialization writes.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp string")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_jiffs_range() {
        assert_eq!(Timestamp::MIN.to_string(), "-009999-01-02T01:59:59Z");
        assert_eq!(Timestamp::MAX.to_string(), "9999-12-30T22:00:00.999999999Z");
        assert_eq!(Timestamp::from_second(Timestamp::MIN.as_second() - 1), None);
        assert_eq!(Timestamp::from_second(Timestamp::MAX.as_second() + 1), None);
        assert_eq!(Timestamp::MAX.checked_add_seconds(1), None);
        assert_eq!(Timestamp::MIN.checked_add_seconds(-1), None);
        assert_eq!(Timestamp::MIN.checked_add_seconds(i64::MIN), None);
        assert_eq!(Timestamp::UNIX_EPOCH.checked_add_seconds(i64::MAX), None);
        assert_eq!(Timestamp::from_millisecond(i64::MAX), None);
        assert_eq!(Timestamp::from_nanosecond(i128::MIN), None);
    }

    #[test]
    fn rounds_down_before_the_epoch() {
        let before = Timestamp::from_millisecond(-1_500).expect("in range");
        assert_eq!(before.as_second(), -2);
        assert_eq!(before.subsec_nanosecond(), 500_000_000);
        assert_eq!(before.as_nanosecond(), -1_500_000_000);
        assert_eq!(before.as_microsecond(), -1_500_000);
        assert_eq!(before.to_string(), "1969-12-31T23:59:58.5Z");
        assert!(before < Timestamp::UNIX_EPOCH);
        assert_eq!(
            Timestamp::from_nanosecond(before.as_nanosecond()),
            Some(before)
        );
    }

    #[test]
    fn shifts_to_the_wall_clock() {
        let at = Timestamp::from_microsecond(1_475_460_922_286_123).expect("in range");
        assert_eq!(at.to_string(), "2016-10-03T02:15:22.286123Z");
        assert_eq!(
            at.to_datetime(10_800).to_string(),
            "2016-10-03T05:15:22.286123"
        );
        assert_eq!(
            at.to_datetime(-16_200).to_string(),
            "2016-10-02T21:45:22.286123"
        );
        assert_eq!(at.to_datetime(i32::MAX), at.to_datetime(0));
        let local = at.to_datetime(10_800);
        assert_eq!(Timestamp::from_datetime(local, 10_800), Some(at));
    }

    #[test]
    fn serializes_as_rfc_3339() {
        let at = Timestamp::from_second(1_700_000_000).expect("in range");
        let json = serde_json::to_string(&at).expect("serializes");
        assert_eq!(json, "\"2023-11-14T22:13:20Z\"");
        assert_eq!(serde_json::from_str::<Timestamp>(&json).ok(), Some(at));
        let shifted = serde_json::from_str::<Timestamp>("\"2023-11-14T23:13:20+01:00\"");
        assert_eq!(shifted.ok(), Some(at));
        for text in [
            "\"2023-11-14\"",
            "\"2023-11-14T22:13:20\"",
            "1700000000",
            "\"soon\"",
        ] {
            assert!(serde_json::from_str::<Timestamp>(text).is_err(), "{text}");
        }
    }
}
