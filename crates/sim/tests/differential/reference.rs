//! The reference: every provider's whole population as plain rows, and a deliberately simple
//! evaluation of a [`Query`] over them (filter, stable sort, slice). It reads the simulators'
//! own records, not the adapters' output, so a parser that drops or mangles a field shows up
//! as a difference too.

use std::cmp::Ordering;

use serde_json::Value as Json;
use userdeck_providers::{
    Direction, Field, Filter, FilterOp, ProviderKind, Query, Timestamp, Value,
};
use userdeck_sim::Simulators;
use userdeck_sim::stamp::Stamp;

/// One value of one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, kept as printed.
    Text(String),
    /// An instant.
    Instant(Timestamp),
    /// A flag.
    Bool(bool),
}

/// One user as the reference sees it.
#[derive(Debug, Clone)]
pub struct Row {
    /// The record exactly as the simulator serialises it: what the core's `User::raw` must be.
    pub raw: Json,
    /// Field values (several for phones; none when missing).
    pub cells: Vec<(Field, Cell)>,
    /// Lower-cased texts the free-text search looks in.
    pub searchable: Vec<String>,
}

impl Row {
    /// The values of `field`; empty when the user has none.
    pub fn values(&self, field: Field) -> Vec<&Cell> {
        self.cells
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, c)| c)
            .collect()
    }
}

/// Text the core treats as present: a blank string is the same as none.
fn present(text: Option<&str>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty()).map(str::to_string)
}

/// Builds a row. `names` are the name parts in display order, `key` the fallback display name,
/// `search` decides what free text looks in: `None` for the console's own search (names,
/// display name, e-mail, id, phones, attribute values), `Some(texts)` for a provider's.
struct Builder {
    cells: Vec<(Field, Cell)>,
    names: Vec<Option<String>>,
    email: Option<String>,
    key: String,
    extra_search: Vec<String>,
}

impl Builder {
    fn new(key: String) -> Self {
        Self {
            cells: Vec::new(),
            names: Vec::new(),
            email: None,
            key,
            extra_search: Vec::new(),
        }
    }

    fn text(mut self, field: Field, value: Option<&str>) -> Self {
        if let Some(v) = present(value) {
            match field {
                Field::FirstName | Field::MiddleName | Field::LastName => {
                    self.names.push(Some(v.clone()))
                }
                Field::Email => self.email = Some(v.clone()),
                _ => {}
            }
            self.cells.push((field, Cell::Text(v)));
        } else if matches!(
            field,
            Field::FirstName | Field::MiddleName | Field::LastName
        ) {
            self.names.push(None);
        }
        self
    }

    fn time(mut self, field: Field, value: Option<&Stamp>) -> Self {
        if let Some(stamp) = value {
            self.cells.push((field, Cell::Instant(stamp.at)));
        }
        self
    }

    fn flag(mut self, field: Field, value: Option<bool>) -> Self {
        if let Some(b) = value {
            self.cells.push((field, Cell::Bool(b)));
        }
        self
    }

    /// An attribute value the console's search also looks in.
    fn searchable(mut self, value: Option<&str>) -> Self {
        if let Some(v) = present(value) {
            self.extra_search.push(v);
        }
        self
    }

    fn display(&self) -> String {
        let parts: Vec<&str> = self
            .names
            .iter()
            .flatten()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect();
        if !parts.is_empty() {
            return parts.join(" ");
        }
        match &self.email {
            Some(e) => e.trim().to_string(),
            None => self.key.clone(),
        }
    }

    fn build(mut self, raw: Json, provider_search: Option<Vec<Option<&str>>>) -> Row {
        let display = self.display();
        self.cells.push((Field::Name, Cell::Text(display.clone())));
        let searchable = match provider_search {
            Some(texts) => texts.into_iter().flatten().map(str::to_lowercase).collect(),
            None => {
                let mut all = vec![display.to_lowercase()];
                for (field, cell) in &self.cells {
                    let include = matches!(
                        field,
                        Field::FirstName
                            | Field::MiddleName
                            | Field::LastName
                            | Field::Email
                            | Field::Id
                            | Field::Phone
                    );
                    if let (true, Cell::Text(t)) = (include, cell) {
                        all.push(t.to_lowercase());
                    }
                }
                all.extend(self.extra_search.iter().map(|t| t.to_lowercase()));
                all
            }
        };
        Row {
            raw,
            cells: self.cells,
            searchable,
        }
    }
}

fn raw<T: serde::Serialize>(record: &T) -> Json {
    serde_json::to_value(record).expect("simulator records serialise")
}

