//! `/p/:provider`: one provider's user table. This page owns the list state: it reads the view
//! from the URL, runs the plan, and hands rows to the components that render them.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::{use_params_map, use_query_map};
use userdeck_providers::{Capabilities, Query, User};
use web_sys::AbortController;

use crate::api::list::{self, Loaded, Progress, Stopped};
use crate::api::providers::{ListError, ProviderInfo};
use crate::api::transport::Endpoint;
use crate::app::{ApiBase, ProviderList};
use crate::components::pagination::Pagination;
use crate::components::sign_in::SignIn;
use crate::components::states::{Cancelled, EmptyState, ErrorBanner, ScanStatus, SkeletonTable};
use crate::components::table::UserTable;
use crate::components::toolbar::Toolbar;
use crate::url_state;

/// What every part of the list page reads: which provider, which view, and the rows on screen.
#[derive(Clone, Copy)]
pub struct ListContext {
    /// The provider, once the provider list has loaded.
    pub info: Memo<Option<ProviderInfo>>,
    /// The view, decoded from the URL.
    pub query: Memo<Query>,
    /// The rows of the page on screen, for the detail panel.
    pub rows: RwSignal<Vec<User>>,
    /// Reloads the view without the cache (Refresh, Retry).
    pub reload: Callback<()>,
}

impl ListContext {
    /// The provider's abilities, which decide the controls offered.
    pub fn capabilities(&self) -> Option<Capabilities> {
        self.info.get().map(|info| Capabilities::of(info.kind))
    }

    /// The provider's id, or "" before it is known.
    pub fn provider_id(&self) -> String {
        self.info.get().map(|info| info.id).unwrap_or_default()
    }
}

/// The user table of one provider, with the detail panel beside it when a user is open.
#[component]
pub fn ProviderPage() -> impl IntoView {
    let params = use_params_map();
    let query_map = use_query_map();
    let list = expect_context::<ProviderList>();
    let base = expect_context::<ApiBase>().0;

    let provider_id = Memo::new(move |_| params.read().get("provider").unwrap_or_default());
    let info = Memo::new(move |_| list.find(&provider_id.get()));
    let query = Memo::new(move |_| {
        let map = query_map.read();
        url_state::decode((&*map).into_iter().map(|(k, v)| (k.as_ref(), v)))
    });
    let rows = RwSignal::new(Vec::<User>::new());
    let progress = RwSignal::new(None::<Progress>);
    let reloads = RwSignal::new(0u64);
    let fresh = StoredValue::new(false);
    let controller = StoredValue::new_local(None::<AbortController>);
    let reload = Callback::new(move |()| {
        fresh.set_value(true);
        reloads.update(|n| *n += 1);
    });
    let cancel = Callback::new(move |()| {
        if let Some(active) = controller.get_value() {
            active.abort();
        }
    });
    provide_context(ListContext {
        info,
        query,
        rows,
        reload,
    });

    let data = LocalResource::new(move || {
        let info = info.get();
        let query = query.get();
        reloads.track();
        let base = base.clone();
        async move {
            let info = info?;
            let bypass_cache = fresh.get_value();
            fresh.set_value(false);
            if let Some(previous) = controller.get_value() {
                previous.abort();
            }
            let active = AbortController::new().ok();
            controller.set_value(active.clone());
            progress.set(None);
            let endpoint = Endpoint::new(base, &info);
            let capabilities = Capabilities::of(info.kind);
            let signal = active.as_ref().map(AbortController::signal);
            let result = list::load(
                &endpoint,
                &capabilities,
                &query,
                bypass_cache,
                signal.as_ref(),
                move |p| progress.set(Some(p)),
            )
            .await;
            Some(result)
        }
    });
    Effect::new(move |_| {
        if let Some(Some(Ok(loaded))) = data.get() {
            rows.set(loaded.page.items.clone());
        }
    });

    let pending = RwSignal::new(false);
    let known = move || list.0.get().is_some();
    view! {
        <Show
            when=move || info.get().is_some() || !known()
            fallback=move || match list.0.get() {
                Some(Err(ListError::SignIn)) => view! { <SignIn/> }.into_any(),
                Some(Err(ListError::Other(message))) => view! {
                    <div class="banner banner-error" role="alert"><p>{message}</p></div>
                }.into_any(),
                _ => view! {
                    <h1>"Unknown provider"</h1>
                    <p>"No provider called \u{201c}"{provider_id}"\u{201d} is configured here. "
                        <A href="/">"Back to the providers"</A></p>
                }.into_any(),
            }
        >
            <section class="list-page" aria-labelledby="list-title">
                <header class="page-head">
                    <h1 id="list-title">{move || info.get().map(|i| i.label).unwrap_or_default()}</h1>
                    <span class="kind-tag">{move || info.get().map(|i| i.kind.label()).unwrap_or_default()}</span>
                </header>
                <Toolbar/>
                <div class="progress-line" class:active=move || pending.get() role="presentation"></div>
                <ScanStatus pending=pending.into() progress=progress.into() cancel/>
                <div class="list-layout">
                    <div class="list-main">
                        <Transition fallback=|| view! { <SkeletonTable/> } set_pending=pending.write_only()>
                            {move || Suspend::new(async move {
                                match data.await {
                                    None => view! { <SkeletonTable/> }.into_any(),
                                    Some(Ok(loaded)) => view! { <Results loaded/> }.into_any(),
                                    Some(Err(Stopped::Failed(error))) => view! { <ErrorBanner error/> }.into_any(),
                                    Some(Err(Stopped::Aborted)) => view! { <Cancelled/> }.into_any(),
                                }
                            })}
                        </Transition>
                    </div>
                    <Outlet/>
                </div>
            </section>
        </Show>
    }
}

/// A loaded page: the table, or the empty state, then the pager.
#[component]
fn Results(loaded: Loaded) -> impl IntoView {
    let Loaded {
        page,
        strategy,
        in_memory,
        scanned,
    } = loaded;
    let shown = page.items.len();
    let total = page.total;
    view! {
        {crate::components::states::browser_work_note(strategy, &in_memory, scanned)}
        {if page.items.is_empty() {
            view! { <EmptyState/> }.into_any()
        } else {
            view! { <UserTable users=page.items/> }.into_any()
        }}
        <Pagination total shown/>
    }
}
