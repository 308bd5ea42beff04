//! Embed mode for partner portals: the console in a portal's `<iframe>` (`/embed/p/:provider`),
//! talking to the portal through the `postMessage` protocol of
//! `userdeck_providers::embed_protocol`. [`bridge`] holds the window plumbing.

pub mod bridge;

use leptos::prelude::*;

use crate::lazy::Unavailable;
use crate::state::catalog::ProviderList;

/// Whether the frame's bridge to the portal could not be fetched, for [`notice`] to say so.
#[derive(Clone, Copy)]
pub struct BridgeDown(RwSignal<bool>);

/// Connects the frame to the portal around it. Only embed frames need the bridge, so its code
/// is a chunk of its own; if the chunk cannot be fetched the console still works, and
/// [`notice`] says what is missing.
pub fn start(list: ProviderList) -> BridgeDown {
    let down = BridgeDown(RwSignal::new(false));
    leptos::task::spawn_local(async move {
        #[cfg(feature = "split")]
        let connected = connect(list).await;
        #[cfg(not(feature = "split"))]
        let connected = connect(list);
        if connected.is_err() {
            down.0.set(true);
        }
    });
    down
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(embed, fallible, wasm_split_path = leptos::wasm_split)
)]
fn connect(list: ProviderList) -> Result<(), Unavailable> {
    bridge::start(list);
    Ok(())
}

/// The sentence a frame shows when its bridge did not arrive: the portal's theme, sizing and
/// messages do not reach it.
pub fn notice(down: BridgeDown) -> impl IntoView {
    move || {
        down.0.get().then(|| {
            view! {
                <div class="banner banner-error" role="alert">
                    <p>"This frame could not connect to the portal around it, so the portal's theme, sizing and messages do not reach it. Check the connection and reload the page."</p>
                </div>
            }
        })
    }
}
