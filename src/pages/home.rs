//! `/`: the search across every provider first, then one card per configured provider, with
//! its kind and whether it answers right now.

use leptos::prelude::*;
use leptos_router::components::A;
use userdeck_providers::{ProviderInfo, Total};

use crate::api::list::{self, Stopped};
use crate::api::providers::ProviderListError;
use crate::api::transport::Endpoint;
use crate::components::find_box::FindBox;
use crate::components::sign_in::SignIn;
use crate::format::count;
use crate::nav::provider_href;
use crate::state::catalog::{ApiBase, ProviderList};
use crate::url_state;

/// Lists the configured providers so an operator sees at a glance what is reachable.
#[component]
pub fn Home() -> impl IntoView {
    let list = expect_context::<ProviderList>();
    let heading = || {
        view! {
            <FindBox/>
            <h1>"Providers"</h1>
            <p class="lede">"Find and inspect your users on every partner platform."</p>
        }
    };
    view! {
        {move || match list.0.get() {
            None => view! { {heading()} <p class="muted" role="status">"Loading the providers…"</p> }.into_any(),
            Some(Err(ProviderListError::SignIn)) => view! { <SignIn/> }.into_any(),
            Some(Err(ProviderListError::Other(message))) => view! {
                {heading()}
                <div class="banner banner-error" role="alert"><p>{message}</p></div>
            }.into_any(),
            Some(Ok(providers)) if providers.is_empty() => view! {
                {heading()}
                <p class="muted">"No providers are configured on this server."</p>
            }.into_any(),
            Some(Ok(providers)) => view! {
                {heading()}
                <ul class="card-grid" role="list">
                    {providers.into_iter().map(|info| view! { <ProviderCard info/> }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

/// What a provider's first page says about it: how many users, or the error it gave.
#[derive(Clone, PartialEq)]
enum Health {
    Users(Total),
    Failed(String),
}

#[component]
fn ProviderCard(info: ProviderInfo) -> impl IntoView {
    let base = expect_context::<ApiBase>().0;
    let endpoint = Endpoint::new(base, &info);
    let capabilities = info.capabilities.clone();
    // The same request as the table's first page, so opening the provider is then served from
    // the cache.
    let health = LocalResource::new(move || {
        let endpoint = endpoint.clone();
        let capabilities = capabilities.clone();
        async move {
            let query = url_state::decode([]);
            match list::load(
                &endpoint,
                &capabilities,
                &query,
                (false, false),
                None,
                |_| {},
            )
            .await
            {
                Ok(loaded) => Health::Users(loaded.page.total),
                Err(Stopped::Failed(error)) => Health::Failed(error.to_string()),
                Err(Stopped::Aborted) => Health::Failed("The check was cancelled.".into()),
            }
        }
    });
    let href = provider_href(&info.id);
    view! {
        <li class="card">
            <h2><A href=href>{info.label.clone()}</A></h2>
            <p class="muted">{info.kind.label()}</p>
            <p class="card-health" aria-live="polite">
                {move || match health.get() {
                    None => view! { <span class="muted">"Checking…"</span> }.into_any(),
                    Some(Health::Users(Total::Exact(n))) => view! {
                        <span class="dot dot-ok" aria-hidden="true"></span>{format!("{} users", count(n))}
                    }.into_any(),
                    Some(Health::Users(_)) => view! {
                        <span class="dot dot-ok" aria-hidden="true"></span>"Reachable · no total published"
                    }.into_any(),
                    Some(Health::Failed(message)) => view! {
                        <span class="dot dot-error" aria-hidden="true"></span>
                        <span class="card-error">{message}</span>
                    }.into_any(),
                }}
            </p>
        </li>
    }
}
