//! The deployment's providers and where their API lives, loaded once at start-up and shared by
//! every page through context.

use leptos::prelude::*;
use userdeck_providers::ProviderInfo;

use crate::api::providers::{self, ProviderListError};

/// The configured providers, loaded once from the proxy and shared by every surface.
#[derive(Clone, Copy)]
pub struct ProviderList(pub LocalResource<Result<Vec<ProviderInfo>, ProviderListError>>);

impl ProviderList {
    /// Starts loading the list from the Userdeck server at `base`.
    pub fn load(base: ApiBase) -> Self {
        Self(LocalResource::new(move || {
            let base = base.0.clone();
            async move { providers::load(&base).await }
        }))
    }

    /// The provider with `id`, once the list has loaded.
    pub fn find(&self, id: &str) -> Option<ProviderInfo> {
        self.0
            .get()
            .and_then(|list| list.ok())
            .and_then(|list| list.into_iter().find(|p| p.id == id))
    }

    /// The loaded providers, or none while loading or after an error.
    pub fn loaded(&self) -> Vec<ProviderInfo> {
        self.0.get().and_then(|list| list.ok()).unwrap_or_default()
    }
}

/// The path prefix for API calls: the same as the router's base, since the proxy serves both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiBase(pub String);
