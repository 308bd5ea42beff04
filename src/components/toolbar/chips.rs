//! Active filters as removable chips, so a person sees at a glance what narrows the table.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use userdeck_providers::{Filter, FilterOp, Query, Value};

use crate::nav::go_to_view;
use crate::state::list::ListContext;

fn value_text(value: &Value) -> String {
    match value {
        Value::Text(text) => format!("\u{201c}{text}\u{201d}"),
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        Value::Instant(timestamp) => userdeck_providers::time::date::utc_date(*timestamp),
    }
}

/// A filter in words, e.g. "Status is “active”" or "Created from 2024-01-01 to 2024-06-30".
pub fn describe(filter: &Filter) -> String {
    let field = filter.field.label();
    match &filter.op {
        FilterOp::Equals(value) => format!("{field} is {}", value_text(value)),
        FilterOp::Not(value) => format!("{field} is not {}", value_text(value)),
        FilterOp::Contains(text) => format!("{field} contains \u{201c}{text}\u{201d}"),
        FilterOp::OneOf(values) => {
            let words: Vec<String> = values.iter().map(value_text).collect();
            format!("{field} is one of {}", words.join(", "))
        }
        FilterOp::Range { from, to } => match (from, to) {
            (Some(from), Some(to)) => {
                format!("{field} from {} to {}", value_text(from), value_text(to))
            }
            (Some(from), None) => format!("{field} from {}", value_text(from)),
            (None, Some(to)) => format!("{field} up to {}", value_text(to)),
            (None, None) => field.to_string(),
        },
    }
}

/// One chip per active filter, each with a remove button.
#[component]
pub fn FilterChips() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let navigate = use_navigate();
    move || {
        let filters = list.query.get().filters;
        if filters.is_empty() {
            return None;
        }
        let navigate = navigate.clone();
        Some(view! {
            <ul class="chips" aria-label="Active filters">
                {filters.into_iter().map(|filter| {
                    let text = describe(&filter);
                    let field = filter.field;
                    let navigate = navigate.clone();
                    let remove = move |_| {
                        let query = list.query.get_untracked();
                        let filters = query.filters.iter().filter(|f| f.field != field).cloned().collect();
                        go_to_view(&navigate, &list.provider_id(), &query, Query { filters, ..query.clone() });
                    };
                    view! {
                        <li class="chip">
                            <span>{text.clone()}</span>
                            <button type="button" class="chip-remove" aria-label=format!("Remove filter: {text}") on:click=remove>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use userdeck_providers::Field;

    #[test]
    fn filters_read_as_sentences() {
        let status = Filter {
            field: Field::Status,
            op: FilterOp::Equals(Value::Text("active".into())),
        };
        assert_eq!(describe(&status), "Status is \u{201c}active\u{201d}");
        let trial = Filter {
            field: Field::FreeTrial,
            op: FilterOp::Equals(Value::Bool(true)),
        };
        assert_eq!(describe(&trial), "Free trial is yes");
        let email = Filter {
            field: Field::Email,
            op: FilterOp::Contains("ali".into()),
        };
        assert_eq!(describe(&email), "E-mail contains \u{201c}ali\u{201d}");
    }
}
