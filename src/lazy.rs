//! Views a first visit does not need (the find page, the user page, the toolbar's menu panels,
//! the All rows table, the sign-in form, the token prompt) are split points: with the `split` feature, which `cargo xtask dist`
//! sets, its WebAssembly splitter moves each of them and the code only it reaches into a chunk
//! fetched the first time the view is shown. The first load carries less, and every other build
//! (trunk serve, the browser tests) keeps them built in.

use leptos::prelude::*;

/// A chunk that could not be fetched: the network failed, or a new release replaced the files
/// this page was loaded with.
pub struct Unavailable;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for Unavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Self
    }
}

/// Declares `fn $name() -> Result<AnyView, Unavailable>` building `$view`, as a split point in
/// the chunk `$chunk` when the `split` feature is on. Call it through [`load!`].
macro_rules! split_view {
    ($(#[$meta:meta])* $chunk:ident, fn $name:ident() { $($view:tt)* }) => {
        $(#[$meta])*
        #[cfg_attr(
            feature = "split",
            leptos::wasm_split::wasm_split($chunk, fallible, wasm_split_path = leptos::wasm_split)
        )]
        fn $name() -> Result<leptos::prelude::AnyView, $crate::lazy::Unavailable> {
            Ok(leptos::prelude::IntoAny::into_any({ $($view)* }))
        }
    };
}
pub(crate) use split_view;

/// The future of a [`split_view!`] function's view: its chunk is fetched first when split.
macro_rules! load {
    ($name:path) => {
        async move {
            #[cfg(feature = "split")]
            let built = $name().await;
            #[cfg(not(feature = "split"))]
            let built = $name();
            built
        }
    };
}
pub(crate) use load;

/// Shows what `load` builds, with a loading line meanwhile and, if its chunk cannot be fetched,
/// a sentence that says so and a button that tries again.
pub fn lazy_view<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, Unavailable>> + Send + 'static,
{
    let attempt = RwSignal::new(0u32);
    let loading = || view! { <p class="muted" role="status">"Loading…"</p> };
    view! {
        <Suspense fallback=loading>
            {move || {
                attempt.track();
                Suspend::new(async move {
                    match load().await {
                        Ok(view) => view,
                        Err(Unavailable) => unavailable(attempt).into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The sentence for a chunk that did not arrive.
fn unavailable(attempt: RwSignal<u32>) -> impl IntoView {
    view! {
        <div class="banner banner-error" role="alert">
            <p>"This part of the console could not be downloaded. Check the connection and try again; if it keeps failing, reload the page."</p>
            <button type="button" class="button" on:click=move |_| attempt.update(|n| *n += 1)>"Try again"</button>
        </div>
    }
}
