//! How one field of one user reads in a table cell. Everything is rendered as text nodes, so a
//! hostile name can never become markup.

use leptos::prelude::*;
use userdeck_providers::model::FieldValue;
use userdeck_providers::{Field, User};

use crate::components::badges::{ExpiryBadge, StatusBadge, SubscriptionBadge};
use crate::components::when::when;
use crate::format;
use crate::state::time_zone::Zone;

/// The content of `user`'s `field` cell, dates read in `zone`, from a borrowed user: a row
/// renders many cells, and the virtualised table re-renders its rows while it scrolls, so no
/// cell copies the user.
pub fn cell(user: &User, field: Field, now_seconds: i64, zone: Zone) -> AnyView {
    match field {
        Field::Status => match user.status.clone() {
            Some(status) => view! { <StatusBadge status/> }.into_any(),
            None => view! { <span class="muted">"—"</span> }.into_any(),
        },
        Field::Plan => match user.subscription.clone() {
            Some(subscription) => view! { <SubscriptionBadge subscription/> }.into_any(),
            None => view! { <span class="muted">"—"</span> }.into_any(),
        },
        Field::Expires => match user.expires {
            Some(expires) => view! {
                <span class="cell-date">
                    {when(&expires, zone)}
                    " "<ExpiryBadge expires now_seconds/>
                </span>
            }
            .into_any(),
            None => view! { <span class="muted">"—"</span> }.into_any(),
        },
        other => match user.value(other) {
            FieldValue::Missing => view! { <span class="muted">"—"</span> }.into_any(),
            FieldValue::Text(text) => {
                let shown = format::reveal_bidi(text);
                let title = shown.clone();
                view! { <bdi class="cell-text" title=title>{shown}</bdi> }.into_any()
            }
            FieldValue::Instant(instant) => when(&instant, zone).into_any(),
            FieldValue::Bool(flag) => {
                view! { <span>{if flag { "Yes" } else { "No" }}</span> }.into_any()
            }
        },
    }
}
