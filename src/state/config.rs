//! The deployment's `config.json`, read once before the app mounts (see `main`), so every
//! surface sees one settled configuration and a bad file stops at a page that says what is wrong
//! instead of half an app.

use std::cell::RefCell;

use userdeck_providers::console_config::{self, ConsoleConfig, DirectProvider};

thread_local! {
    static CONFIG: RefCell<ConsoleConfig> = RefCell::new(ConsoleConfig::default());
}

/// Makes `config` the one every surface reads; called once, before mounting.
pub fn install(config: ConsoleConfig) {
    CONFIG.with(|slot| *slot.borrow_mut() = config);
}

/// Reads the installed configuration (the default, today's behaviour, when there is no file).
pub fn with<T>(read: impl FnOnce(&ConsoleConfig) -> T) -> T {
    CONFIG.with(|slot| read(&slot.borrow()))
}

/// The direct provider configured under `id`, whose requests go from the browser to it.
pub fn direct(id: &str) -> Option<DirectProvider> {
    with(|config| config.providers.iter().find(|p| p.id == id).cloned())
}

/// Where the proxy's API lives, if the deployment has one: the configured `proxy`, or, when the
/// file lists no direct providers, the console's own base path (as without a file).
pub fn proxy_base(router_base: &str) -> Option<String> {
    with(|config| match &config.proxy {
        Some(proxy) => Some(proxy.clone()),
        None if config.providers.is_empty() => Some(router_base.to_string()),
        None => None,
    })
}

/// `config.json` beside the document: the base URI up to its last slash, so a console under
/// `/admin/` reads `/admin/config.json`.
fn config_url() -> String {
    let base = leptos::prelude::document()
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_default();
    let base = base.split(['?', '#']).next().unwrap_or_default();
    let dir = base.rfind('/').map_or("", |slash| &base[..=slash]);
    format!("{dir}config.json")
}

/// Fetches and decodes `config.json`. No file (a 404, or the HTML page a single-page-app
/// fallback answers with) is today's behaviour; anything else wrong is the sentence to show.
pub async fn load() -> Result<ConsoleConfig, String> {
    let url = config_url();
    let response = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|err| {
            format!("Could not read the console's config.json at {url} ({err}). Check the connection and reload.")
        })?;
    let html = response
        .headers()
        .get("content-type")
        .is_some_and(|t| t.starts_with("text/html"));
    match response.status() {
        404 => return Ok(ConsoleConfig::default()),
        200 if html => return Ok(ConsoleConfig::default()),
        200 => {}
        status => {
            return Err(format!(
                "The server answered {status} for the console's config.json at {url}. Serve the file, or answer 404 to use the proxy at the console's address."
            ));
        }
    }
    let bytes = response.binary().await.map_err(|err| {
        format!("Could not read the console's config.json at {url} ({err}). Reload the page.")
    })?;
    console_config::decode(&bytes).map_err(|err| err.to_string())
}