/// Every user of `kind`, in storage order (every provider's natural order).
pub fn rows(sims: &Simulators, kind: ProviderKind) -> Vec<Row> {
    match kind {
        ProviderKind::PressOne => sims
            .pressone
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let key = match (present(r.email.as_deref()), present(r.mobile.as_deref())) {
                    (Some(e), _) => format!("email:{e}"),
                    (None, Some(m)) => format!("mobile:{m}"),
                    (None, None) => format!("row:{i}"),
                };
                let sub = r.subscription.as_ref();
                Builder::new(key)
                    .text(Field::FirstName, r.first_name.as_deref())
                    .text(Field::LastName, r.last_name.as_deref())
                    .text(Field::Email, r.email.as_deref())
                    .text(Field::Phone, r.mobile.as_deref())
                    .text(Field::Plan, sub.map(|s| s.plan.as_str()))
                    .flag(Field::SubscriptionActive, sub.map(|s| s.is_active))
                    .flag(Field::FreeTrial, sub.map(|s| s.is_free_trial))
                    .time(Field::Created, Some(&r.date_created))
                    .build(raw(r), None)
            })
            .collect(),
        ProviderKind::Pngme => sims
            .pngme
            .records
            .iter()
            .map(|r| {
                Builder::new(r.uuid.clone())
                    .text(Field::FirstName, r.first_name.as_deref())
                    .text(Field::LastName, r.last_name.as_deref())
                    .text(Field::Email, r.email.as_deref())
                    .text(Field::Phone, r.phone_number.as_deref())
                    .text(Field::Id, Some(&r.uuid))
                    .text(Field::DeviceId, Some(&r.device_id))
                    .text(Field::ExternalId, r.external_id.as_deref())
                    .time(Field::Created, Some(&r.created_at))
                    .time(Field::Updated, Some(&r.updated_at))
                    .build(
                        raw(r),
                        // Pngme's documented search fields.
                        Some(vec![
                            r.first_name.as_deref(),
                            r.last_name.as_deref(),
                            r.email.as_deref(),
                            r.phone_number.as_deref(),
                            r.external_id.as_deref(),
                            Some(&r.uuid),
                        ]),
                    )
            })
            .collect(),
        ProviderKind::Nameshield => sims
            .nameshield
            .records
            .iter()
            .map(|r| {
                let customer = r.customer_id.to_string();
                let created_by = format!("{} {}", r.created_by.firstname, r.created_by.lastname);
                let updated_by = format!("{} {}", r.updated_by.firstname, r.updated_by.lastname);
                Builder::new(r.id.clone())
                    .text(Field::FirstName, r.firstname.as_deref())
                    .text(Field::LastName, r.lastname.as_deref())
                    .text(Field::Email, r.email.as_deref())
                    .text(Field::Phone, r.phone.as_deref())
                    .text(Field::Id, Some(&r.id))
                    .text(Field::Language, r.language.as_deref())
                    .text(Field::CustomerId, Some(&customer))
                    .text(Field::CreatedBy, Some(&r.created_by.id))
                    .text(Field::UpdatedBy, Some(&r.updated_by.id))
                    .time(Field::Created, Some(&r.created_at))
                    .time(Field::Updated, Some(&r.updated_at))
                    .time(Field::LastLogin, r.last_login_at.as_ref())
                    .time(Field::Expires, r.expires_at.as_ref())
                    .searchable(r.language.as_deref())
                    .searchable(Some(&customer))
                    .searchable(Some(&created_by))
                    .searchable(Some(&r.created_by.id))
                    .searchable(Some(&updated_by))
                    .searchable(Some(&r.updated_by.id))
                    .build(raw(r), None)
            })
            .collect(),
        ProviderKind::Rebilly => sims
            .rebilly
            .records
            .iter()
            .map(|r| {
                let status = if r.status == "pending-confirmation" {
                    "pending"
                } else {
                    r.status
                };
                Builder::new(r.id.clone())
                    .text(Field::FirstName, Some(&r.first_name))
                    .text(Field::LastName, Some(&r.last_name))
                    .text(Field::Email, Some(&r.email))
                    .text(Field::Phone, r.business_phone.as_deref())
                    .text(Field::Phone, r.mobile_phone.as_deref())
                    .text(Field::Status, Some(status))
                    .text(Field::Id, Some(&r.id))
                    .text(Field::Country, Some(&r.country))
                    .time(Field::Created, Some(&r.created_time))
                    .time(Field::Updated, Some(&r.updated_time))
                    .time(Field::LastLogin, r.login_time.as_ref())
                    // Rebilly's `q` as the simulator implements it.
                    .build(
                        raw(r),
                        Some(vec![
                            Some(&r.first_name),
                            Some(&r.last_name),
                            Some(&r.email),
                        ]),
                    )
            })
            .collect(),
        ProviderKind::ActivePlatform => sims
            .activeplatform
            .records
            .iter()
            .map(|r| {
                let id = r.id.to_string();
                let mut builder = Builder::new(id.clone())
                    .text(Field::FirstName, r.first_name.as_deref())
                    .text(Field::MiddleName, Some(&r.middle_name))
                    .text(Field::LastName, r.last_name.as_deref())
                    .text(Field::Email, r.email.as_deref())
                    .text(Field::Status, Some(r.status))
                    .text(Field::Id, Some(&id))
                    .time(Field::Created, Some(&r.created_at))
                    .time(Field::Updated, Some(&r.updated_at));
                for attribute in &r.custom_attributes {
                    builder = builder.searchable(Some(&attribute.value));
                }
                builder.build(raw(r), None)
            })
            .collect(),
    }
}

