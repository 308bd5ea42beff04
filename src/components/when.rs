//! A date as the person chose to read it (their local time, or the provider's offset), with the
//! other reading in the tooltip, so the provider's original offset is never lost.

use leptos::prelude::*;
use userdeck_providers::Instant;

use crate::format;
use crate::state::time_zone::{TimeZone, Zone, local_offset_seconds};

/// The text and tooltip of `value` in `zone`.
pub fn readings(value: &Instant, zone: Zone) -> (String, String) {
    let provider = format::instant(value);
    if value.date_only {
        return (provider.clone(), provider);
    }
    let millis = value.timestamp.as_second() as f64 * 1000.0;
    let local = format::instant_at(value, local_offset_seconds(millis));
    match zone {
        Zone::Local => (local, format!("As the provider wrote it: {provider}")),
        Zone::Provider => (provider, format!("Your time: {local}")),
    }
}

/// A `<time>` element for `value` in the chosen zone.
#[component]
pub fn When(value: Instant) -> impl IntoView {
    let zone = use_context::<TimeZone>().map(|choice| choice.0);
    let reading = move || readings(&value, zone.map_or(Zone::Local, |z| z.get()));
    view! {
        <time datetime=value.timestamp.to_string() title=move || reading().1>{move || reading().0}</time>
    }
}

/// "Times: your zone / provider's" in the header: which clock dates are shown in.
#[component]
pub fn TimeZoneToggle() -> impl IntoView {
    let choice = expect_context::<TimeZone>();
    let zone = choice.0;
    let label = move || match zone.get() {
        Zone::Local => "Times: yours",
        Zone::Provider => "Times: provider\u{2019}s",
    };
    let hint = move || match zone.get() {
        Zone::Local => "Dates are shown in your time zone. Switch to each provider's own offset",
        Zone::Provider => "Dates are shown in each provider's own offset. Switch to your time zone",
    };
    let toggle = move |_| {
        choice.choose(match zone.get_untracked() {
            Zone::Local => Zone::Provider,
            Zone::Provider => Zone::Local,
        })
    };
    view! {
        <button type="button" class="button button-small header-button" on:click=toggle title=hint aria-label=hint data-testid="time-zone-toggle">
            {label}
        </button>
    }
}
