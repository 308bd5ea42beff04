//! The hand-written time module against jiff, which it replaced: on generated text the parser
//! accepts and refuses what jiff did and reads the same instant and offset, and for timestamps
//! across the whole range the wall clock and the printed form are jiff's. jiff is only a
//! dev-dependency, so this keeps the replacement provably faithful at no cost to the console.

use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;
use proptest::prelude::*;
use userdeck_providers::time::civil::Date;
use userdeck_providers::{Timestamp, parse_instant};

/// What `parse_instant` computed with jiff before it was replaced: (nanoseconds, offset, date only).
fn jiff_instant(text: &str) -> Option<(i128, i32, bool)> {
    let pieces = Pieces::parse(text.trim()).ok()?;
    let datetime = pieces.date().to_datetime(pieces.time().unwrap_or_default());
    let offset = match pieces.offset() {
        Some(PiecesOffset::Numeric(numeric)) => numeric.offset(),
        Some(PiecesOffset::Zulu) | None => Offset::UTC,
        Some(_) => return None,
    };
    let timestamp = offset.to_timestamp(datetime).ok()?;
    Some((
        timestamp.as_nanosecond(),
        offset.seconds(),
        pieces.time().is_none(),
    ))
}

fn ours(text: &str) -> Option<(i128, i32, bool)> {
    parse_instant(text).map(|i| (i.timestamp.as_nanosecond(), i.offset_seconds, i.date_only))
}

fn number(range: std::ops::RangeInclusive<u32>, width: usize) -> BoxedStrategy<String> {
    range.prop_map(move |n| format!("{n:0width$}")).boxed()
}

/// Mostly a number in `valid`, sometimes one up to `max` (out of range) or a lone digit.
fn field(valid: std::ops::RangeInclusive<u32>, max: u32, width: usize) -> BoxedStrategy<String> {
    prop_oneof![8 => number(valid, width), 1 => number(0..=max, width), 1 => "[0-9]"].boxed()
}

fn one_of(choices: &'static [&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(choices)
        .prop_map(str::to_string)
        .boxed()
}

fn fraction() -> BoxedStrategy<String> {
    let digits = prop_oneof![6 => "[0-9]{1,9}", 1 => "[0-9]{0,11}"];
    prop_oneof![
        3 => Just(String::new()),
        2 => (one_of(&[".", ".", ","]), digits).prop_map(|(dot, digits)| dot + &digits),
    ]
    .boxed()
}

/// `H[cM[cS[fraction]]]`: the shape a time and a numeric offset share, with the colon `c`
/// usually the same in both places, as the grammar requires.
fn clock(hours: BoxedStrategy<String>, seconds_max: u32) -> BoxedStrategy<String> {
    let colons = prop_oneof![
        6 => one_of(&[":", ""]).prop_map(|c| (c.clone(), c)),
        1 => (one_of(&[":", ""]), one_of(&[":", ""])),
    ];
    (
        hours,
        colons,
        prop::option::weighted(0.8, field(0..=59, 69, 2)),
        prop::option::weighted(0.7, (field(0..=seconds_max, 69, 2), fraction())),
    )
        .prop_map(|(h, (c1, c2), m, s)| {
            let mut text = h;
            if let Some(m) = m {
                text = text + &c1 + &m;
                if let Some((s, f)) = s {
                    text = text + &c2 + &s + &f;
                }
            }
            text
        })
        .boxed()
}

/// Date-times near the grammar: mostly valid pieces, with out-of-range numbers, missing or
/// mixed separators, too few or too many digits and stray suffixes mixed in.
fn near_iso8601() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        6 => number(1900..=2100, 4),
        2 => number(0..=9999, 4),
        1 => (one_of(&["+", "-"]), number(0..=12_000, 6)).prop_map(|(s, y)| s + &y),
        1 => "[0-9]{3,5}",
    ];
    let separators = prop_oneof![
        6 => one_of(&["-", ""]).prop_map(|s| (s.clone(), s)),
        1 => (one_of(&["-", "", "/"]), one_of(&["-", ""])),
    ];
    let date = (year, separators, field(1..=12, 19, 2), field(1..=28, 39, 2))
        .prop_map(|(y, (s1, s2), m, d)| format!("{y}{s1}{m}{s2}{d}"));
    let time = (
        prop_oneof![8 => Just("T".to_string()), 4 => one_of(&["t", " "]), 1 => one_of(&["", "_"])],
        clock(field(0..=23, 29, 2), 60),
    )
        .prop_map(|(sep, clock)| sep + &clock);
    let offset = prop_oneof![
        3 => Just(String::new()),
        2 => one_of(&["Z", "z"]),
        4 => (one_of(&["+", "-"]), clock(field(0..=25, 27, 2), 59)).prop_map(|(s, c)| s + &c),
        1 => "[+-]?[0-9:]{0,4}",
    ];
    let suffix = prop_oneof![
        8 => Just(String::new()),
        1 => one_of(&[" ", "\n", "0", "x", "[UTC]", "[+01:00]", ":", "."]),
    ];
    (
        one_of(&["", "", "", " ", "\t"]),
        date,
        prop::option::weighted(0.8, time),
        offset,
        suffix,
    )
        .prop_map(|(lead, date, time, offset, suffix)| {
            format!("{lead}{date}{}{offset}{suffix}", time.unwrap_or_default())
        })
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    let seconds = Timestamp::MIN.as_second()..=Timestamp::MAX.as_second();
    prop_oneof![
        (seconds, 0u32..1_000_000_000).prop_map(|(s, ns)| (i128::from(s), ns)),
        (
            0i64..4_000_000_000,
            prop_oneof![Just(0u32), 0u32..1_000_000_000]
        )
            .prop_map(|(s, ns)| (i128::from(s), ns)),
    ]
    .prop_filter_map("in range", |(s, ns)| {
        Timestamp::from_nanosecond(s * 1_000_000_000 + i128::from(ns))
    })
}

