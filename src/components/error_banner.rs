//! The error banner over a list: what went wrong, at which provider, and the one action that
//! helps. It owns the 429 countdown, which retries by itself when the provider's wait is over;
//! the advice sentence itself comes from the core's error, so it is written once.

use std::time::Duration;

use leptos::prelude::*;
use userdeck_providers::{ErrorKind, ProviderError};

use crate::state::list::ListContext;

/// Seconds until `retry_at`, at least 1 so the countdown always shows.
fn seconds_until(error: &ProviderError) -> Option<i64> {
    match &error.kind {
        ErrorKind::RateLimited { retry_at } => {
            let now = crate::api::now().as_second();
            Some(
                retry_at
                    .map(|at| (at.as_second() - now).max(1))
                    .unwrap_or(30),
            )
        }
        _ => None,
    }
}

/// The failed load's sentence, with Retry, and on 429 a live countdown to the automatic retry.
#[component]
pub fn ErrorBanner(error: ProviderError) -> impl IntoView {
    let list = expect_context::<ListContext>();
    let reload = list.reload;
    let message = error.to_string();
    let countdown = seconds_until(&error).map(|seconds| {
        let left = RwSignal::new(seconds);
        if let Ok(handle) = set_interval_with_handle(
            move || {
                let next = left.get_untracked() - 1;
                left.set(next);
                if next == 0 {
                    reload.run(());
                }
            },
            Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
        left
    });
    view! {
        <div class="banner banner-error" role="alert" data-testid="error-banner">
            <p class="banner-title">{format!("{} could not list users", error.provider.label())}</p>
            <p>{message}</p>
            <div class="banner-buttons">
                {countdown.map(|left| view! {
                    <span class="countdown" aria-live="polite">{move || format!("Retrying in {} s", left.get().max(0))}</span>
                })}
                <button type="button" class="button" on:click=move |_| reload.run(())>"Retry"</button>
            </div>
        </div>
    }
}
