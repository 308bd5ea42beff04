//! `/p/:provider/u/:key`: one user's detail, as a panel beside the provider's table. It is
//! deep-linkable for any user: one on the page shown is taken from its rows, any other is
//! fetched by key through the provider's best request (planned by the core's `lookup`), and
//! closing it returns to the same table state because the URL keeps it.

use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use userdeck_providers::lookup::{KeyLookup, lookup_key, pick};
use userdeck_providers::plan::plan;
use userdeck_providers::{ProviderError, ProviderInfo, User};
use web_sys::AbortController;

use crate::api::list::{self, Progress, Stopped};
use crate::api::transport::Endpoint;
use crate::components::detail::{CopyButton, UserDetail};
use crate::components::list_states::scan_text;
use crate::format;
use crate::nav::{key_from_param, list_href, user_link};
use crate::state::catalog::ApiBase;
use crate::state::list::ListContext;

/// What fetching a user by key found.
#[derive(Clone)]
enum Fetched {
    /// The provider has the user.
    Found(Box<User>),
    /// The provider has no user with this key.
    Missing,
    /// The provider or the network refused.
    Failed(ProviderError),
}

/// Fetches the user with `key` from `info`'s provider, reporting a scan's progress.
async fn fetch(
    base: String,
    info: ProviderInfo,
    key: String,
    signal: Option<web_sys::AbortSignal>,
    progress: RwSignal<Option<Progress>>,
) -> Option<Fetched> {
    let KeyLookup::Run { query, config, .. } = lookup_key(&info.capabilities, &key) else {
        return Some(Fetched::Missing);
    };
    let endpoint = Endpoint::new(base, &info);
    let planned = plan(&query, &info.capabilities, &config);
    let report = move |p: Progress| {
        progress.try_set(Some(p));
    };
    match list::run(&endpoint, planned, false, signal.as_ref(), &report).await {
        Ok(loaded) => Some(
            pick(loaded.page.items, &key).map_or(Fetched::Missing, |u| Fetched::Found(Box::new(u))),
        ),
        Err(Stopped::Aborted) => None,
        Err(Stopped::Failed(error)) => Some(Fetched::Failed(error)),
    }
}

/// The absolute link to this user, for a ticket: origin, the deployment's base, the route.
fn absolute_link(provider_id: &str, key: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    // `user_link` already starts with the router base (see `nav::set_base`).
    format!("{origin}{}", user_link(provider_id, key))
}

/// The panel for the user whose key is in the URL.
#[component]
pub fn UserPage() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let base = expect_context::<ApiBase>().0;
    let params = use_params_map();
    let key = Memo::new(move |_| key_from_param(&params.read().get("key").unwrap_or_default()));
    let on_page = Memo::new(move |_| {
        let key = key.get();
        list.rows
            .with(|rows| rows.iter().find(|u| u.key == key).cloned())
    });
    let progress = RwSignal::new(None::<Progress>);
    let controller = StoredValue::new_local(None::<AbortController>);
    // The newest lookup's outcome: `None` while it runs (or while the list may still hold the
    // user). A plain task and signal rather than a resource: this panel never suspends.
    let fetched = RwSignal::new(None::<Fetched>);
    let stop = move || {
        if let Some(active) = controller.get_value() {
            active.abort();
        }
    };
    Effect::new(move |_| {
        let (key, info) = (key.get(), list.info.get());
        let needed = on_page.with(Option::is_none);
        stop();
        fetched.set(None);
        progress.set(None);
        let Some(info) = info.filter(|_| needed) else {
            return;
        };
        let active = AbortController::new().ok();
        controller.set_value(active.clone());
        let base = base.clone();
        leptos::task::spawn_local(async move {
            let signal = active.map(|c| c.signal());
            if let Some(outcome) = fetch(base, info, key, signal, progress).await {
                fetched.try_set(Some(outcome));
            }
        });
    });
    on_cleanup(stop);
    let user = Memo::new(move |_| {
        on_page.get().or_else(|| match fetched.get() {
            Some(Fetched::Found(user)) => Some(*user),
            _ => None,
        })
    });
    let missing = move || matches!(fetched.get(), Some(Fetched::Missing));
    let close_href = move || list_href(&list.provider_id(), &list.query.get());
    let navigate = use_navigate();
    let on_key = move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            navigate(&close_href(), Default::default());
        }
    };
    let heading = NodeRef::<html::H2>::new();
    // On the next frame: the page is built before it is mounted (its chunk's view is placed
    // once the chunk has arrived), and a heading outside the document cannot take focus.
    Effect::new(move |_| {
        key.track();
        if let Some(heading) = heading.get() {
            request_animation_frame(move || {
                let _ = heading.focus();
            });
        }
    });
    let label = move || list.info.get().map(|i| i.label).unwrap_or_default();
    let title = move || match user.get() {
        Some(u) => format::reveal_bidi(&u.display_name),
        None if missing() => "No user with this key".to_string(),
        None => "User".to_string(),
    };
    view! {
        <aside class="detail-panel" aria-labelledby="detail-title" on:keydown=on_key data-testid="detail-panel">
            <div class="detail-head">
                <h2 id="detail-title" tabindex="-1" node_ref=heading>{title}</h2>
                <A href=close_href attr:class="button button-small" attr:aria-label="Close the user detail">"Close"</A>
            </div>
            {move || match (user.get(), fetched.get()) {
                (Some(user), _) => {
                    let link = absolute_link(&list.provider_id(), &user.key);
                    view! {
                        <p class="detail-link">
                            <span class="muted">"Link to this user"</span>
                            <CopyButton value=link what="link"/>
                        </p>
                        <UserDetail user capabilities=list.capabilities()/>
                    }.into_any()
                }
                (None, Some(Fetched::Missing)) => view! {
                    <p data-testid="user-missing">
                        {move || format!("{} has no user with the key \u{201c}{}\u{201d}. The user may have been deleted, or the link may be incomplete.", label(), key.get())}
                    </p>
                }.into_any(),
                (None, Some(Fetched::Failed(error))) => view! {
                    <p class="banner banner-error" role="alert">{error.to_string()}</p>
                }.into_any(),
                _ => view! {
                    <p class="muted" role="status">{move || match progress.get() {
                        Some(p) if p.rows > 0 => format!("Looking for this user at {}: {}", label(), scan_text(p)),
                        _ => format!("Looking up this user at {}…", label()),
                    }}</p>
                }.into_any(),
            }}
        </aside>
    }
}
