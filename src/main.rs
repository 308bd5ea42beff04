//! Userdeck console entry point: mounts the Leptos app into the page.

mod api;
mod app;
mod auth;
#[cfg(feature = "bench-harness")]
mod bench_harness;
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
mod components;
mod download;
mod format;
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
    leptos::mount::mount_to_body(app::App);
}
