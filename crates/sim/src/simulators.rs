//! The five simulators over one population, and the limits a deployment may tune. Dispatching
//! by [`ProviderKind`] here is what lets the differential test and the HTTP router share one
//! entry point.

use serde::{Deserialize, Serialize};
use userdeck_providers::{HttpRequest, HttpResponse, ProviderKind, Timestamp};

use crate::activeplatform::ActivePlatformSim;
use crate::nameshield::{self, NameshieldSim};
use crate::pngme::{self, PngmeSim};
use crate::population::Population;
use crate::pressone::PressOneSim;
use crate::rate_limit::RateLimit;
use crate::rebilly::{self, RebillySim};

/// Tunable limits and variants: the documented behaviour by default, changeable because some
/// of it is assumed, because older deployments differ, and because tests need limits off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Pngme's fixed page size.
    pub pngme_page_size: u32,
    /// Whether Pngme answers in its older `{_meta, users}` shape.
    pub pngme_legacy_shape: bool,
    /// Nameshield's per-token limit (600 per 5 minutes); `null` disables it.
    pub nameshield_rate_limit: Option<RateLimit>,
    /// Rebilly's per-credential limit (unpublished; 1000 per minute assumed); `null` disables it.
    pub rebilly_rate_limit: Option<RateLimit>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            pngme_page_size: pngme::DEFAULT_PAGE_SIZE,
            pngme_legacy_shape: false,
            nameshield_rate_limit: Some(nameshield::RATE_LIMIT),
            rebilly_rate_limit: Some(rebilly::RATE_LIMIT),
        }
    }
}

impl Limits {
    /// The default limits without any rate limit, for tests that send many requests at one
    /// instant.
    pub fn unlimited() -> Self {
        Self {
            nameshield_rate_limit: None,
            rebilly_rate_limit: None,
            ..Self::default()
        }
    }
}

/// All five simulators, rendered from one population.
#[derive(Debug)]
pub struct Simulators {
    /// Page-numbered, with totals and a clamped page size.
    pub pressone: PressOneSim,
    /// Pages of a size it chooses, with a page count.
    pub pngme: PngmeSim,
    /// Offset paging that echoes what it applied, and a rate limit.
    pub nameshield: NameshieldSim,
    /// Offset paging with an offset cap, a filter grammar and a rate limit.
    pub rebilly: RebillySim,
    /// Page-numbered without totals.
    pub activeplatform: ActivePlatformSim,
}

impl Simulators {
    /// Renders `population` for every provider.
    pub fn new(population: &Population, limits: &Limits) -> Self {
        Self {
            pressone: PressOneSim::new(population),
            pngme: PngmeSim::new(
                population,
                limits.pngme_page_size,
                limits.pngme_legacy_shape,
            ),
            nameshield: NameshieldSim::new(population, limits.nameshield_rate_limit),
            rebilly: RebillySim::new(population, limits.rebilly_rate_limit),
            activeplatform: ActivePlatformSim::new(population),
        }
    }

    /// Generates a population of `users` from `seed` and renders it.
    pub fn generate(seed: u64, users: usize, limits: &Limits) -> Self {
        Self::new(&Population::generate(seed, users), limits)
    }

    /// Answers `req` as provider `kind` would at instant `now`. The path is relative to that
    /// provider's base URL (what an adapter's `request` produces).
    pub fn handle(&self, kind: ProviderKind, req: &HttpRequest, now: Timestamp) -> HttpResponse {
        match kind {
            ProviderKind::PressOne => self.pressone.handle(req, now),
            ProviderKind::Pngme => self.pngme.handle(req, now),
            ProviderKind::Nameshield => self.nameshield.handle(req, now),
            ProviderKind::Rebilly => self.rebilly.handle(req, now),
            ProviderKind::ActivePlatform => self.activeplatform.handle(req, now),
        }
    }

    /// Forgets every rate-limit window.
    pub fn reset_limits(&self) {
        self.nameshield.reset_limits();
        self.rebilly.reset_limits();
    }
}
