//! `/p/:provider/u/:key`: one user's detail, as a panel beside the provider's table. It is
//! deep-linkable, and closing it returns to the same table state because the URL keeps it.

use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::components::detail::{CopyButton, UserDetail};
use crate::format;
use crate::nav::{list_href, user_link};
use crate::state::list::ListContext;

/// The panel for the user whose key is in the URL, found among the rows on screen.
#[component]
pub fn UserPage() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let params = use_params_map();
    // Already decoded by the router: see `nav` for the one-encode, one-decode rule.
    let key = Memo::new(move |_| params.read().get("key").unwrap_or_default());
    let user = Memo::new(move |_| {
        let key = key.get();
        list.rows
            .with(|rows| rows.iter().find(|u| u.key == key).cloned())
    });
    let close_href = move || list_href(&list.provider_id(), &list.query.get());
    let navigate = use_navigate();
    let on_key = move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            navigate(&close_href(), Default::default());
        }
    };
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |_| {
        key.track();
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    view! {
        <aside class="detail-panel" aria-labelledby="detail-title" on:keydown=on_key data-testid="detail-panel">
            <div class="detail-head">
                <h2 id="detail-title" tabindex="-1" node_ref=heading>
                    {move || user.get().map(|u| format::reveal_bidi(&u.display_name)).unwrap_or_else(|| "User".to_string())}
                </h2>
                <A href=close_href attr:class="button button-small" attr:aria-label="Close the user detail">"Close"</A>
            </div>
            {move || match user.get() {
                Some(user) => {
                    let base = format!("{}{}", window().location().origin().unwrap_or_default(), crate::runtime::router_base());
                    let link = user_link(&base, &list.provider_id(), &user.key, &list.query.get_untracked());
                    let capabilities = list.capabilities();
                    view! {
                        <p class="detail-link"><CopyButton value=link what="link to this user"/></p>
                        <UserDetail user capabilities/>
                    }.into_any()
                }
                None => view! {
                    <p class="muted">"This user is not on the page shown. Close the panel and find them in the table, or check the link."</p>
                }.into_any(),
            }}
        </aside>
    }
}
