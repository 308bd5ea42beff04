//! `/p/:provider`: one provider's user table. The page reads the provider and the view from the
//! URL, owns the list through [`use_user_list`], and hands rows to the components that render
//! them.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::{use_params_map, use_query_map};
use userdeck_providers::{Timestamp, User};

use crate::api::list::{Loaded, Stopped};
use crate::api::providers::ProviderListError;
use crate::components::error_banner::ErrorBanner;
use crate::components::list_states::{
    Cancelled, EmptyState, ScanStatus, ShortPagesNote, SkeletonTable, browser_work_note,
};
use crate::components::pagination::Pagination;
use crate::components::sign_in::SignIn;
use crate::components::table::UserTable;
use crate::components::table::columns;
use crate::components::table::virtual_table::VirtualTable;
use crate::components::toolbar::Toolbar;
use crate::format;
use crate::lazy::{lazy_view, load, split_view};
use crate::state::catalog::ProviderList;
use crate::state::list::use_user_list;
use crate::state::saved_views::SavedViews;
use crate::state::table_settings::TableSettings;
use crate::state::time_zone::{TimeZone, Zone, local_offset_seconds};
use crate::url_state;

/// The user table of one provider, with the detail panel beside it when a user is open.
#[component]
pub fn ProviderPage() -> impl IntoView {
    let params = use_params_map();
    let query_map = use_query_map();
    let list = expect_context::<ProviderList>();

    let provider_id = Memo::new(move |_| params.read().get("provider").unwrap_or_default());
    let info = Memo::new(move |_| list.find(&provider_id.get()));
    let query = Memo::new(move |_| {
        let map = query_map.read();
        url_state::decode((&*map).into_iter().map(|(k, v)| (k.as_ref(), v)))
    });
    let users = use_user_list(info, query);
    provide_context(users.context);
    provide_context(TableSettings::follow(info, columns::columns));
    provide_context(SavedViews::unread());
    let (data, progress, cancel) = (users.data, users.progress, users.cancel);

    let pending = RwSignal::new(false);
    let known = move || list.0.get().is_some();
    view! {
        <Show
            when=move || info.get().is_some() || !known()
            fallback=move || match list.0.get() {
                Some(Err(ProviderListError::SignIn)) => view! { <SignIn/> }.into_any(),
                Some(Err(ProviderListError::Other(message))) => view! {
                    <div class="banner banner-error" role="alert"><p>{message}</p></div>
                }.into_any(),
                _ => view! {
                    <h1>"Unknown provider"</h1>
                    <p>"No provider called \u{201c}"{provider_id}"\u{201d} is configured here. "
                        <A href=crate::nav::home_href()>"Back to the providers"</A></p>
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

/// A loaded page: the table, or the empty state, then the pager. When a scan holds the whole
/// result, the pager offers "All", which swaps the page for the virtualised table.
#[component]
fn Results(loaded: Loaded) -> impl IntoView {
    let settings = expect_context::<TableSettings>();
    let Loaded {
        page,
        strategy,
        in_memory,
        scanned,
        shortfall,
        all,
        as_of_ms,
    } = loaded;
    let shown = page.items.len();
    let total = page.total;
    let all_count = all.as_ref().map(|rows| rows.len() as u64);
    let items = page.items;
    let table = move || match all.clone().filter(|_| settings.all_rows.get()) {
        Some(users) if !users.is_empty() => {
            provide_context(AllRows(users));
            lazy_view(|| load!(all_rows_table)).into_any()
        }
        _ if items.is_empty() => view! { <EmptyState/> }.into_any(),
        _ => view! { <UserTable users=items.clone()/> }.into_any(),
    };
    view! {
        <div class="results-head">
            {browser_work_note(strategy, &in_memory, scanned)}
            <AsOf at_ms=as_of_ms/>
        </div>
        {shortfall.map(|shortfall| view! { <ShortPagesNote shortfall/> })}
        {table}
        {match all_count {
            Some(count) => view! { <Pagination total shown all=count/> }.into_any(),
            None => view! { <Pagination total shown/> }.into_any(),
        }}
    }
}

/// Every row of a full scan, handed to the All rows table's chunk.
#[derive(Clone)]
struct AllRows(Arc<Vec<User>>);

split_view! {
    /// The All rows table, in its own chunk: it is shown only after a full scan, on request.
    all_rows, fn all_rows_table() {
        let users = expect_context::<AllRows>().0;
        view! { <VirtualTable users/> }
    }
}

/// "As of 12:03": when the rows on screen left the provider, in the chosen time zone.
#[component]
fn AsOf(at_ms: f64) -> impl IntoView {
    let zone = expect_context::<TimeZone>().0;
    let at = Timestamp::from_millisecond(at_ms as i64).unwrap_or(Timestamp::UNIX_EPOCH);
    let offset = move || match zone.get() {
        Zone::Local => local_offset_seconds(at_ms),
        Zone::Provider => 0,
    };
    let text = move || match zone.get() {
        Zone::Local => format!("As of {}", format::clock(at, offset())),
        Zone::Provider => format!("As of {} UTC", format::clock(at, offset())),
    };
    view! {
        <p class="as-of" data-testid="as-of">
            <time datetime=at.to_string() title="When these rows were read from the provider; Refresh reads them again">{text}</time>
        </p>
    }
}