fn offset() -> impl Strategy<Value = i32> {
    prop_oneof![
        Just(0),
        -93_599..=93_599i32,
        (-25..=25i32).prop_map(|h| h * 3_600)
    ]
}

fn jiff_timestamp(at: Timestamp) -> jiff::Timestamp {
    jiff::Timestamp::from_nanosecond(at.as_nanosecond()).expect("the ranges are the same")
}

#[test]
fn the_range_is_jiffs() {
    assert_eq!(Timestamp::MIN.to_string(), jiff::Timestamp::MIN.to_string());
    assert_eq!(Timestamp::MAX.to_string(), jiff::Timestamp::MAX.to_string());
    assert_eq!(
        Timestamp::MIN.as_nanosecond(),
        jiff::Timestamp::MIN.as_nanosecond()
    );
    assert_eq!(
        Timestamp::MAX.as_nanosecond(),
        jiff::Timestamp::MAX.as_nanosecond()
    );
}

#[test]
fn annotations_are_the_one_documented_difference() {
    let text = "2024-01-15T10:30:00+01:00[Europe/Paris]";
    assert!(jiff_instant(text).is_some());
    assert_eq!(parse_instant(text), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_096))]

    #[test]
    fn the_parser_agrees_with_jiff(text in near_iso8601()) {
        let expected = if text.contains('[') { None } else { jiff_instant(&text) };
        prop_assert_eq!(ours(&text), expected, "{:?}", text);
        let strict = text.parse::<jiff::Timestamp>().ok().filter(|_| !text.contains('['));
        prop_assert_eq!(
            text.parse::<Timestamp>().ok().map(Timestamp::as_nanosecond),
            strict.map(|t| t.as_nanosecond()),
            "{:?}", text
        );
        let date = Pieces::parse(&text)
            .ok()
            .filter(|p| p.time().is_none() && !text.contains('['))
            .map(|p| p.date().to_string());
        prop_assert_eq!(text.parse::<Date>().ok().map(|d| d.to_string()), date, "{:?}", text);
    }

    #[test]
    fn the_wall_clock_and_the_printed_form_are_jiffs(at in timestamp(), offset in offset()) {
        let theirs = Offset::from_seconds(offset).expect("in jiff's range").to_datetime(jiff_timestamp(at));
        let local = at.to_datetime(offset);
        prop_assert_eq!(
            (local.year(), local.month(), local.day(), local.hour(), local.minute(), local.second()),
            (
                i32::from(theirs.year()),
                theirs.month() as u8,
                theirs.day() as u8,
                theirs.hour() as u8,
                theirs.minute() as u8,
                theirs.second() as u8,
            )
        );
        prop_assert_eq!(local.subsec_nanosecond() as i32, theirs.subsec_nanosecond());
        prop_assert_eq!(local.to_string(), theirs.to_string());
        prop_assert_eq!(local.date().to_string(), theirs.date().to_string());
        prop_assert_eq!(at.to_string(), jiff_timestamp(at).to_string());
    }

    #[test]
    fn printed_instants_read_back(at in timestamp(), offset in offset()) {
        prop_assert_eq!(parse_instant(&at.to_string()).map(|i| i.timestamp), Some(at));
        prop_assert_eq!(at.to_string().parse::<Timestamp>(), Ok(at));
        let sign = if offset < 0 { '-' } else { '+' };
        let abs = offset.unsigned_abs();
        let text = format!(
            "{}{sign}{:02}:{:02}:{:02}",
            at.to_datetime(offset),
            abs / 3_600,
            abs / 60 % 60,
            abs % 60
        );
        let read = parse_instant(&text).map(|i| (i.timestamp, i.offset_seconds));
        prop_assert_eq!(read, Some((at, offset)), "{}", text);
    }

    #[test]
    fn no_text_makes_the_parser_panic(text in any::<String>()) {
        let _ = parse_instant(&text);
        let _ = text.parse::<Timestamp>();
    }

    #[test]
    fn the_grammars_characters_read_as_jiff_read_them(text in "[0-9TtZz:.,+ \\-]{0,40}") {
        prop_assert_eq!(ours(&text), jiff_instant(&text), "{:?}", text);
    }

    #[test]
    fn arithmetic_never_panics(at in timestamp(), seconds in any::<i64>(), nanos in any::<i128>()) {
        let moved = at.checked_add_seconds(seconds);
        let expected = jiff_timestamp(at).checked_add(jiff::SignedDuration::from_secs(seconds)).ok();
        prop_assert_eq!(moved.map(Timestamp::as_nanosecond), expected.map(|t| t.as_nanosecond()));
        let _ = Timestamp::from_nanosecond(nanos);
        let _ = Timestamp::from_millisecond(seconds);
        let _ = Timestamp::from_microsecond(seconds);
        let _ = Timestamp::from_second(seconds);
    }
}
