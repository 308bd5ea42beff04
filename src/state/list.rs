//! One provider's user list as reactive state: the load for the current view, its progress, its
//! cancellation and reload. Any surface (the provider page today; search and embed views next)
//! gets the same behaviour by calling [`use_user_list`].

use leptos::prelude::*;
use userdeck_providers::{Capabilities, ProviderInfo, Query, User};
use web_sys::AbortController;

use crate::api::list::{self, Loaded, Progress, Stopped};
use crate::api::transport::Endpoint;
use crate::state::catalog::ApiBase;

/// What every part of a list surface reads: which provider, which view, and the rows on screen.
#[derive(Clone, Copy)]
pub struct ListContext {
    /// The provider, once the provider list has loaded.
    pub info: Memo<Option<ProviderInfo>>,
    /// The view, decoded from the URL.
    pub query: Memo<Query>,
    /// The rows on screen (every row of a full scan, which "All" can show), for the detail
    /// panel.
    pub rows: RwSignal<Vec<User>>,
    /// Reloads the view without the cache (Refresh, Retry).
    pub reload: Callback<()>,
    /// Loads the view once more as a full scan (the short-pages note's offer).
    pub full_scan: Callback<()>,
}

impl ListContext {
    /// The provider's abilities as the server described them, which decide the controls offered.
    pub fn capabilities(&self) -> Option<Capabilities> {
        self.info.get().map(|info| info.capabilities)
    }

    /// The provider's id, or "" before it is known.
    pub fn provider_id(&self) -> String {
        self.info.get().map(|info| info.id).unwrap_or_default()
    }
}

/// What a list surface renders: the result of the newest load and how far a scan has got.
#[derive(Clone, Copy)]
pub struct UserList {
    /// The newest load: `None` until the provider is known, then its outcome.
    pub data: LocalResource<Option<Result<Loaded, Stopped>>>,
    /// The running scan's progress, for "Loading 400 of ~2,000 users…".
    pub progress: RwSignal<Option<Progress>>,
    /// Stops the running load (the Cancel button).
    pub cancel: Callback<()>,
    /// The context the surface's components read.
    pub context: ListContext,
}

/// Loads `query` from `info` whenever either changes, cancelling the load it replaces. Each load
/// is planned with the capabilities the server sent, so a deployment's `max_page_size` holds in
/// the browser too.
pub fn use_user_list(info: Memo<Option<ProviderInfo>>, query: Memo<Query>) -> UserList {
    let base = expect_context::<ApiBase>().0;
    let rows = RwSignal::new(Vec::<User>::new());
    let progress = RwSignal::new(None::<Progress>);
    let reloads = RwSignal::new(0u64);
    let fresh = StoredValue::new(false);
    let scan = StoredValue::new(false);
    let controller = StoredValue::new_local(None::<AbortController>);
    let reload = Callback::new(move |()| {
        fresh.set_value(true);
        reloads.update(|n| *n += 1);
    });
    let full_scan = Callback::new(move |()| {
        scan.set_value(true);
        reloads.update(|n| *n += 1);
    });
    let cancel = Callback::new(move |()| {
        if let Some(active) = controller.get_value() {
            active.abort();
        }
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
            let read_every_page = scan.get_value();
            scan.set_value(false);
            if let Some(previous) = controller.get_value() {
                previous.abort();
            }
            let active = AbortController::new().ok();
            controller.set_value(active.clone());
            progress.set(None);
            let endpoint = Endpoint::new(base, &info);
            let signal = active.as_ref().map(AbortController::signal);
            let result = list::load(
                &endpoint,
                &info.capabilities,
                &query,
                (bypass_cache, read_every_page),
                signal.as_ref(),
                move |p| progress.set(Some(p)),
            )
            .await;
            Some(result)
        }
    });
    Effect::new(move |_| {
        if let Some(Some(Ok(loaded))) = data.get() {
            // A scan has every row in the browser: the detail panel can open any of them.
            rows.set(match &loaded.all {
                Some(all) => all.to_vec(),
                None => loaded.page.items.clone(),
            });
        }
    });
    UserList {
        data,
        progress,
        cancel,
        context: ListContext {
            info,
            query,
            rows,
            reload,
            full_scan,
        },
    }
}