fn same(cell: &Cell, value: &Value) -> bool {
    match (cell, value) {
        (Cell::Text(t), Value::Text(v)) => t.to_lowercase() == v.to_lowercase(),
        (Cell::Instant(t), Value::Instant(v)) => t == v,
        (Cell::Bool(b), Value::Bool(v)) => b == v,
        _ => false,
    }
}

fn order(cell: &Cell, value: &Value) -> Option<Ordering> {
    match (cell, value) {
        (Cell::Text(t), Value::Text(v)) => Some(t.to_lowercase().cmp(&v.to_lowercase())),
        (Cell::Instant(t), Value::Instant(v)) => Some(t.cmp(v)),
        (Cell::Bool(b), Value::Bool(v)) => Some(b.cmp(v)),
        _ => None,
    }
}

/// Whether `row` passes `filter`. A user without the field passes no filter.
pub fn passes(row: &Row, filter: &Filter) -> bool {
    row.values(filter.field)
        .into_iter()
        .any(|cell| match &filter.op {
            FilterOp::Equals(v) => same(cell, v),
            FilterOp::Contains(t) => {
                matches!(cell, Cell::Text(c) if c.to_lowercase().contains(&t.to_lowercase()))
            }
            FilterOp::OneOf(vs) => vs.iter().any(|v| same(cell, v)),
            FilterOp::Range { from, to } => {
                from.as_ref()
                    .is_none_or(|f| order(cell, f).is_some_and(Ordering::is_ge))
                    && to
                        .as_ref()
                        .is_none_or(|t| order(cell, t).is_some_and(Ordering::is_le))
            }
            FilterOp::Not(v) => !same(cell, v),
        })
}

fn sort_cell(row: &Row, field: Field) -> Option<Cell> {
    row.values(field).first().map(|c| match c {
        Cell::Text(t) => Cell::Text(t.to_lowercase()),
        other => (*other).clone(),
    })
}

fn compare_cells(a: &Cell, b: &Cell) -> Ordering {
    match (a, b) {
        (Cell::Text(x), Cell::Text(y)) => x.cmp(y),
        (Cell::Instant(x), Cell::Instant(y)) => x.cmp(y),
        (Cell::Bool(x), Cell::Bool(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

/// The rows that pass the search and every filter, in storage order.
pub fn matching<'a>(rows: &'a [Row], query: &Query) -> Vec<&'a Row> {
    let needle = query.search_text().map(str::to_lowercase);
    rows.iter()
        .filter(|r| {
            needle
                .as_ref()
                .is_none_or(|n| r.searchable.iter().any(|s| s.contains(n.as_str())))
        })
        .filter(|r| query.filters.iter().all(|f| passes(r, f)))
        .collect()
}

/// The rows `query` selects, in order, before paging: matching rows, stably sorted by each
/// key in turn (text ignoring case, missing values last in both directions).
pub fn select<'a>(rows: &'a [Row], query: &Query) -> Vec<&'a Row> {
    let mut decorated: Vec<(Vec<Option<Cell>>, &Row)> = matching(rows, query)
        .into_iter()
        .map(|r| {
            (
                query.sort.iter().map(|k| sort_cell(r, k.field)).collect(),
                r,
            )
        })
        .collect();
    decorated.sort_by(|(a, _), (b, _)| {
        for (n, key) in query.sort.iter().enumerate() {
            let ordering = match (&a[n], &b[n]) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(x), Some(y)) => match key.direction {
                    Direction::Ascending => compare_cells(x, y),
                    Direction::Descending => compare_cells(y, x),
                },
            };
            if ordering.is_ne() {
                return ordering;
            }
        }
        Ordering::Equal
    });
    decorated.into_iter().map(|(_, r)| r).collect()
}
