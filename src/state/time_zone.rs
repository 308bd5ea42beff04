//! Which clock dates are shown in: the viewer's own (the default, since a support person reads
//! "last login 09:12" against their own day) or each provider's original offset. The choice is
//! remembered in `localStorage`; the other reading is always in the tooltip.

use leptos::prelude::*;

use super::prefs;

const STORAGE_KEY: &str = "userdeck.time-zone";

/// The clock dates are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The browser's local time zone.
    Local,
    /// The offset the provider wrote the date in.
    Provider,
}

/// The console-wide choice, provided by the app shell.
#[derive(Clone, Copy)]
pub struct TimeZone(pub RwSignal<Zone>);

impl TimeZone {
    /// The remembered choice, local time when there is none (or it is not one we wrote).
    pub fn load() -> Self {
        let zone = match prefs::get(STORAGE_KEY).as_deref() {
            Some("provider") => Zone::Provider,
            _ => Zone::Local,
        };
        TimeZone(RwSignal::new(zone))
    }

    /// Switches to `zone` and remembers it.
    pub fn choose(&self, zone: Zone) {
        prefs::set(
            STORAGE_KEY,
            match zone {
                Zone::Local => "local",
                Zone::Provider => "provider",
            },
        );
        self.0.set(zone);
    }
}

/// The zone chosen where the app provides one, local time elsewhere (a component rendered on
/// its own, as in the browser tests).
pub fn current_zone() -> Zone {
    use_context::<TimeZone>().map_or(Zone::Local, |choice| choice.0.get_untracked())
}

/// The browser's offset east of UTC at `timestamp_ms`, in seconds (daylight saving included).
pub fn local_offset_seconds(timestamp_ms: f64) -> i32 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(timestamp_ms));
    // getTimezoneOffset is minutes *west* of UTC.
    -(date.get_timezone_offset() as i32) * 60
}
