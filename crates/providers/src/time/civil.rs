//! Calendar dates and wall-clock times in the proleptic Gregorian calendar, converted to and from
//! day numbers with Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms
//! (<https://howardhinnant.github.io/date_algorithms.html>). Written by hand so that the console's
//! WebAssembly carries a few hundred bytes of arithmetic instead of a date-time library.

use std::fmt;
use std::str::FromStr;

use super::ParseError;

/// Seconds in a civil day (no leap seconds: providers do not send them, and Unix time has none).
const SECONDS_PER_DAY: i64 = 86_400;

/// Days between 0000-03-01 and 1970-01-01, the shift that puts the Unix epoch at day zero.
const EPOCH_SHIFT: i64 = 719_468;

/// Days in a 400-year Gregorian era, after which the calendar repeats.
const DAYS_PER_ERA: i64 = 146_097;

/// A calendar date: what a provider means by a date-only value and what the console shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// Checks the day against the month's length (leap years included), so that an impossible
    /// date such as 2023-02-29 is refused rather than silently rolled over.
    pub(crate) fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// The date `days` after 1970-01-01, which is how timestamps become calendar dates.
    pub(crate) fn from_unix_days(days: i64) -> Date {
        let z = days + EPOCH_SHIFT;
        let era = z.div_euclid(DAYS_PER_ERA);
        let doe = z.rem_euclid(DAYS_PER_ERA);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            // Timestamps stay within years -9999 to 9999 at any offset, far inside `i32`.
            year: year as i32,
            month: month as u8,
            day: day as u8,
        }
    }

    /// Days from 1970-01-01 to this date (negative before it), the inverse of `from_unix_days`.
    pub(crate) fn unix_days(self) -> i64 {
        let month = i64::from(self.month);
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * DAYS_PER_ERA + doe - EPOCH_SHIFT
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`; years before 0 as `-00YYYY`, the ISO 8601 expanded form jiff printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year < 0 {
            f.write_str("-00")?;
        }
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year.unsigned_abs(),
            self.month,
            self.day
        )
    }
}

impl FromStr for Date {
    type Err = ParseError;

    /// Reads a date alone (`2024-01-15`, `20240115`, `+002024-01-15`), as query parameters
    /// carry it; text with a time or an offset is refused, as it names an instant instead.
    fn from_str(text: &str) -> Result<Date, ParseError> {
        match super::iso8601::parse(text) {
            Some(pieces) if pieces.time.is_none() => Ok(pieces.date),
            _ => Err(ParseError),
        }
    }
}

/// Whether `year` has a 29 February.
fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` (1 to 12) of `year`.
fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A wall-clock reading at some offset: how an instant looks to the people it was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
    nanosecond: u32,
}

impl DateTime {
    /// The reading `seconds` (and `nanosecond`) after 1970-01-01T00:00:00 on the same clock, so
    /// that a timestamp shifted by an offset becomes its local fields.
    pub(crate) fn from_unix_seconds(seconds: i64, nanosecond: u32) -> DateTime {
        let in_day = seconds.rem_euclid(SECONDS_PER_DAY);
        DateTime {
            date: Date::from_unix_days(seconds.div_euclid(SECONDS_PER_DAY)),
            hour: (in_day / 3_600) as u8,
            minute: (in_day / 60 % 60) as u8,
            second: (in_day % 60) as u8,
            nanosecond,
        }
    }

    /// Combines a date and a time of day, each already checked by the caller (the parser).
    pub(crate) fn from_parts(date: Date, time: Time) -> DateTime {
        DateTime {
            date,
            hour: time.hour,
            minute: time.minute,
            second: time.second,
            nanosecond: time.nanosecond,
        }
    }

