//! A date as the person chose to read it (their local time, or the provider's offset), with the
//! other reading in the tooltip, so the provider's original offset is never lost.

use leptos::prelude::*;
use userdeck_providers::Instant;

use crate::format;
use crate::state::time_zone::{TimeZone, Zone, local_offset_seconds};

/// The text of `value` in `zone`, and the other reading for its tooltip; `None` when both read
/// the same (a date alone, or a provider writing in the viewer's own offset), so that no
/// surface repeats a date.
pub fn readings(value: &Instant, zone: Zone) -> (String, Option<String>) {
    let provider = format::instant(value);
    if value.date_only {
        return (provider, None);
    }
    let millis = value.timestamp.as_second() as f64 * 1000.0;
    let viewer = local_offset_seconds(millis);
    if viewer == value.offset_seconds {
        return (provider, None);
    }
    let local = format::instant_at(value, viewer);
    match zone {
        Zone::Local => (local, Some(format!("As the provider wrote it: {provider}"))),
        Zone::Provider => (provider, Some(format!("Your time: {local}"))),
    }
}

/// A `<time>` element for `value` in `zone`. Not reactive itself: a table reads the zone and
/// renders its rows again when it changes, so a row that is rewritten while scrolling patches
/// this element in place rather than replacing it.
pub fn when(value: &Instant, zone: Zone) -> impl IntoView + use<> {
    let (shown, other) = readings(value, zone);
    let title = other.unwrap_or_else(|| shown.clone());
    view! { <time datetime=value.timestamp.to_string() title=title>{shown}</time> }
}

/// The zone dates are read in: the person's choice where the app provides one, local time
/// elsewhere (a component rendered on its own, as in the browser tests). Tracked, so that the
/// caller renders again when it changes.
pub fn tracked_zone() -> Zone {
    use_context::<TimeZone>().map_or(Zone::Local, |choice| choice.0.get())
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
