//! Display formatting shared by the table, the detail panel and CSV export: one place decides
//! how an instant or an amount reads.

use userdeck_providers::time::date::Instant;

/// An instant in the provider's own offset, e.g. `2016-10-03 05:15 +03:00`; a date alone for
/// date-only values. Keeping the provider's offset avoids silently shifting what it reported.
pub fn instant(value: &Instant) -> String {
    instant_at(value, value.offset_seconds)
}

/// An instant as wall-clock time at `offset_seconds` east of UTC (the viewer's own offset, or
/// the provider's), with that offset written out. A date-only value is never shifted: a
/// birthday or an expiry date is a calendar day, not a moment.
pub fn instant_at(value: &Instant, offset_seconds: i32) -> String {
    if value.date_only {
        return value.local().date().to_string();
    }
    let local = value.timestamp.to_datetime(offset_seconds);
    format!(
        "{} {:02}:{:02} {}",
        local.date(),
        local.hour(),
        local.minute(),
        offset(offset_seconds)
    )
}

/// `+03:00`, `-05:30`.
fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `HH:MM` of `timestamp` at `offset_seconds`, for "as of 12:03".
pub fn clock(timestamp: userdeck_providers::Timestamp, offset_seconds: i32) -> String {
    let t = timestamp.to_datetime(offset_seconds);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// Whole days from `now_seconds` (Unix seconds) until `value`; negative once it has passed.
pub fn days_until(value: Instant, now_seconds: i64) -> i64 {
    (value.timestamp.as_second() - now_seconds).div_euclid(86_400)
}

/// An amount with two decimals and thousands separators. Providers do not say which currency,
/// so none is invented.
pub fn money(amount: f64) -> String {
    if !amount.is_finite() {
        return "—".to_string();
    }
    let cents = (amount.abs() * 100.0).round() as u64;
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if amount < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}{grouped}.{:02}", cents % 100)
}

/// `text` with every bidirectional control character shown as its code point, e.g. `[U+202E]`.
/// A right-to-left override inside a provider's name can make `gnp.exe` read as `exe.png`;
/// an admin comparing names must see what is really there. Right-to-left letters themselves
/// are untouched: only the invisible controls are revealed.
pub fn reveal_bidi(text: &str) -> String {
    replace_bidi(text, "[U+", "]")
}

/// Pretty JSON with its bidi controls written as JSON escapes (`\u202E`): the same document,
/// but the raw view cannot be reordered by what it shows. Controls can only occur inside JSON
/// strings, where the escape is equivalent.
pub fn escape_bidi_json(json: &str) -> String {
    replace_bidi(json, "\\u", "")
}

fn replace_bidi(text: &str, before: &str, after: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        if is_bidi_control(c) {
            shown.push_str(&format!("{before}{:04X}{after}", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    shown
}

/// The explicit directional marks, embeddings, overrides and isolates of Unicode's bidi
/// algorithm (UAX #9): invisible, and able to reorder the text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// A count with thousands separators, as in "sorted in your browser over 1,234 users".
pub fn count(n: u64) -> String {
    money(n as f64).trim_end_matches(".00").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use userdeck_providers::time::date::parse_instant;

    #[test]
    fn instants_keep_their_offset() {
        let value = parse_instant("2016-10-03T05:15:22.286+03:00").expect("valid");
        assert_eq!(instant(&value), "2016-10-03 05:15 +03:00");
        let west = parse_instant("2024-01-15T10:30:00-05:30").expect("valid");
        assert_eq!(instant(&west), "2024-01-15 10:30 -05:30");
        let day = parse_instant("2024-01-15").expect("valid");
        assert_eq!(instant(&day), "2024-01-15");
    }

    #[test]
    fn instants_shift_to_the_viewers_offset_but_dates_do_not() {
        let value = parse_instant("2016-10-03T05:15:22.286+03:00").expect("valid");
        assert_eq!(instant_at(&value, 0), "2016-10-03 02:15 +00:00");
        assert_eq!(instant_at(&value, -8 * 3600), "2016-10-02 18:15 -08:00");
        let day = parse_instant("2024-01-15").expect("valid");
        assert_eq!(instant_at(&day, -8 * 3600), "2024-01-15");
        assert_eq!(clock(value.timestamp, 3600), "03:15");
    }

    #[test]
    fn days_round_down() {
        let value = parse_instant("2050-12-25T00:00:00+01:00").expect("valid");
        let now = value.timestamp.as_second();
        assert_eq!(days_until(value, now), 0);
        assert_eq!(days_until(value, now - 86_400 * 3 - 5), 3);
        assert_eq!(days_until(value, now + 1), -1);
    }

    #[test]
    fn bidi_controls_become_visible_and_rtl_letters_stay() {
        assert_eq!(reveal_bidi("שרה\u{202E}gnp.exe"), "שרה[U+202E]gnp.exe");
        assert_eq!(
            reveal_bidi("a\u{2066}b\u{2069}\u{200F}\u{061C}"),
            "a[U+2066]b[U+2069][U+200F][U+061C]"
        );
        assert_eq!(reveal_bidi("فاطمة الزهراء"), "فاطمة الزهراء");
        assert_eq!(reveal_bidi(""), "");
        assert_eq!(
            escape_bidi_json("{\"n\": \"a\u{202E}b\"}"),
            "{\"n\": \"a\\u202Eb\"}"
        );
    }

    #[test]
    fn money_and_counts() {
        assert_eq!(money(0.0), "0.00");
        assert_eq!(money(1234567.891), "1,234,567.89");
        assert_eq!(money(-12.5), "-12.50");
        assert_eq!(money(f64::NAN), "—");
        assert_eq!(count(1234), "1,234");
        assert_eq!(count(12), "12");
    }
}
