//! HTTP dates (RFC 9110 §5.6.7), for `Retry-After` given as an instant rather than a number of
//! seconds. Recipients must read all three forms, so all three are read; anything else is
//! `None`, which leaves the console's default wait in force.

use crate::time::Timestamp;
use crate::time::civil::Date;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month(name: &str) -> Option<u8> {
    MONTHS
        .iter()
        .position(|m| *m == name)
        .and_then(|i| u8::try_from(i + 1).ok())
}

fn number<T: std::str::FromStr>(text: &str, digits: usize) -> Option<T> {
    (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn clock(text: &str) -> Option<i64> {
    let mut parts = text.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (h, m, s): (i64, i64, i64) = (number(h, 2)?, number(m, 2)?, number(s, 2)?);
    (h < 24 && m < 60 && s < 61).then_some(h * 3_600 + m * 60 + s)
}

fn instant(year: i32, month: u8, day: u8, seconds: i64) -> Option<Timestamp> {
    let days = Date::new(year, month, day)?.unix_days();
    Timestamp::from_second(days.checked_mul(86_400)?.checked_add(seconds)?)
}

/// Reads `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), `Sunday, 06-Nov-94 08:49:37 GMT`
/// (RFC 850, two-digit years read as 19xx from 70, else 20xx) and `Sun Nov  6 08:49:37 1994`
/// (asctime).
pub fn parse(text: &str) -> Option<Timestamp> {
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    match words.as_slice() {
        [weekday, day, mon, year, time, "GMT"] if weekday.ends_with(',') => {
            instant(number(year, 4)?, month(mon)?, number(day, 2)?, clock(time)?)
        }
        [weekday, date, time, "GMT"] if weekday.ends_with(',') => {
            let mut parts = date.split('-');
            let (day, mon, year) = (parts.next()?, parts.next()?, parts.next()?);
            let short: i32 = number(year, 2)?;
            let year = if short >= 70 {
                1900 + short
            } else {
                2000 + short
            };
            instant(year, month(mon)?, number(day, 2)?, clock(time)?)
        }
        [_, mon, day, time, year] => {
            let day: u8 = number(day, 1).or_else(|| number(day, 2))?;
            instant(number(year, 4)?, month(mon)?, day, clock(time)?)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_three_forms() {
        let want = Timestamp::from_second(784_111_777);
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT"), want);
        assert_eq!(parse("Sunday, 06-Nov-94 08:49:37 GMT"), want);
        assert_eq!(parse("Sun Nov  6 08:49:37 1994"), want);
        assert_eq!(
            parse("Thu, 01 Jan 2026 00:00:00 GMT").map(|t| t.as_second()),
            Some(1_767_225_600)
        );
    }

    #[test]
    fn refuses_anything_else() {
        for text in [
            "",
            "30",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Feb 2024 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov +994 08:49:37 GMT",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
