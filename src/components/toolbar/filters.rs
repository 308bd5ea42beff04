//! The filter builder: one control per field the provider's users carry, shaped by the field's
//! type (a status list, yes/no, a date range, or text with "contains"/"is").

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use userdeck_providers::field::ValueType;
use userdeck_providers::{Capabilities, Field, Filter, FilterOp, Query, Value, parse_instant};
use wasm_bindgen::JsCast;

use crate::components::menu::{MenuLook, lazy_menu};
use crate::lazy::{load, split_view};
use crate::nav::go_to_view;
use crate::state::list::ListContext;

/// Fields a person filters on, in the order offered; a provider gets those its users carry.
const FILTERABLE: [Field; 18] = [
    Field::Status,
    Field::Plan,
    Field::SubscriptionActive,
    Field::FreeTrial,
    Field::Email,
    Field::Phone,
    Field::FirstName,
    Field::LastName,
    Field::Created,
    Field::Updated,
    Field::LastLogin,
    Field::Expires,
    Field::Id,
    Field::DeviceId,
    Field::ExternalId,
    Field::CustomerId,
    Field::Language,
    Field::Country,
];

/// The fields offered for `capabilities`' provider.
pub fn filterable(capabilities: &Capabilities) -> Vec<Field> {
    FILTERABLE
        .into_iter()
        .filter(|field| capabilities.fields.contains(field))
        .collect()
}

/// The form's inputs, as typed by the person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// "has" (contains) or "eq" (is), for text fields.
    pub op: String,
    /// The text, status word or "yes"/"no".
    pub text: String,
    /// Start date (`YYYY-MM-DD`), for date fields.
    pub from: String,
    /// End date (`YYYY-MM-DD`), inclusive, for date fields.
    pub to: String,
}

/// The filter the draft describes, or `None` while it is incomplete.
pub fn build(field: Field, draft: &Draft) -> Option<Filter> {
    let op = match (field, field.value_type()) {
        (Field::Status, _) => {
            let word = draft.text.trim();
            if word.is_empty() {
                return None;
            }
            FilterOp::Equals(Value::Text(word.to_string()))
        }
        (_, ValueType::Bool) => match draft.text.as_str() {
            "yes" => FilterOp::Equals(Value::Bool(true)),
            "no" => FilterOp::Equals(Value::Bool(false)),
            _ => return None,
        },
        (_, ValueType::Instant) => {
            let from = parse_instant(draft.from.trim()).map(|i| Value::Instant(i.timestamp));
            // The end date is inclusive: the whole day counts.
            let to = parse_instant(draft.to.trim())
                .and_then(|i| i.timestamp.checked_add_seconds(86_399))
                .map(Value::Instant);
            if from.is_none() && to.is_none() {
                return None;
            }
            FilterOp::Range { from, to }
        }
        (_, ValueType::Text) => {
            let text = draft.text.trim();
            if text.is_empty() {
                return None;
            }
            if draft.op == "eq" {
                FilterOp::Equals(Value::Text(text.to_string()))
            } else {
                FilterOp::Contains(text.to_string())
            }
        }
    };
    Some(Filter { field, op })
}

/// "Add filter": a disclosure with the builder form, fetched on first need.
#[component]
pub fn FilterMenu() -> impl IntoView {
    let look = MenuLook {
        label: "Add filter",
        menu_class: "filter-menu",
        panel_class: "filter-panel",
        panel_label: "Add filter",
        test_id: "filter-menu",
    };
    lazy_menu(look, Signal::stored(false), || load!(filter_panel))
}

split_view! {
    /// The filter builder, in its own chunk.
    filters, fn filter_panel() { view! { <FilterForm/> } }
}

