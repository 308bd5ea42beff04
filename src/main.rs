//! Userdeck console entry point: reads the deployment's `config.json`, then mounts the Leptos
//! app, or the page that says what is wrong with the file.

mod api;
mod app;
mod auth;
#[cfg(feature = "bench-harness")]
mod bench_harness;
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
mod components;
mod download;
mod embed;
mod format;
mod lazy;
mod nav;
mod pages;
mod runtime;
mod state;
mod theme;
mod url_state;

fn main() {
    console_error_panic_hook::set_once();
    #[cfg(feature = "bench-harness")]
    if bench_harness::wanted() {
        return bench_harness::mount();
    }
    wasm_bindgen_futures::spawn_local(async {
        match state::config::load().await {
            Ok(config) => {
                state::config::install(config);
                leptos::mount::mount_to_body(app::App);
            }
            Err(message) => pages::config_error::show(&message),
        }
    });
}
