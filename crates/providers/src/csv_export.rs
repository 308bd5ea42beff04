//! Building the CSV file of an export, without I/O, so that what a support person hands on is
//! decided (and tested) once: RFC 4180 quoting, UTF-8 with a byte-order mark, the row key then
//! the visible columns in their order, ISO 8601 dates, and every cell that a spreadsheet would
//! run as a formula neutralised (OWASP "CSV injection").
//!
//! The byte-order mark is deliberate: Excel on Windows reads a UTF-8 file without one in the
//! local code page and garbles every non-Latin name, while other readers (LibreOffice, Numbers,
//! Python's `utf-8-sig`, the `csv` crate) skip it.
//!
//! Only the fields a column shows are written, never the provider's raw record, so
//! secret-named members (see [`crate::secret_fields`]) cannot leak into a file; a provider
//! attribute whose own name marks it as secret is left empty as well.

use std::fmt::Write;

use crate::field::Field;
use crate::model::{FieldValue, User};
use crate::secret_fields::is_secret_name;
use crate::time::date::Instant;

/// The UTF-8 byte-order mark that opens the file, for Excel.
pub const BOM: &str = "\u{feff}";

/// The heading of the row-key column, which comes first so that a row can be found again.
pub const KEY_HEADING: &str = "Key";

/// The characters that make a spreadsheet treat a cell as a formula (OWASP's list).
const FORMULA_STARTS: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

/// Whether a spreadsheet would run `value` as a formula. Byte-wise: every start is ASCII.
fn is_formula(value: &str) -> bool {
    value
        .as_bytes()
        .first()
        .is_some_and(|b| FORMULA_STARTS.contains(b))
}

/// The whole file for `users` with `columns` (the visible ones, in order): a byte-order mark,
/// a heading row, then one row per user, each line ended by CRLF as RFC 4180 asks.
///
/// Every cell is written straight into the one output string and only fixed up in the rare
/// case that it needs quoting or neutralising, so an export of 100,000 rows allocates nothing
/// per cell; the string is sized from the first rows, so it is not copied as it grows.
pub fn build(users: &[User], columns: &[Field]) -> String {
    let mut out = String::new();
    out.push_str(BOM);
    let mut scratch = String::new();
    push_cell(&mut out, &mut scratch, KEY_HEADING);
    for field in columns {
        out.push(',');
        push_cell(&mut out, &mut scratch, field.label());
    }
    out.push_str("\r\n");
    let sample = users.len().min(SAMPLE_ROWS);
    for (i, user) in users.iter().enumerate() {
        if i == sample {
            reserve_for_the_rest(&mut out, sample, users.len());
        }
        push_cell(&mut out, &mut scratch, &user.key);
        for &field in columns {
            out.push(',');
            let start = out.len();
            write_value(&mut out, user, field);
            finish_cell(&mut out, &mut scratch, start);
        }
        out.push_str("\r\n");
    }
    out
}

/// The rows written before the output is sized for the whole export.
const SAMPLE_ROWS: usize = 64;

/// Reserves room for `total` rows, `written` of them (and the heading) being in `out`, at the
/// average row length so far plus an eighth for longer rows further down.
fn reserve_for_the_rest(out: &mut String, written: usize, total: usize) {
    let per_row = out.len() / written.max(1) + 1;
    let rest = per_row.saturating_mul(total - written);
    out.reserve(rest.saturating_add(rest / 8));
}

/// The file name, `userdeck-<provider>-<YYYY-MM-DD>.csv`, with the provider id reduced to
/// letters, digits, `-` and `_` so that no id can name a path.
pub fn file_name(provider_id: &str, date: &str) -> String {
    let safe: String = provider_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(40)
        .collect();
    let provider = if safe.is_empty() { "provider" } else { &safe };
    format!("userdeck-{provider}-{date}.csv")
}

/// Writes `value` as one cell.
fn push_cell(out: &mut String, scratch: &mut String, value: &str) {
    let start = out.len();
    out.push_str(value);
    finish_cell(out, scratch, start);
}

