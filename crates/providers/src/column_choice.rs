//! Which columns a person chose to see for one provider, and in which order, as the console
//! stores it (`localStorage`) and saved views carry it. Stored text is input like any other:
//! decoding is total, and a hostile, stale or empty value falls back to the defaults rather
//! than hiding the table.
//!
//! Format: field ids in display order, joined by `,`, each hidden one prefixed with `-`
//! (`name,email,-phone,status`). Fields the provider has that the text does not name are shown
//! after the named ones, so a column added later appears instead of staying hidden forever.

use crate::field::Field;

/// Longest stored text read; anything longer is not something the console wrote.
const MAX_STORED_CHARS: usize = 2_000;

/// One column and whether it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The field the column shows.
    pub field: Field,
    /// Whether it is on screen (and in an export).
    pub visible: bool,
}

/// The provider's columns, all shown, in the default order.
pub fn defaults(available: &[Field]) -> Vec<Column> {
    available
        .iter()
        .map(|&field| Column {
            field,
            visible: true,
        })
        .collect()
}

/// Reads `stored` against the columns the provider has (`available`, in default order).
/// Unknown, unavailable and repeated ids are ignored, missing ones follow in default order,
/// and Name is always shown: the name is the link to the user.
pub fn decode(stored: &str, available: &[Field]) -> Vec<Column> {
    if stored.len() > MAX_STORED_CHARS {
        return defaults(available);
    }
    let mut columns: Vec<Column> = Vec::with_capacity(available.len());
    for part in stored.split(',') {
        let part = part.trim();
        let (visible, id) = match part.strip_prefix('-') {
            Some(id) => (false, id),
            None => (true, part),
        };
        let Some(field) = Field::from_id(id) else {
            continue;
        };
        if available.contains(&field) && !columns.iter().any(|c| c.field == field) {
            columns.push(Column {
                field,
                visible: visible || field == Field::Name,
            });
        }
    }
    if columns.is_empty() {
        return defaults(available);
    }
    for &field in available {
        if !columns.iter().any(|c| c.field == field) {
            columns.push(Column {
                field,
                visible: true,
            });
        }
    }
    columns
}

/// Writes `columns` in the stored format.
pub fn encode(columns: &[Column]) -> String {
    let parts: Vec<String> = columns
        .iter()
        .map(|c| {
            if c.visible {
                c.field.id().to_string()
            } else {
                format!("-{}", c.field.id())
            }
        })
        .collect();
    parts.join(",")
}

/// The fields shown, in order: what the table renders and an export writes.
pub fn visible(columns: &[Column]) -> Vec<Field> {
    columns
        .iter()
        .filter(|c| c.visible)
        .map(|c| c.field)
        .collect()
}

/// `columns` with the one at `at` moved by `by` places (−1 up, +1 down); out of range moves
/// change nothing.
pub fn moved(columns: &[Column], at: usize, by: isize) -> Vec<Column> {
    let mut out = columns.to_vec();
    if let Some(to) = at.checked_add_signed(by)
        && at < out.len()
        && to < out.len()
    {
        out.swap(at, to);
    }
    out
}

/// `columns` with `field` shown or hidden; Name stays shown whatever is asked.
pub fn toggled(columns: &[Column], field: Field, visible: bool) -> Vec<Column> {
    columns
        .iter()
        .map(|&c| Column {
            visible: if c.field == field {
                visible || field == Field::Name
            } else {
                c.visible
            },
            ..c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const AVAILABLE: [Field; 5] = [
        Field::Name,
        Field::Email,
        Field::Phone,
        Field::Status,
        Field::Created,
    ];

    #[test]
    fn round_trips_order_and_visibility() {
        let chosen = moved(&toggled(&defaults(&AVAILABLE), Field::Phone, false), 4, -1);
        let text = encode(&chosen);
        assert_eq!(text, "name,email,-phone,created,status");
        assert_eq!(decode(&text, &AVAILABLE), chosen);
        assert_eq!(
            visible(&chosen),
            [Field::Name, Field::Email, Field::Created, Field::Status]
        );
    }

    #[test]
    fn name_cannot_be_hidden() {
        let hidden = toggled(&defaults(&AVAILABLE), Field::Name, false);
        assert!(hidden[0].visible);
        let decoded = decode("-name,-email", &AVAILABLE);
        assert_eq!(
            decoded[0],
            Column {
                field: Field::Name,
                visible: true
            }
        );
        assert!(!decoded[1].visible);
    }

    #[test]
    fn hostile_and_stale_values_fall_back() {
        for hostile in [
            "",
            ",,,",
            "<script>alert(1)</script>",
            "{\"columns\":[1,2]}",
            "-",
            "expires,device_id",
            "\u{0}\u{202E}",
        ] {
            assert_eq!(
                decode(hostile, &AVAILABLE),
                defaults(&AVAILABLE),
                "{hostile:?}"
            );
        }
        let huge = "email,".repeat(1_000);
        assert_eq!(decode(&huge, &AVAILABLE), defaults(&AVAILABLE));
        let stale = decode("status,bogus,status,-email,expires", &AVAILABLE);
        assert_eq!(
            stale.iter().map(|c| c.field).collect::<Vec<_>>(),
            [
                Field::Status,
                Field::Email,
                Field::Name,
                Field::Phone,
                Field::Created
            ]
        );
        assert!(!stale[1].visible);
    }

    #[test]
    fn moves_stay_in_range() {
        let columns = defaults(&AVAILABLE);
        assert_eq!(moved(&columns, 0, -1), columns);
        assert_eq!(moved(&columns, 4, 1), columns);
        assert_eq!(moved(&columns, 9, -1), columns);
        assert_eq!(moved(&columns, 1, 1)[2].field, Field::Email);
    }
}
