//! Hands a file built in the browser to the person: a Blob, an object URL and a click on an
//! `<a download>`, the one way that works without a server round trip.

use std::time::Duration;

use leptos::prelude::{document, set_timeout};
use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a download called `file_name`; false when the browser refused.
pub fn save(file_name: &str, mime: &str, text: &str) -> bool {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let link = document()
        .create_element("a")
        .ok()
        .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    let (Some(link), Some(body)) = (link, document().body()) else {
        let _ = web_sys::Url::revoke_object_url(&url);
        return false;
    };
    link.set_href(&url);
    link.set_download(file_name);
    let _ = body.append_child(&link);
    link.click();
    link.remove();
    // The download has started from the URL; give the browser time before letting it go.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(30),
    );
    true
}

/// Today's date in the viewer's time zone, `YYYY-MM-DD`, for file names.
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}
