//! The fuzz targets by name, so that the binary, `cargo xtask fuzz` and the seed corpora agree
//! on one list.

mod console_config;
mod proxy_toml;
mod rebilly_filter;
mod response;
mod url_state;

use userdeck_providers::ProviderKind;

/// One fuzz target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A provider's list response (status, headers, body) through its adapter's parser.
    Response(ProviderKind),
    /// A query string through the console's URL state decoder, and back through its encoder.
    UrlState,
    /// Text through the proxy's config parser.
    ProxyToml,
    /// Bytes through the console's `config.json` decoder, and back through a JSON writer.
    ConsoleConfig,
    /// Structured filters written by the Rebilly adapter and read by the simulator's parser.
    RebillyFilter,
}

impl Target {
    /// Every target, in the order `cargo xtask fuzz` runs them.
    pub const ALL: [Target; 9] = [
        Target::Response(ProviderKind::PressOne),
        Target::Response(ProviderKind::Pngme),
        Target::Response(ProviderKind::Nameshield),
        Target::Response(ProviderKind::Rebilly),
        Target::Response(ProviderKind::ActivePlatform),
        Target::UrlState,
        Target::ProxyToml,
        Target::RebillyFilter,
        Target::ConsoleConfig,
    ];

    /// The name on the command line and of the corpus folder.
    pub fn name(self) -> &'static str {
        match self {
            Target::Response(ProviderKind::PressOne) => "pressone",
            Target::Response(ProviderKind::Pngme) => "pngme",
            Target::Response(ProviderKind::Nameshield) => "nameshield",
            Target::Response(ProviderKind::Rebilly) => "rebilly",
            Target::Response(ProviderKind::ActivePlatform) => "activeplatform",
            Target::UrlState => "url_state",
            Target::ProxyToml => "proxy_toml",
            Target::RebillyFilter => "rebilly_filter",
            Target::ConsoleConfig => "console_config",
        }
    }

    /// The target called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Feeds one input to the target; panics only on a defect.
    pub fn run(self, data: &[u8]) {
        match self {
            Target::Response(kind) => response::run(kind, data),
            Target::UrlState => url_state::run(data),
            Target::ProxyToml => proxy_toml::run(data),
            Target::RebillyFilter => rebilly_filter::run(data),
            Target::ConsoleConfig => console_config::run(data),
        }
    }
}
