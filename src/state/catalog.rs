//! The deployment's providers and where their API lives, loaded once at start-up and shared by
//! every page through context.

use leptos::prelude::*;
use userdeck_providers::ProviderInfo;

use crate::api::providers::{self, ProviderListError};
use crate::state::config;

/// The configured providers, loaded once from the proxy and shared by every surface.
#[derive(Clone, Copy)]
pub struct ProviderList(pub LocalResource<Result<Vec<ProviderInfo>, ProviderListError>>);

impl ProviderList {
    /// Starts loading the list: the proxy's providers from `proxy` (when the deployment has a
    /// proxy), then the direct providers of `config.json`. A direct provider's id wins over a
    /// proxy provider with the same id, so one id always means one destination.
    pub fn load(proxy: Option<ApiBase>) -> Self {
        Self(LocalResource::new(move || {
            let proxy = proxy.clone();
            async move {
                let direct: Vec<ProviderInfo> = config::with(|c| {
                    c.providers
                        .iter()
                        .map(|p| ProviderInfo {
                            id: p.id.clone(),
                            kind: p.kind,
                            label: p.label.clone(),
                            path: String::new(),
                            capabilities: p.capabilities.clone(),
                        })
                        .collect()
                });
                let mut list = match proxy {
                    Some(base) => providers::load(&base.0).await?,
                    None => Vec::new(),
                };
                list.retain(|p| !direct.iter().any(|d| d.id == p.id));
                list.extend(direct);
                Ok(list)
            }
        }))
    }

    /// Loads the list again, after the host of an embedded console has signed it in.
    pub fn reload(&self) {
        self.0.refetch();
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

/// The prefix for API calls: the router's base when the proxy serves the console, else the
/// `proxy` of `config.json` (a path on this origin or another origin's URL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiBase(pub String);
