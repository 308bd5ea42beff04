//! A page for `cargo xtask bench` only (built with the `bench-harness` feature, never shipped):
//! the virtualised table over `?rows=N` synthetic users, so the scroll benchmark measures the
//! real component in headless Chromium at a size no demo provider holds.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::Router;
use userdeck_providers::model::Phone;
use userdeck_providers::{
    Capabilities, Instant, ProviderInfo, ProviderKind, Query, Status, Timestamp, User,
};

use crate::components::table::columns::columns;
use crate::components::table::virtual_table::VirtualTable;
use crate::state::list::ListContext;
use crate::state::table_settings::TableSettings;
use crate::state::time_zone::TimeZone;

/// Whether this page load is the benchmark's (`/bench/virtual`).
pub fn wanted() -> bool {
    window()
        .location()
        .pathname()
        .is_ok_and(|path| path.ends_with("/bench/virtual"))
}

fn rows_asked() -> usize {
    window()
        .location()
        .search()
        .ok()
        .and_then(|search| search.trim_start_matches("?rows=").parse::<usize>().ok())
        .unwrap_or(100_000)
        .min(1_000_000)
}

fn user(i: usize) -> User {
    let created =
        Timestamp::from_second(1_600_000_000 + (i as i64 * 7_919) % 90_000_000).map(|timestamp| {
            Instant {
                timestamp,
                offset_seconds: 3_600,
                date_only: false,
            }
        });
    let name = format!("User {i:06}");
    User {
        key: format!("usr_{i}"),
        id: Some(format!("usr_{i}")),
        first_name: Some(name.clone()),
        middle_name: None,
        last_name: None,
        display_name: name,
        email: Some(format!("user.{i}@example.com")),
        phones: vec![Phone {
            label: "mobile".into(),
            number: format!("+2348{i:09}"),
        }],
        status: Some(if i.is_multiple_of(5) {
            Status::Inactive
        } else {
            Status::Active
        }),
        subscription: None,
        created,
        updated: created,
        last_login: created,
        expires: None,
        attributes: Vec::new(),
        raw: serde_json::Value::Null,
    }
}

/// Mounts the benchmark page instead of the app.
pub fn mount() {
    leptos::mount::mount_to_body(|| {
        let info = ProviderInfo {
            id: "bench".into(),
            kind: ProviderKind::Rebilly,
            label: "Bench".into(),
            path: "/bench".into(),
            capabilities: Capabilities::of(ProviderKind::Rebilly),
        };
        let info = Memo::new(move |_| Some(info.clone()));
        provide_context(ListContext {
            info,
            query: Memo::new(|_| Query::default()),
            rows: RwSignal::new(Vec::new()),
            reload: Callback::new(|()| ()),
            full_scan: Callback::new(|()| ()),
        });
        provide_context(TableSettings::follow(info, columns));
        provide_context(TimeZone::load());
        let users = Arc::new((0..rows_asked()).map(user).collect::<Vec<_>>());
        view! { <Router><main class="app-main"><VirtualTable users/></main></Router> }
    });
}
