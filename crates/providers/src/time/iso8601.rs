//! The ISO 8601 / RFC 3339 grammar the providers write, read by hand byte by byte. It accepts
//! what jiff's `Pieces::parse` accepted (which the crate's differential tests check), except
//! RFC 9557 bracketed annotations such as `[Europe/Paris]`: no provider sends them, and without
//! a time-zone database they could only be ignored, which would misread the instant.
//!
//! The grammar: a date `YYYY-MM-DD` or `YYYYMMDD` (or a signed six-digit year, `+002024`); then
//! optionally `T`, `t` or a space and a time `HH[:MM[:SS[.fraction]]]` (or without colons), the
//! fraction 1 to 9 digits after `.` or `,`, second 60 read as 59; then optionally `Z`, `z` or an
//! offset `±HH[:MM[:SS[.fraction]]]` of at most ±25:59:59.

use super::civil::{Date, Time};
use super::timestamp::MAX_OFFSET_SECONDS;

/// What the text said, before it is turned into an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pieces {
    /// The calendar date, always present.
    pub(crate) date: Date,
    /// The time of day, when the text had one.
    pub(crate) time: Option<Time>,
    /// Seconds east of UTC, when the text had an offset (`Z` is 0).
    pub(crate) offset: Option<i32>,
}

/// Reads the whole of `text`; `None` unless all of it is one date-time. Never panics: every
/// step takes bytes only after checking they are there.
pub(crate) fn parse(text: &str) -> Option<Pieces> {
    let mut rest = Cursor(text.as_bytes());
    let date = rest.date()?;
    let (time, offset) = match rest.0.first() {
        Some(b'T' | b't' | b' ') => {
            rest.skip();
            (Some(rest.time()?), rest.offset()?)
        }
        _ => (None, None),
    };
    rest.0.is_empty().then_some(Pieces { date, time, offset })
}

