//! One user's record, as the detail page shows it: badges, every field the model has, the
//! provider's own attributes and the raw JSON, with copy buttons for the values people paste
//! into tickets.

use leptos::prelude::*;
use userdeck_providers::detail_rows;
use userdeck_providers::secret_fields::{MASK, is_secret_name, mask_secrets};
use userdeck_providers::{Capabilities, Field, User};
use wasm_bindgen::JsValue;

use crate::components::badges::{ExpiryBadge, StatusBadge, SubscriptionBadge};
use crate::format;

/// A copy-to-clipboard button for one value. It says "Copied" only once the browser has taken
/// the text, and "Copy failed" when the clipboard refuses (no permission, or a page not served
/// over HTTPS), so nobody pastes a stale value into a ticket.
#[component]
pub fn CopyButton(value: String, what: &'static str) -> impl IntoView {
    let outcome = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let value = value.clone();
        leptos::task::spawn_local(async move {
            outcome.set(Some(copy_text(&value).await.is_ok()));
        });
    };
    view! {
        <button type="button" class="button button-small" on:click=copy aria-label=format!("Copy {what}")>
            {move || match outcome.get() {
                None => "Copy",
                Some(true) => "Copied",
                Some(false) => "Copy failed",
            }}
        </button>
    }
}

/// Writes `text` to the clipboard. `navigator.clipboard` is missing outside secure contexts,
/// so its presence is checked before it is called.
async fn copy_text(text: &str) -> Result<(), JsValue> {
    let navigator = window().navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(JsValue::NULL);
    }
    let promise = navigator.clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
}

fn row(label: &'static str, value: Option<String>) -> impl IntoView {
    view! {
        <dt>{label}</dt>
        <dd><bdi>{value.map_or_else(|| "—".to_string(), |text| format::reveal_bidi(&text))}</bdi></dd>
    }
}

/// A row of the main list, left out when the provider kind cannot have the field.
fn field_row(
    shown: &[Field],
    field: Field,
    label: &'static str,
    value: Option<String>,
) -> Option<impl IntoView + use<>> {
    shown.contains(&field).then(|| row(label, value))
}

/// A date in the chosen zone, with the provider's own reading beside it when they differ.
fn when(value: Option<userdeck_providers::Instant>) -> Option<String> {
    let zone = crate::state::time_zone::current_zone();
    value.as_ref().map(
        |value| match crate::components::when::readings(value, zone) {
            (shown, Some(other)) => format!("{shown} ({other})"),
            (shown, None) => shown,
        },
    )
}

/// The record of `user`, below the panel's heading. `capabilities` (the provider's, once known)
/// decides which rows are listed: only the fields its kind can have.
#[component]
pub fn UserDetail(user: User, capabilities: Option<Capabilities>) -> impl IntoView {
    let shown = capabilities
        .as_ref()
        .map_or_else(|| detail_rows::ROWS.to_vec(), detail_rows::rows);
    let no_id = capabilities.as_ref().map_or_else(
        || "—".to_string(),
        |caps| detail_rows::missing(caps, Field::Id),
    );
    let has = |field: Field| shown.contains(&field);
    let (show_email, show_phone, show_id) = (has(Field::Email), has(Field::Phone), has(Field::Id));
    let now_seconds = crate::api::now_seconds();
    let mut masked = user.raw.clone();
    let hidden = mask_secrets(&mut masked);
    let pretty = |value: &serde_json::Value| {
        format::escape_bidi_json(&serde_json::to_string_pretty(value).unwrap_or_default())
    };
    let masked_text = pretty(&masked);
    let revealed_text = if hidden == 0 {
        masked_text.clone()
    } else {
        pretty(&user.raw)
    };
    let revealed = RwSignal::new(false);
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
            {show_email.then(|| view! {
                <dt>"E-mail"</dt>
                <dd class="with-copy">
                    <bdi>{user.email.as_deref().map_or_else(|| "—".to_string(), format::reveal_bidi)}</bdi>
                    {user.email.clone().map(|value| view! { <CopyButton value what="e-mail"/> })}
                </dd>
            })}
            {show_phone.then(|| view! {
                <dt>"Phone"</dt>
                <dd class="with-copy">
                    <span>{if phones.is_empty() { "—".to_string() } else { phones.join(", ") }}</span>
                    {first_phone.map(|value| view! { <CopyButton value what="phone"/> })}
                </dd>
            })}
            {show_id.then(|| view! {
                <dt>"Id"</dt>
                <dd class="with-copy">
                    <bdi>{user.id.as_deref().map_or(no_id, format::reveal_bidi)}</bdi>
                    {user.id.clone().map(|value| view! { <CopyButton value what="id"/> })}
                </dd>
            })}
            {field_row(&shown, Field::FirstName, "First name", user.first_name.clone())}
            {field_row(&shown, Field::MiddleName, "Middle name", user.middle_name.clone())}
            {field_row(&shown, Field::LastName, "Last name", user.last_name.clone())}
            {field_row(&shown, Field::Status, "Status", user.status.as_ref().map(|s| s.as_str().to_string()))}
            {field_row(&shown, Field::Created, "Created", when(user.created))}
            {field_row(&shown, Field::Updated, "Updated", when(user.updated))}
            {field_row(&shown, Field::LastLogin, "Last login", when(user.last_login))}
            {field_row(&shown, Field::Expires, "Expires", when(user.expires))}
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
                {user.attributes.iter().map(|a| {
                    let value = if is_secret_name(&a.name) { MASK.to_string() } else { format::reveal_bidi(&a.value) };
                    view! { <dt>{format::reveal_bidi(&a.name)}</dt><dd><bdi>{value}</bdi></dd> }
                }).collect_view()}
            </dl>
        })}
        <details class="raw-json">
            <summary>"Raw record (JSON)"</summary>
            {(hidden > 0).then(|| view! {
                <p class="secret-note">
                    {format!("{hidden} secret {} masked. ", if hidden == 1 { "field is" } else { "fields are" })}
                    <button type="button" class="button button-small" aria-pressed=move || revealed.get().to_string()
                        on:click=move |_| revealed.update(|shown| *shown = !*shown)>
                        {move || if revealed.get() { "Hide secrets" } else { "Reveal secrets" }}
                    </button>
                </p>
            })}
            <pre tabindex="0" aria-label="Raw record"><code>{move || if revealed.get() { revealed_text.clone() } else { masked_text.clone() }}</code></pre>
        </details>
    }
}
