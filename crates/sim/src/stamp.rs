//! Instants as each provider writes them. A simulator filters and sorts on exactly the instant it
//! prints (truncated to the printed precision), otherwise a client that parses the text would
//! see an order the server did not use.

use serde::{Serialize, Serializer};
use userdeck_providers::Timestamp;

/// How a provider prints an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Offset the text is written in, in seconds east of UTC.
    pub offset_seconds: i32,
    /// Fractional second digits: 0, 3 or 6.
    pub fraction_digits: u8,
    /// Whether UTC is written `Z` rather than `+00:00`.
    pub zulu: bool,
}

impl Style {
    /// UTC with `Z`, the given number of fractional digits.
    pub const fn zulu(fraction_digits: u8) -> Self {
        Self {
            offset_seconds: 0,
            fraction_digits,
            zulu: true,
        }
    }

    /// A numeric offset, the given number of fractional digits.
    pub const fn offset(offset_seconds: i32, fraction_digits: u8) -> Self {
        Self {
            offset_seconds,
            fraction_digits,
            zulu: false,
        }
    }
}

/// An instant together with the exact text a provider prints for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The instant as printed (already truncated to the printed precision).
    pub at: Timestamp,
    /// The printed text.
    pub text: String,
}

impl Stamp {
    /// Prints `at` in `style`, keeping the truncated instant alongside.
    pub fn new(at: Timestamp, style: Style) -> Self {
        let unit: i64 = match style.fraction_digits {
            0 => 1_000_000_000,
            3 => 1_000_000,
            _ => 1_000,
        };
        let nanos = at.as_nanosecond();
        let truncated_nanos = nanos - nanos.rem_euclid(i128::from(unit));
        let at = Timestamp::from_nanosecond(truncated_nanos).unwrap_or(at);
        let local = at.to_datetime(style.offset_seconds);
        let mut text = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            local.year(),
            local.month(),
            local.day(),
            local.hour(),
            local.minute(),
            local.second()
        );
        let sub = local.subsec_nanosecond();
        match style.fraction_digits {
            0 => {}
            3 => text.push_str(&format!(".{:03}", sub / 1_000_000)),
            _ => text.push_str(&format!(".{:06}", sub / 1_000)),
        }
        if style.zulu && style.offset_seconds == 0 {
            text.push('Z');
        } else {
            let sign = if style.offset_seconds < 0 { '-' } else { '+' };
            let abs = style.offset_seconds.unsigned_abs();
            text.push_str(&format!("{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60));
        }
        Self { at, text }
    }

    /// The calendar date in the printed offset, which is what a date-only filter compares.
    pub fn local_date(&self) -> &str {
        self.text.get(..10).unwrap_or("")
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// Paris wall-clock offset for an instant: +02:00 from April to October, else +01:00. Close
/// enough to daylight saving time for test data, and needs no time-zone database.
pub fn paris_offset(at: Timestamp) -> i32 {
    let month = at.to_datetime(0).month();
    if (4..=10).contains(&month) {
        7_200
    } else {
        3_600
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use userdeck_providers::time::date::parse_instant;

    #[test]
    fn prints_each_provider_style_and_parses_back() {
        let at = Timestamp::from_microsecond(1_475_460_922_286_123).expect("in range");
        let cases = [
            (Style::zulu(0), "2016-10-03T02:15:22Z"),
            (Style::zulu(6), "2016-10-03T02:15:22.286123Z"),
            (Style::offset(0, 0), "2016-10-03T02:15:22+00:00"),
            (Style::offset(10_800, 3), "2016-10-03T05:15:22.286+03:00"),
            (Style::offset(-16_200, 0), "2016-10-02T21:45:22-04:30"),
        ];
        for (style, text) in cases {
            let stamp = Stamp::new(at, style);
            assert_eq!(stamp.text, text);
            let parsed = parse_instant(&stamp.text).expect("the core reads what we print");
            assert_eq!(parsed.timestamp, stamp.at, "{text}");
        }
    }

    #[test]
    fn local_date_follows_the_offset() {
        let at = Timestamp::from_second(1_475_449_200).expect("in range"); // 2016-10-02T23:00Z
        assert_eq!(
            Stamp::new(at, Style::offset(10_800, 3)).local_date(),
            "2016-10-03"
        );
        assert_eq!(Stamp::new(at, Style::zulu(0)).local_date(), "2016-10-02");
    }
}
