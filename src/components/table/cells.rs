//! How one field of one user reads in a table cell. Everything is rendered as text nodes, so a
//! hostile name can never become markup.

use leptos::prelude::*;
use userdeck_providers::model::FieldValue;
use userdeck_providers::{Field, User};

use crate::components::badges::{ExpiryBadge, StatusBadge, SubscriptionBadge};
use crate::components::when::When;
use crate::format;

/// The content of `user`'s `field` cell.
#[component]
pub fn Cell(user: User, field: Field, now_seconds: i64) -> impl IntoView {
    match field {
        Field::Status => match user.status {
            Some(status) => view! { <StatusBadge status/> }.into_any(),
            None => view! { <span class="muted">"—"</span> }.into_any(),
        },
        Field::Plan => match user.subscription {
            Some(subscription) => view! { <SubscriptionBadge subscription/> }.into_any(),
            None => view! { <span class="muted">"—"</span> }.into_any(),
        },
        Field::Expires => match user.expires {
            Some(expires) => view! {
                <span class="cell-date">
                    <When value=expires/>
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
            FieldValue::Instant(instant) => view! { <When value=instant/> }.into_any(),
            FieldValue::Bool(flag) => {
                view! { <span>{if flag { "Yes" } else { "No" }}</span> }.into_any()
            }
        },
    }
}