/// The unread rest of the input.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn skip(&mut self) {
        self.0 = self.0.get(1..).unwrap_or_default();
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.0.first() == Some(&byte);
        if found {
            self.skip();
        }
        found
    }

    /// Exactly `count` ASCII digits as a number, at most `max`.
    fn number(&mut self, count: usize, max: u32) -> Option<u32> {
        let (digits, rest) = self.0.split_at_checked(count)?;
        let mut value = 0u32;
        for &byte in digits {
            if !byte.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(byte - b'0');
        }
        self.0 = rest;
        (value <= max).then_some(value)
    }

    /// Whether another component follows: after a `:` in the extended form (which is
    /// consumed), or when two digits come next in the basic form.
    fn more(&mut self, extended: bool) -> bool {
        if extended {
            self.eat(b':')
        } else {
            self.0
                .get(..2)
                .is_some_and(|next| next.iter().all(u8::is_ascii_digit))
        }
    }

    /// An optional `.` or `,` fraction of 1 to 9 digits, in nanoseconds.
    fn fraction(&mut self) -> Option<u32> {
        if !(self.eat(b'.') || self.eat(b',')) {
            return Some(0);
        }
        let count = self
            .0
            .iter()
            .take(9)
            .take_while(|b| b.is_ascii_digit())
            .count();
        let digits = self.number(count, 999_999_999)?;
        (count > 0).then(|| digits * 10u32.pow((9 - count) as u32))
    }

    fn date(&mut self) -> Option<Date> {
        let year = match self.0.first() {
            Some(&sign @ (b'+' | b'-')) => {
                self.skip();
                let year = self.number(6, 9_999)? as i32;
                if sign == b'-' {
                    // `-000000` is refused: year zero has no sign.
                    (year != 0).then_some(-year)?
                } else {
                    year
                }
            }
            _ => self.number(4, 9_999)? as i32,
        };
        let extended = self.eat(b'-');
        let month = self.number(2, 12)? as u8;
        if extended && !self.eat(b'-') {
            return None;
        }
        let day = self.number(2, 31)? as u8;
        Date::new(year, month, day)
    }

    fn time(&mut self) -> Option<Time> {
        let mut time = Time {
            hour: self.number(2, 23)? as u8,
            ..Time::default()
        };
        let extended = self.0.first() == Some(&b':');
        if !self.more(extended) {
            return Some(time);
        }
        time.minute = self.number(2, 59)? as u8;
        if !self.more(extended) {
            return Some(time);
        }
        time.second = self.number(2, 60)?.min(59) as u8;
        time.nanosecond = self.fraction()?;
        Some(time)
    }

    /// `Some(None)` when no offset follows, `None` when one starts but is invalid.
    fn offset(&mut self) -> Option<Option<i32>> {
        let negative = match self.0.first() {
            Some(b'Z' | b'z') => {
                self.skip();
                return Some(Some(0));
            }
            Some(b'+') => false,
            Some(b'-') => true,
            _ => return Some(None),
        };
        self.skip();
        let mut seconds = self.number(2, 25)? as i32 * 3_600;
        let extended = self.0.first() == Some(&b':');
        if self.more(extended) {
            seconds += self.number(2, 59)? as i32 * 60;
            if self.more(extended) {
                seconds += self.number(2, 59)? as i32;
                // Sub-second offsets round to the nearest second, as jiff's did.
                seconds += i32::from(self.fraction()? >= 500_000_000);
            }
        }
        if seconds > MAX_OFFSET_SECONDS {
            return None;
        }
        Some(Some(if negative { -seconds } else { seconds }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(hour: u8, minute: u8, second: u8, nanosecond: u32) -> Option<Time> {
        Some(Time {
            hour,
            minute,
            second,
            nanosecond,
        })
    }

    fn pieces(ymd: (i32, u8, u8), time: Option<Time>, offset: Option<i32>) -> Option<Pieces> {
        let date = Date::new(ymd.0, ymd.1, ymd.2)?;
        Some(Pieces { date, time, offset })
    }

    #[test]
    fn reads_basic_and_extended_forms() {
        let cases = [
            ("2024-01-15", pieces((2024, 1, 15), None, None)),
            ("20240115", pieces((2024, 1, 15), None, None)),
            ("+002024-01-15", pieces((2024, 1, 15), None, None)),
            ("-000044-03-15", pieces((-44, 3, 15), None, None)),
            (
                "2024-01-15T10",
                pieces((2024, 1, 15), time(10, 0, 0, 0), None),
            ),
            (
                "2024-01-15t10:30",
                pieces((2024, 1, 15), time(10, 30, 0, 0), None),
            ),
            (
                "2024-01-15 103000",
                pieces((2024, 1, 15), time(10, 30, 0, 0), None),
            ),
            (
                "20240115T10:30:00.5z",
                pieces((2024, 1, 15), time(10, 30, 0, 500_000_000), Some(0)),
            ),
            (
                "2024-01-15T10:30:00,123456789-08",
                pieces((2024, 1, 15), time(10, 30, 0, 123_456_789), Some(-28_800)),
            ),
            (
                "2024-01-15T23:59:60+0530",
                pieces((2024, 1, 15), time(23, 59, 59, 0), Some(19_800)),
            ),
            (
                "2024-02-29T00:00:00-00:00",
                pieces((2024, 2, 29), time(0, 0, 0, 0), Some(0)),
            ),
            (
                "2024-01-15T10:30+25:59:59",
                pieces((2024, 1, 15), time(10, 30, 0, 0), Some(93_599)),
            ),
            (
                "2024-01-15T10:30-01:00:00.5",
                pieces((2024, 1, 15), time(10, 30, 0, 0), Some(-3_601)),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), expected, "{text}");
        }
    }

    #[test]
    fn refuses_everything_else() {
        for text in [
            "",
            "2024",
            "2024-01",
            "2024-0115",
            "202401-15",
            "2023-02-29",
            "2024-00-10",
            "2024-01-32",
            "-000000-01-01",
            "+010000-01-01",
            "24-01-15",
            "2024-01-15T",
            "2024-01-15T1",
            "2024-01-15T24:00",
            "2024-01-15T10:60",
            "2024-01-15T10:30:61",
            "2024-01-15T10:30:00.",
            "2024-01-15T10:30:00.1234567890",
            "2024-01-15T10:30.5",
            "2024-01-15T10:3000",
            "2024-01-15T1030:00",
            "2024-01-15T10:30:00+",
            "2024-01-15T10:30:00+5",
            "2024-01-15T10:30:00+05:",
            "2024-01-15T10:30:00+26:00",
            "2024-01-15T10:30:00+25:59:59.5",
            "2024-01-15T10:30:00+05:60",
            "2024-01-15T10:30:00Z ",
            "2024-01-15Z",
            "2024-01-15T10:30:00[Europe/Paris]",
            "2024-01-15T10:30:00\u{2212}05:00",
            "２０２４-01-15",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