/// Makes the text written to `out` from `start` one cell: neutralised, and quoted when it holds
/// a comma, a quote or a line break. The text is written in place and only moved when it needs
/// a prefix or quoting (through `scratch`, reused from cell to cell): an export writes millions
/// of cells.
fn finish_cell(out: &mut String, scratch: &mut String, start: usize) {
    let value = &out[start..];
    let formula = is_formula(value);
    let quoted = value
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if !quoted {
        if formula {
            out.insert(start, '\'');
        }
        return;
    }
    scratch.clear();
    scratch.push_str(value);
    out.truncate(start);
    out.push('"');
    if formula {
        out.push('\'');
    }
    let mut rest = scratch.as_str();
    while let Some(at) = rest.find('"') {
        out.push_str(&rest[..=at]);
        out.push('"');
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// The text of `user`'s `field`, before quoting.
fn write_value(out: &mut String, user: &User, field: Field) {
    if field == Field::Phone {
        for (i, phone) in user.phones.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            out.push_str(&phone.number);
        }
        return;
    }
    let secret = user
        .attributes
        .iter()
        .any(|a| a.field == Some(field) && is_secret_name(&a.name));
    if secret {
        return;
    }
    match user.value(field) {
        FieldValue::Missing => {}
        FieldValue::Text(text) => out.push_str(text),
        FieldValue::Bool(flag) => out.push_str(if flag { "true" } else { "false" }),
        FieldValue::Instant(instant) => push_iso8601(out, &instant),
    }
}

/// Writes `instant` as ISO 8601 in the offset the provider wrote (`2016-10-03T05:15:22+03:00`,
/// `Z` for UTC), or the date alone for a date-only value, so no value shifts on its way out.
pub fn push_iso8601(out: &mut String, instant: &Instant) {
    let t = instant.local();
    let year = t.year();
    let mut text = Ascii::default();
    if (0..=9999).contains(&year) {
        let year = year.unsigned_abs();
        text.two_digits(year / 100);
        text.two_digits(year % 100);
    } else {
        let _ = write!(out, "{year:+05}");
    }
    text.byte(b'-');
    text.two_digits(u32::from(t.month()));
    text.byte(b'-');
    text.two_digits(u32::from(t.day()));
    if !instant.date_only {
        text.byte(b'T');
        text.two_digits(u32::from(t.hour()));
        text.byte(b':');
        text.two_digits(u32::from(t.minute()));
        text.byte(b':');
        text.two_digits(u32::from(t.second()));
        let offset = instant.offset_seconds;
        if offset == 0 {
            text.byte(b'Z');
        } else {
            text.byte(if offset < 0 { b'-' } else { b'+' });
            let minutes = offset.unsigned_abs() / 60;
            text.two_digits(minutes / 60);
            text.byte(b':');
            text.two_digits(minutes % 60);
        }
    }
    out.push_str(text.as_str());
}

/// A short ASCII text built on the stack and written out at once: a date is 25 bytes at most
/// past its year, and an export writes hundreds of thousands of them.
#[derive(Default)]
struct Ascii {
    bytes: [u8; 32],
    len: usize,
}

impl Ascii {
    /// Appends an ASCII byte.
    fn byte(&mut self, byte: u8) {
        debug_assert!(byte.is_ascii());
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    /// Appends `n` as two zero-padded decimal digits (higher digits dropped, which the callers'
    /// ranges never need).
    fn two_digits(&mut self, n: u32) {
        self.byte(b'0' + (n / 10 % 10) as u8);
        self.byte(b'0' + (n % 10) as u8);
    }

    /// The text so far; always valid, as only ASCII bytes are written.
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attribute, Phone, Status};
    use crate::time::date::parse_instant;

    /// What a spreadsheet must read for `value`: a leading `'` when it would start a formula
    /// (OWASP's list, written out again so the test does not lean on the code it checks).
    fn neutralise(value: &str) -> String {
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{value}")
        } else {
            value.to_string()
        }
    }

    fn cell(value: &str) -> String {
        let mut out = String::from("a,");
        push_cell(&mut out, &mut String::new(), value);
        out.split_off(2)
    }

    fn user(key: &str, first: &str) -> User {
        User {
            key: key.into(),
            id: Some(key.into()),
            first_name: Some(first.into()),
            middle_name: None,
            last_name: None,
            display_name: first.into(),
            email: Some(format!("{key}@example.com")),
            phones: vec![],
            status: Some(Status::Active),
            subscription: None,
            created: parse_instant("2016-10-03T05:15:22.286+03:00"),
            updated: parse_instant("2024-01-15"),
            last_login: parse_instant("2024-02-01T10:00:00Z"),
            expires: None,
            attributes: vec![],
            raw: serde_json::json!({"password": "hunter2", "totpSecret": "JBSWY3DP"}),
        }
    }

    const COLUMNS: [Field; 5] = [
        Field::Name,
        Field::Email,
        Field::Created,
        Field::Updated,
        Field::LastLogin,
    ];

    #[test]
    fn key_first_then_the_columns_in_their_order() {
        let text = build(&[user("u1", "Ann")], &[Field::Email, Field::Name]);
        assert!(text.starts_with(BOM));
        let mut lines = text[BOM.len()..].split("\r\n");
        assert_eq!(lines.next(), Some("Key,E-mail,Name"));
        assert_eq!(lines.next(), Some("u1,u1@example.com,Ann"));
        assert_eq!(lines.next(), Some(""));
        assert_eq!(lines.next(), None);
    }

    #[test]
    fn dates_are_iso_8601_in_the_providers_offset() {
        let text = build(&[user("u1", "Ann")], &COLUMNS);
        assert!(
            text.contains(",2016-10-03T05:15:22+03:00,2024-01-15,2024-02-01T10:00:00Z\r\n"),
            "{text}"
        );
        let mut west = String::new();
        push_iso8601(
            &mut west,
            &parse_instant("2024-01-15T10:30:00-05:30").expect("valid"),
        );
        assert_eq!(west, "2024-01-15T10:30:00-05:30");
    }

    #[test]
    fn formulas_are_neutralised() {
        for hostile in [
            "=HYPERLINK(\"http://evil.example\",\"Click\")",
            "+1+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(hostile), format!("'{hostile}"), "{hostile:?}");
        }
        for harmless in ["Ann", "'quoted", " =spaced", "a=b", ""] {
            assert_eq!(cell(harmless), harmless);
        }
        assert_eq!(cell("=1"), "'=1");
        assert_eq!(cell("=A1,\"x\""), "\"'=A1,\"\"x\"\"\"");
        let text = build(&[user("k", "=1+2")], &[Field::Name]);
        assert!(text.ends_with("k,'=1+2\r\n"), "{text}");
        let key = build(&[user("=cmd", "Ann")], &[]);
        assert!(key.ends_with("'=cmd\r\n"), "keys are cells too: {key}");
    }

    #[test]
    fn early_years_are_zero_padded() {
        let mut out = String::new();
        push_iso8601(&mut out, &parse_instant("0001-01-01").expect("valid"));
        assert_eq!(out, "0001-01-01");
        out.clear();
        push_iso8601(
            &mut out,
            &parse_instant("0099-12-31T23:59:59Z").expect("valid"),
        );
        assert_eq!(out, "0099-12-31T23:59:59Z");
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        let text = build(&[user("k", "Doe, \"Jane\"\nline")], &[Field::Name]);
        assert!(
            text.ends_with("k,\"Doe, \"\"Jane\"\"\nline\"\r\n"),
            "{text}"
        );
    }

    #[test]
    fn secrets_never_reach_the_file() {
        let mut u = user("k", "Ann");
        u.attributes.push(Attribute {
            name: "API token".into(),
            value: "tok-123".into(),
            field: Some(Field::ExternalId),
        });
        let text = build(&[u], &Field::ALL);
        for secret in ["hunter2", "JBSWY3DP", "tok-123"] {
            assert!(!text.contains(secret), "{secret} leaked");
        }
    }

    #[test]
    fn every_phone_is_written() {
        let mut u = user("k", "Ann");
        u.phones = vec![
            Phone {
                label: "mobile".into(),
                number: "+44 20 7946 0000".into(),
            },
            Phone {
                label: "business".into(),
                number: "020 7946 0001".into(),
            },
        ];
        let text = build(&[u], &[Field::Phone]);
        assert!(
            text.ends_with("k,'+44 20 7946 0000; 020 7946 0001\r\n"),
            "{text}"
        );
    }

    #[test]
    fn file_names_give_provider_and_date() {
        assert_eq!(
            file_name("rebilly", "2026-12-01"),
            "userdeck-rebilly-2026-12-01.csv"
        );
        assert_eq!(
            file_name("../../etc/passwd", "2026-12-01"),
            "userdeck-etcpasswd-2026-12-01.csv"
        );
        assert_eq!(
            file_name("", "2026-12-01"),
            "userdeck-provider-2026-12-01.csv"
        );
    }

    #[test]
    fn round_trips_through_the_csv_crate() {
        let tricky = [
            "Ann",
            "Doe, Jane",
            "say \"hi\"",
            "two\r\nlines",
            "=HYPERLINK(\"http://x\",\"y\")",
            "שרה\u{202E}gnp.exe",
            "🦀 Ferris",
            "",
        ];
        let users: Vec<User> = tricky
            .iter()
            .enumerate()
            .map(|(i, name)| user(&format!("u{i}"), name))
            .collect();
        let text = build(&users, &COLUMNS);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers = reader.headers().expect("headers").clone();
        assert_eq!(
            headers.iter().collect::<Vec<_>>(),
            ["Key", "Name", "E-mail", "Created", "Updated", "Last login"]
        );
        let records: Vec<csv::StringRecord> =
            reader.records().collect::<Result<_, _>>().expect("records");
        assert_eq!(records.len(), tricky.len());
        for (record, (i, name)) in records.iter().zip(tricky.iter().enumerate()) {
            assert_eq!(&record[0], format!("u{i}"));
            assert_eq!(record[1], neutralise(name));
            assert_eq!(&record[3], "2016-10-03T05:15:22+03:00");
        }
    }
}
