//! Fixed demo credentials. The simulators accept exactly these, in the place each provider
//! expects them, so the console's credential handling is exercised end to end and a
//! misplaced key fails the way it would against the real API.

use userdeck_providers::{HttpRequest, ProviderKind};

/// PressOne partner secret: `Authorization: Bearer …` and `Pressone-X-Api-Key: …`, both.
pub const PRESSONE_DEMO_KEY: &str = "sk_demo_pressone_5f2b9c1e7a";

/// Pngme JWT (HS256-shaped, `exp` in 2100), sent as `Authorization: Bearer …`.
pub const PNGME_DEMO_JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyZGVjay1kZW1vIiwib3JnIjoiZGVtby1vcmciLCJpYXQiOjE3MzU2ODk2MDAsImV4cCI6NDEwMjQ0NDgwMH0.QqnFybm-RK3tZT8jZrvHliwRAH5Wuzd4nXV_p-HR760";

/// `exp` of [`PNGME_DEMO_JWT`] (2100-01-01T00:00:00Z).
pub const PNGME_DEMO_JWT_EXP: i64 = 4_102_444_800;

/// A Pngme JWT that expired at 2023-11-14T22:13:20Z, to show the 401 an expired token gets.
pub const PNGME_EXPIRED_JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyZGVjay1kZW1vLWV4cGlyZWQiLCJvcmciOiJkZW1vLW9yZyIsImlhdCI6MTY5OTk4MjAwMCwiZXhwIjoxNzAwMDAwMDAwfQ.4QD_J7VMWfp0f4CBlt1CiRv644epmFBpDI869Gf1z_A";

/// `exp` of [`PNGME_EXPIRED_JWT`].
pub const PNGME_EXPIRED_JWT_EXP: i64 = 1_700_000_000;

/// Nameshield API token (`Authorization: Bearer …`).
pub const NAMESHIELD_DEMO_TOKEN: &str = "ns_demo_token_8d41c07b";

/// A second Nameshield token of the same account: rate limits are per token.
pub const NAMESHIELD_SECOND_TOKEN: &str = "ns_demo_token_2_1f6a3e90";

/// Rebilly secret key (`REB-APIKEY: …`).
pub const REBILLY_DEMO_API_KEY: &str = "sk_sandbox_demo_rebilly_0c3f7a";

/// Rebilly JWT (`Authorization: Bearer …`), the browser-safe alternative.
pub const REBILLY_DEMO_JWT: &str =
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfZGVtbyIsImV4cCI6NDEwMjQ0NDgwMH0.cmViaWxseS1kZW1vLWp3dA";

/// ActivePlatform manager token (`api_token` query parameter).
pub const ACTIVEPLATFORM_DEMO_TOKEN: &str = "654321demo";

/// The one secret a deployment configures for `kind` to talk to the simulator: the value that
/// `Credentials::for_kind(kind, secret)` in the providers crate expects.
pub fn demo_secret(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::PressOne => PRESSONE_DEMO_KEY,
        ProviderKind::Pngme => PNGME_DEMO_JWT,
        ProviderKind::Nameshield => NAMESHIELD_DEMO_TOKEN,
        ProviderKind::Rebilly => REBILLY_DEMO_API_KEY,
        ProviderKind::ActivePlatform => ACTIVEPLATFORM_DEMO_TOKEN,
    }
}

/// The bearer token in an `Authorization` header value, if it is one.
pub fn bearer(value: Option<&str>) -> Option<&str> {
    let value = value?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// `req` without anything that could carry a credential (auth headers, `api_token`), so a
/// simulator answers it exactly as it answers a client that sent none.
pub fn without_credentials(req: &HttpRequest) -> HttpRequest {
    const HEADERS: [&str; 3] = ["authorization", "pressone-x-api-key", "reb-apikey"];
    let mut stripped = req.clone();
    stripped
        .headers
        .retain(|(name, _)| !HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)));
    stripped.query.retain(|(name, _)| name != "api_token");
    stripped
}