/// The builder form; applying a filter closes the menu around it.
#[component]
fn FilterForm() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let navigate = use_navigate();
    let fields = move || {
        list.capabilities()
            .map(|caps| filterable(&caps))
            .unwrap_or_default()
    };
    let field = RwSignal::new(None::<Field>);
    let draft = RwSignal::new(Draft {
        op: "has".into(),
        ..Draft::default()
    });
    let chosen = move || field.get().or_else(|| fields().first().copied());
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(field) = chosen() else { return };
        let Some(filter) = build(field, &draft.get_untracked()) else {
            return;
        };
        let query = list.query.get_untracked();
        let mut filters: Vec<Filter> = query
            .filters
            .iter()
            .filter(|f| f.field != field)
            .cloned()
            .collect();
        filters.push(filter);
        draft.set(Draft {
            op: "has".into(),
            ..Draft::default()
        });
        close_menu(&event);
        go_to_view(
            &navigate,
            &list.provider_id(),
            &query,
            Query {
                filters,
                ..query.clone()
            },
        );
    };
    let on_field = move |event| {
        field.set(Field::from_id(&event_target_value(&event)));
        draft.update(|d| {
            d.text.clear();
            d.from.clear();
            d.to.clear();
        });
    };
    let set = move |apply: fn(&mut Draft, String)| {
        move |event| draft.update(|d| apply(d, event_target_value(&event)))
    };
    let controls = move || {
        let field = chosen()?;
        let view = match (field, field.value_type()) {
            (Field::Status, _) => view! {
                <label>"Status "
                    <select on:change=set(|d, v| d.text = v) prop:value=move || draft.get().text>
                        <option value="">"Choose…"</option>
                        <option value="active">"Active"</option>
                        <option value="inactive">"Inactive"</option>
                        <option value="pending">"Pending"</option>
                    </select>
                </label>
            }.into_any(),
            (_, ValueType::Bool) => view! {
                <label>{field.label()}" "
                    <select on:change=set(|d, v| d.text = v) prop:value=move || draft.get().text>
                        <option value="">"Choose…"</option>
                        <option value="yes">"Yes"</option>
                        <option value="no">"No"</option>
                    </select>
                </label>
            }.into_any(),
            (_, ValueType::Instant) => view! {
                <label>"From "<input type="date" on:input=set(|d, v| d.from = v) prop:value=move || draft.get().from/></label>
                <label>"To "<input type="date" on:input=set(|d, v| d.to = v) prop:value=move || draft.get().to/></label>
            }.into_any(),
            (_, ValueType::Text) => view! {
                <label class="visually-hidden" for="filter-op">"Match"</label>
                <select id="filter-op" on:change=set(|d, v| d.op = v) prop:value=move || draft.get().op>
                    <option value="has">"contains"</option>
                    <option value="eq">"is exactly"</option>
                </select>
                <label class="visually-hidden" for="filter-text">"Value"</label>
                <input id="filter-text" type="text" on:input=set(|d, v| d.text = v) prop:value=move || draft.get().text/>
            }.into_any(),
        };
        Some(view)
    };
    view! {
        <form class="filter-form" on:submit=on_submit>
            <label>"Field "
                <select on:change=on_field>
                    {move || fields().into_iter().map(|f| view! {
                        <option value=f.id() selected=move || chosen() == Some(f)>{f.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            {controls}
            <button type="submit" class="button button-primary">"Apply"</button>
        </form>
    }
}

/// Closes the `<details>` around the form that sent `event`.
fn close_menu(event: &SubmitEvent) {
    let menu = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|form| form.closest("details").ok().flatten())
        .and_then(|menu| menu.dyn_into::<web_sys::HtmlDetailsElement>().ok());
    if let Some(menu) = menu {
        menu.set_open(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use userdeck_providers::ProviderKind;

    fn draft(op: &str, text: &str, from: &str, to: &str) -> Draft {
        Draft {
            op: op.into(),
            text: text.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn builds_typed_filters() {
        assert_eq!(
            build(Field::Status, &draft("", "active", "", "")).map(|f| f.op),
            Some(FilterOp::Equals(Value::Text("active".into())))
        );
        assert_eq!(
            build(Field::FreeTrial, &draft("", "no", "", "")).map(|f| f.op),
            Some(FilterOp::Equals(Value::Bool(false)))
        );
        assert_eq!(
            build(Field::Email, &draft("has", " ali ", "", "")).map(|f| f.op),
            Some(FilterOp::Contains("ali".into()))
        );
        let Some(Filter {
            op: FilterOp::Range { from, to },
            ..
        }) = build(Field::Created, &draft("", "", "2024-01-01", "2024-01-31"))
        else {
            panic!("a date range");
        };
        assert_eq!(
            from,
            parse_instant("2024-01-01").map(|i| Value::Instant(i.timestamp))
        );
        assert_eq!(
            to,
            parse_instant("2024-01-31T23:59:59Z").map(|i| Value::Instant(i.timestamp))
        );
    }

    #[test]
    fn incomplete_drafts_build_nothing() {
        assert_eq!(build(Field::Email, &draft("has", "  ", "", "")), None);
        assert_eq!(
            build(Field::Created, &draft("", "", "not a date", "")),
            None
        );
        assert_eq!(build(Field::FreeTrial, &draft("", "maybe", "", "")), None);
    }

    #[test]
    fn offers_only_fields_the_provider_has() {
        let pngme = filterable(&Capabilities::of(ProviderKind::Pngme));
        assert!(pngme.contains(&Field::DeviceId) && !pngme.contains(&Field::Status));
        let rebilly = filterable(&Capabilities::of(ProviderKind::Rebilly));
        assert_eq!(rebilly.first(), Some(&Field::Status));
    }
}
