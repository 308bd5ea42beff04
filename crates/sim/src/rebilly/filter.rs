//! Rebilly's `filter` grammar: `field:value` clauses joined by `;` (AND), values joined by `,`
//! (OR), `!` negating a value, and `a..b`, `a..`, `..b` ranges (inclusive). Values compare
//! case-insensitively; date-time fields compare as instants. A list of values matches when any
//! plain value matches (or there is none) and no negated value does.

use userdeck_providers::Timestamp;
use userdeck_providers::time::date::parse_instant;

use crate::common::fold;

/// One parsed filter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// Exact (case-insensitive) text.
    Text(String),
    /// Exact instant.
    Instant(Timestamp),
    /// Inclusive text range; a missing bound is open.
    TextRange(Option<String>, Option<String>),
    /// Inclusive instant range; a missing bound is open.
    InstantRange(Option<Timestamp>, Option<Timestamp>),
}

/// One `field:values` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The field name as Rebilly spells it.
    pub field: String,
    /// Plain values (any may match).
    pub any_of: Vec<Operand>,
    /// Negated values (none may match).
    pub none_of: Vec<Operand>,
}

/// A field's value in a record, for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue<'a> {
    /// Text (absent when null).
    Text(Option<&'a str>),
    /// Instant (absent when null).
    Instant(Option<Timestamp>),
}

/// Parses a whole `filter` parameter. `kind_of` says whether a field holds date-times
/// (`Some(true)`), text (`Some(false)`) or is not filterable (`None`). Errors name the field
/// and say what is wrong, for the 422 answer.
pub fn parse(
    filter: &str,
    kind_of: impl Fn(&str) -> Option<bool>,
) -> Result<Vec<Clause>, (String, String)> {
    let mut clauses = Vec::new();
    for part in filter.split(';').filter(|p| !p.is_empty()) {
        let Some((field, values)) = part.split_once(':') else {
            return Err((
                "filter".into(),
                format!("'{part}' is not of the form field:value."),
            ));
        };
        let Some(is_time) = kind_of(field) else {
            return Err((
                field.into(),
                format!("Filtering by '{field}' is not supported."),
            ));
        };
        let mut clause = Clause {
            field: field.to_string(),
            any_of: Vec::new(),
            none_of: Vec::new(),
        };
        for raw in values.split(',') {
            let (negated, raw) = match raw.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, raw),
            };
            if raw.is_empty() {
                return Err((field.into(), "An empty filter value is not allowed.".into()));
            }
            if raw.starts_with('@') {
                return Err((field.into(), format!("Unknown predefined list '{raw}'.")));
            }
            let operand = operand(raw, is_time).ok_or_else(|| {
                (
                    field.to_string(),
                    format!("'{raw}' is not a valid date-time."),
                )
            })?;
            if negated {
                clause.none_of.push(operand);
            } else {
                clause.any_of.push(operand);
            }
        }
        clauses.push(clause);
    }
    Ok(clauses)
}

fn operand(raw: &str, is_time: bool) -> Option<Operand> {
    let instant = |t: &str| parse_instant(t).map(|i| i.timestamp);
    if let Some((from, to)) = raw.split_once("..") {
        let bound = |t: &str| -> Option<Option<String>> {
            if t.is_empty() {
                Some(None)
            } else {
                Some(Some(t.to_string()))
            }
        };
        let (from, to) = (bound(from)?, bound(to)?);
        if is_time {
            let from = match from {
                Some(t) => Some(instant(&t)?),
                None => None,
            };
            let to = match to {
                Some(t) => Some(instant(&t)?),
                None => None,
            };
            return Some(Operand::InstantRange(from, to));
        }
        return Some(Operand::TextRange(
            from.map(|t| fold(&t)),
            to.map(|t| fold(&t)),
        ));
    }
    if is_time {
        instant(raw).map(Operand::Instant)
    } else {
        Some(Operand::Text(fold(raw)))
    }
}

impl Operand {
    fn matches(&self, value: &FieldValue) -> bool {
        match (self, value) {
            (Operand::Text(t), FieldValue::Text(Some(v))) => fold(v) == *t,
            (Operand::TextRange(from, to), FieldValue::Text(Some(v))) => {
                let v = fold(v);
                from.as_ref().is_none_or(|f| v >= *f) && to.as_ref().is_none_or(|t| v <= *t)
            }
            (Operand::Instant(t), FieldValue::Instant(Some(v))) => v == t,
            (Operand::InstantRange(from, to), FieldValue::Instant(Some(v))) => {
                from.is_none_or(|f| *v >= f) && to.is_none_or(|t| *v <= t)
            }
            _ => false,
        }
    }
}

impl Clause {
    /// Whether a record's value satisfies the clause. A null value satisfies nothing.
    pub fn matches(&self, value: &FieldValue) -> bool {
        let present = !matches!(value, FieldValue::Text(None) | FieldValue::Instant(None));
        present
            && (self.any_of.is_empty() || self.any_of.iter().any(|o| o.matches(value)))
            && !self.none_of.iter().any(|o| o.matches(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(field: &str) -> Option<bool> {
        match field {
            "createdTime" => Some(true),
            "status" | "email" | "firstName" => Some(false),
            _ => None,
        }
    }

    #[test]
    fn parses_or_negation_and_ranges() {
        let clauses = parse(
            "status:active,pending-confirmation;firstName:!ali;createdTime:2020-01-01T00:00:00Z..",
            kinds,
        )
        .expect("valid");
        assert_eq!(clauses.len(), 3);
        assert!(clauses[0].matches(&FieldValue::Text(Some("Active"))));
        assert!(!clauses[0].matches(&FieldValue::Text(Some("inactive"))));
        assert!(clauses[1].matches(&FieldValue::Text(Some("Bob"))));
        assert!(!clauses[1].matches(&FieldValue::Text(Some("ALI"))));
        assert!(!clauses[1].matches(&FieldValue::Text(None)));
        let t = |s: &str| parse_instant(s).expect("valid").timestamp;
        assert!(clauses[2].matches(&FieldValue::Instant(Some(t("2020-01-01T00:00:00Z")))));
        assert!(!clauses[2].matches(&FieldValue::Instant(Some(t("2019-12-31T23:59:59Z")))));
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in [
            "status",
            "nope:1",
            "status:",
            "status:a,,b",
            "status:@vip",
            "createdTime:yesterday",
            "createdTime:..nope",
        ] {
            assert!(parse(bad, kinds).is_err(), "{bad}");
        }
        assert_eq!(parse("", kinds), Ok(Vec::new()));
    }
}
