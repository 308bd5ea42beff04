//! `/`: the landing page, one card per provider kind the console speaks.

use leptos::prelude::*;
use userdeck_providers::ProviderKind;

/// Lists the providers so an operator sees at a glance what this console covers.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <h1>"Providers"</h1>
        <p class="lede">"Find and inspect your users on every partner platform."</p>
        <ul class="card-grid" role="list">
            {ProviderKind::ALL
                .into_iter()
                .map(|kind| {
                    view! {
                        <li class="card">
                            <h2>{kind.label()}</h2>
                            <p class="muted">{kind.id()}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
