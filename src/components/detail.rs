//! `/p/:provider/u/:key`: the user's detail, as a panel beside the table. It is deep-linkable,
//! and closing it returns to the same table state because the URL keeps that state.

use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use userdeck_providers::User;

use crate::components::badges::{ExpiryBadge, StatusBadge, SubscriptionBadge};
use crate::format;
use crate::nav::list_href;
use crate::pages::provider::ListContext;

/// The panel for the user whose key is in the URL.
#[component]
pub fn DetailPanel() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let params = use_params_map();
    let key = Memo::new(move |_| {
        let raw = params.read().get("key").unwrap_or_default();
        js_sys::decode_uri_component(&raw)
            .ok()
            .and_then(|decoded| decoded.as_string())
            .unwrap_or(raw)
    });
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
                Some(user) => view! { <UserDetail user/> }.into_any(),
                None => view! {
                    <p class="muted">"This user is not on the page shown. Close the panel and find them in the table, or check the link."</p>
                }.into_any(),
            }}
        </aside>
    }
}

/// A copy-to-clipboard button for one value.
#[component]
fn CopyButton(value: String, what: &'static str) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&value);
        copied.set(true);
    };
    view! {
        <button type="button" class="button button-small" on:click=copy aria-label=format!("Copy {what}")>
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}

fn row(label: &'static str, value: Option<String>) -> impl IntoView {
    view! {
        <dt>{label}</dt>
        <dd><bdi>{value.map_or_else(|| "—".to_string(), |text| format::reveal_bidi(&text))}</bdi></dd>
    }
}

fn when(value: Option<userdeck_providers::Instant>) -> Option<String> {
    value.as_ref().map(format::instant)
}

#[component]
fn UserDetail(user: User) -> impl IntoView {
    let now_seconds = crate::api::now_seconds();
    let raw =
        format::escape_bidi_json(&serde_json::to_string_pretty(&user.raw).unwrap_or_default());
    let phones: Vec<String> = user
        .phones
        .iter()
        .map(|p| format!("{} ({})", p.number, p.label))
        .collect();
    let first_phone = user.phones.first().map(|p| p.number.clone());
    let subscription = user.subscription.clone();
    view! {
        <div class="detail-badges">
            {user.status.clone().map(|status| view! { <StatusBadge status/> })}
            {user.subscription.clone().map(|subscription| view! { <SubscriptionBadge subscription/> })}
            {user.expires.map(|expires| view! { <ExpiryBadge expires now_seconds/> })}
        </div>
        <dl class="detail-list">
            <dt>"E-mail"</dt>
            <dd class="with-copy">
                <bdi>{user.email.as_deref().map_or_else(|| "—".to_string(), format::reveal_bidi)}</bdi>
                {user.email.clone().map(|value| view! { <CopyButton value what="e-mail"/> })}
            </dd>
            <dt>"Phone"</dt>
            <dd class="with-copy">
                <span>{if phones.is_empty() { "—".to_string() } else { phones.join(", ") }}</span>
                {first_phone.map(|value| view! { <CopyButton value what="phone"/> })}
            </dd>
            <dt>"Id"</dt>
            <dd class="with-copy">
                <bdi>{user.id.as_deref().map_or_else(|| "— (this provider has no user id)".to_string(), format::reveal_bidi)}</bdi>
                {user.id.clone().map(|value| view! { <CopyButton value what="id"/> })}
            </dd>
            {row("First name", user.first_name.clone())}
            {row("Middle name", user.middle_name.clone())}
            {row("Last name", user.last_name.clone())}
            {row("Status", user.status.as_ref().map(|s| s.as_str().to_string()))}
            {row("Created", when(user.created))}
            {row("Updated", when(user.updated))}
            {row("Last login", when(user.last_login))}
            {row("Expires", when(user.expires))}
        </dl>
        {subscription.map(|sub| view! {
            <h3>"Subscription"</h3>
            <dl class="detail-list">
                {row("Plan", sub.plan.clone())}
                {row("Term", sub.term.clone())}
                {row("Cost", sub.cost.map(format::money))}
                {row("Active", sub.active.map(|a| if a { "Yes".to_string() } else { "No".to_string() }))}
                {row("Free trial", sub.free_trial.map(|a| if a { "Yes".to_string() } else { "No".to_string() }))}
                {row("Billing day", sub.billing_day.as_deref().map(|day| {
                    userdeck_providers::parse_instant(day).map_or_else(|| day.to_string(), |i| format::instant(&i))
                }))}
                {row("Since", when(sub.created))}
            </dl>
        })}
        {(!user.attributes.is_empty()).then(|| view! {
            <h3>"Provider attributes"</h3>
            <dl class="detail-list">
                {user.attributes.iter().map(|a| view! { <dt>{format::reveal_bidi(&a.name)}</dt><dd><bdi>{format::reveal_bidi(&a.value)}</bdi></dd> }).collect_view()}
            </dl>
        })}
        <details class="raw-json">
            <summary>"Raw record (JSON)"</summary>
            <pre tabindex="0" aria-label="Raw record"><code>{raw}</code></pre>
        </details>
    }
}