    /// Whole seconds from 1970-01-01T00:00:00 on the same clock, the inverse of
    /// `from_unix_seconds` (the sub-second part is kept separately).
    pub(crate) fn unix_seconds(self) -> i64 {
        self.date.unix_days() * SECONDS_PER_DAY
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// The calendar date, for date-only display.
    pub fn date(self) -> Date {
        self.date
    }

    /// The year, negative before year 1 (astronomical numbering, as ISO 8601 has it), for
    /// callers that print their own layout.
    pub fn year(self) -> i32 {
        self.date.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.date.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.date.day
    }

    /// The hour, 0 to 23.
    pub fn hour(self) -> u8 {
        self.hour
    }

    /// The minute, 0 to 59.
    pub fn minute(self) -> u8 {
        self.minute
    }

    /// The second, 0 to 59 (a leap second is read as 59).
    pub fn second(self) -> u8 {
        self.second
    }

    /// Nanoseconds past the second, for callers that print a fraction.
    pub fn subsec_nanosecond(self) -> u32 {
        self.nanosecond
    }
}

impl fmt::Display for DateTime {
    /// `YYYY-MM-DDTHH:MM:SS`, then the fraction without trailing zeros when there is one: the
    /// ISO 8601 form jiff printed, so displayed and logged values do not change.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}",
            self.date, self.hour, self.minute, self.second
        )?;
        write_fraction(f, self.nanosecond)
    }
}

/// Writes `.` and the significant digits of `nanosecond`, or nothing when it is zero.
fn write_fraction(f: &mut fmt::Formatter<'_>, nanosecond: u32) -> fmt::Result {
    if nanosecond == 0 {
        return Ok(());
    }
    let mut digits = 9;
    let mut value = nanosecond;
    while value.is_multiple_of(10) {
        value /= 10;
        digits -= 1;
    }
    write!(f, ".{value:0digits$}")
}

/// A time of day as the parser read it, before it is joined to a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Time {
    /// 0 to 23.
    pub(crate) hour: u8,
    /// 0 to 59.
    pub(crate) minute: u8,
    /// 0 to 59.
    pub(crate) second: u8,
    /// 0 to 999 999 999.
    pub(crate) nanosecond: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_match_known_dates() {
        let cases = [
            ((1970, 1, 1), 0),
            ((2000, 3, 1), 11_017),
            ((2024, 2, 29), 19_782),
            ((1969, 12, 31), -1),
            ((0, 1, 1), -719_528),
            ((-9999, 1, 1), -4_371_587),
            ((9999, 12, 31), 2_932_896),
        ];
        for ((year, month, day), days) in cases {
            let date = Date::new(year, month, day).expect("a real date");
            assert_eq!(date.unix_days(), days, "{date}");
            assert_eq!(Date::from_unix_days(days), date, "{days}");
        }
    }

    #[test]
    fn refuses_impossible_dates() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2000, 2, 29).is_some());
        for (year, month, day) in [(2023, 2, 29), (1900, 2, 29), (2024, 4, 31), (2024, 13, 1)] {
            assert_eq!(Date::new(year, month, day), None, "{year}-{month}-{day}");
        }
        assert_eq!(Date::new(2024, 0, 1), None);
        assert_eq!(Date::new(2024, 1, 0), None);
    }

    #[test]
    fn prints_iso_8601() {
        let at = DateTime::from_unix_seconds(1_475_471_722, 286_000_000);
        assert_eq!(at.to_string(), "2016-10-03T05:15:22.286");
        assert_eq!(
            DateTime::from_unix_seconds(0, 0).to_string(),
            "1970-01-01T00:00:00"
        );
        assert_eq!(
            DateTime::from_unix_seconds(0, 1).to_string(),
            "1970-01-01T00:00:00.000000001"
        );
        let ancient = Date::new(-44, 3, 15).expect("a real date");
        assert_eq!(ancient.to_string(), "-000044-03-15");
    }

    #[test]
    fn reads_a_date_alone() {
        assert_eq!(
            "2024-02-29".parse(),
            Ok(Date::new(2024, 2, 29).expect("a real date"))
        );
        assert_eq!(
            "20240229".parse::<Date>().map(|d| d.to_string()).as_deref(),
            Ok("2024-02-29")
        );
        assert_eq!(
            "9999-12-31"
                .parse::<Date>()
                .map(|d| d.to_string())
                .as_deref(),
            Ok("9999-12-31")
        );
        for text in [
            "2023-02-29",
            "2024-02-29T10:00",
            "2024-02-29Z",
            " 2024-02-29",
            "2024-2-29",
        ] {
            assert_eq!(text.parse::<Date>(), Err(ParseError), "{text}");
        }
    }
}
