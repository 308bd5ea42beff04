//! What a visitor sees when `config.json` is wrong: the member at fault and what is wrong with
//! it, instead of a blank page or half an app built on a guess.

use leptos::prelude::*;

/// The whole page, mounted instead of the app.
#[component]
pub fn ConfigError(message: String) -> impl IntoView {
    view! {
        <main id="main" class="app-main config-error" data-testid="config-error">
            <h1>"This console's configuration is not valid"</h1>
            <div class="banner banner-error" role="alert"><p>{message}</p></div>
            <p class="muted">
                "Whoever deployed Userdeck can fix config.json (config/console.example.json documents every member), or remove it to use the proxy at this address. Then reload."
            </p>
        </main>
    }
}
