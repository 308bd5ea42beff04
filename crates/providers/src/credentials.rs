//! Credentials, kept apart from requests so that adapters never see a secret and the proxy (or,
//! where safe, the browser) adds them last. `Debug` never prints a secret, so logging a request
//! plan cannot leak one.

use crate::error::{ErrorKind, ProviderError};
use crate::http::HttpRequest;
use crate::kind::ProviderKind;
use crate::time::Timestamp;

/// A secret string whose `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that puts it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How a request is authenticated; each provider accepts only some of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// PressOne's partner secret, sent as `Authorization: Bearer` and `Pressone-X-Api-Key` like
    /// the official SDKs do.
    PressOneSecret(Secret),
    /// `Authorization: Bearer` (Pngme JWT, Nameshield token, Rebilly JWT).
    Bearer(Secret),
    /// Rebilly's secret key in `REB-APIKEY` (server side only).
    RebillyApiKey(Secret),
    /// ActivePlatform's `api_token` query parameter.
    ApiTokenQuery(Secret),
}

impl Credentials {
    /// The usual scheme for `kind` given one secret: what a config file with just a key means.
    pub fn for_kind(kind: ProviderKind, secret: impl Into<String>) -> Self {
        let secret = Secret::new(secret);
        match kind {
            ProviderKind::PressOne => Credentials::PressOneSecret(secret),
            ProviderKind::Pngme | ProviderKind::Nameshield => Credentials::Bearer(secret),
            ProviderKind::Rebilly => Credentials::RebillyApiKey(secret),
            ProviderKind::ActivePlatform => Credentials::ApiTokenQuery(secret),
        }
    }

    /// Whether `kind` accepts this scheme, so a misconfiguration is caught before any request.
    pub fn accepted_by(&self, kind: ProviderKind) -> bool {
        matches!(
            (kind, self),
            (ProviderKind::PressOne, Credentials::PressOneSecret(_))
                | (ProviderKind::Pngme, Credentials::Bearer(_))
                | (ProviderKind::Nameshield, Credentials::Bearer(_))
                | (
                    ProviderKind::Rebilly,
                    Credentials::Bearer(_) | Credentials::RebillyApiKey(_)
                )
                | (ProviderKind::ActivePlatform, Credentials::ApiTokenQuery(_))
        )
    }

    /// Whether the secret may be used from a browser (direct mode): only short-lived bearer
    /// tokens; long-lived keys and query-string tokens stay behind the proxy.
    pub fn browser_safe(&self, kind: ProviderKind) -> bool {
        matches!(
            (kind, self),
            (
                ProviderKind::Pngme | ProviderKind::Rebilly,
                Credentials::Bearer(_)
            )
        )
    }

    /// Adds the credentials to `request` for `kind`, replacing any the request already carries.
    pub fn apply(
        &self,
        kind: ProviderKind,
        request: &mut HttpRequest,
    ) -> Result<(), ProviderError> {
        if !self.accepted_by(kind) {
            return Err(ProviderError::new(
                kind,
                ErrorKind::Unauthorized,
                "the configured credential type is not one this provider accepts",
            ));
        }
        let drop_header = |request: &mut HttpRequest, name: &str| {
            request
                .headers
                .retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        };
        match self {
            Credentials::PressOneSecret(s) => {
                drop_header(request, "Authorization");
                drop_header(request, "Pressone-X-Api-Key");
                request
                    .headers
                    .push(("Authorization".into(), format!("Bearer {}", s.expose())));
                request
                    .headers
                    .push(("Pressone-X-Api-Key".into(), s.expose().to_string()));
            }
            Credentials::Bearer(s) => {
                drop_header(request, "Authorization");
                request
                    .headers
                    .push(("Authorization".into(), format!("Bearer {}", s.expose())));
            }
            Credentials::RebillyApiKey(s) => {
                drop_header(request, "REB-APIKEY");
                request
                    .headers
                    .push(("REB-APIKEY".into(), s.expose().to_string()));
            }
            Credentials::ApiTokenQuery(s) => {
                request.query.retain(|(k, _)| k != "api_token");
                request
                    .query
                    .insert(0, ("api_token".into(), s.expose().to_string()));
            }
        }
        Ok(())
    }
}

/// Which way a configured secret is sent, where a provider accepts more than one: Rebilly takes
/// its secret key in `REB-APIKEY` or a JWT as a bearer token, and a deployment chooses which
/// one its secret is (`credential = "api_key"` or `"jwt"` in the proxy's config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheme {
    /// The provider's usual scheme ([`Credentials::for_kind`]).
    #[default]
    Usual,
    /// `Authorization: Bearer` (a Rebilly JWT).
    Bearer,
}

impl Scheme {
    /// Reads the config's `credential` value for `kind`, or says which values it may take.
    pub fn from_config(kind: ProviderKind, value: &str) -> Result<Self, String> {
        match (kind, value) {
            (ProviderKind::Rebilly, "api_key") => Ok(Scheme::Usual),
            (ProviderKind::Rebilly, "jwt") => Ok(Scheme::Bearer),
            (ProviderKind::Rebilly, other) => Err(format!(
                "`{other}` is not one of \"api_key\" (the secret key, sent as REB-APIKEY) or \"jwt\" (a JWT, sent as Authorization: Bearer)"
            )),
            (other, _) => Err(format!(
                "only Rebilly offers a choice of credential; {} has one way to authenticate, so leave this out",
                other.label()
            )),
        }
    }
}

impl Credentials {
    /// The credentials for `kind` when its secret is sent the `scheme` way.
    pub fn with_scheme(kind: ProviderKind, scheme: Scheme, secret: impl Into<String>) -> Self {
        match scheme {
            Scheme::Usual => Credentials::for_kind(kind, secret),
            Scheme::Bearer => Credentials::Bearer(Secret::new(secret)),
        }
    }
}

/// When a JWT expires, from its `exp` claim; `None` when the token is not a JWT or has no
/// expiry. The signature is not checked: this only spares a request that would fail anyway.
pub fn jwt_expiry(token: &str) -> Option<Timestamp> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64url_decode(payload)?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?;
    let seconds = exp.as_i64().or_else(|| exp.as_f64().map(|f| f as i64))?;
    Timestamp::from_second(seconds)
}

/// Decodes unpadded (or padded) base64url, as JWT segments use.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for byte in text.trim_end_matches('=').bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

impl Credentials {
    /// Refuses, before any request, a bearer JWT that has already expired (Pngme tokens last
    /// five hours; Rebilly JWTs are short-lived), as Pngme's own client does.
    pub fn check_fresh(&self, kind: ProviderKind, now: Timestamp) -> Result<(), ProviderError> {
        let Credentials::Bearer(token) = self else {
            return Ok(());
        };
        match jwt_expiry(token.expose()) {
            Some(expiry) if expiry <= now => Err(ProviderError::new(
                kind,
                ErrorKind::Unauthorized,
                format!(
                    "the configured token expired at {}; issue a new one",
                    crate::time::date::utc_readable(expiry)
                ),
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        for kind in ProviderKind::ALL {
            let c = Credentials::for_kind(kind, "s3cr3t-value");
            assert!(!format!("{c:?}").contains("s3cr3t"), "{kind:?}");
        }
    }

    #[test]
    fn each_scheme_lands_where_the_provider_reads_it() {
        let mut r = HttpRequest::get("/api/third-party/partner/user/");
        Credentials::for_kind(ProviderKind::PressOne, "k")
            .apply(ProviderKind::PressOne, &mut r)
            .expect("accepted");
        assert_eq!(r.header("authorization"), Some("Bearer k"));
        assert_eq!(r.header("pressone-x-api-key"), Some("k"));

        let mut r = HttpRequest::get("/users");
        Credentials::for_kind(ProviderKind::Rebilly, "k")
            .apply(ProviderKind::Rebilly, &mut r)
            .expect("accepted");
        assert_eq!(r.header("REB-APIKEY"), Some("k"));

        let mut r = HttpRequest::get("/api/vendor/v1/users.json");
        r.query.push(("page".into(), "1".into()));
        let c = Credentials::for_kind(ProviderKind::ActivePlatform, "t");
        c.apply(ProviderKind::ActivePlatform, &mut r)
            .expect("accepted");
        c.apply(ProviderKind::ActivePlatform, &mut r)
            .expect("accepted");
        assert_eq!(
            r.path_and_query(),
            "/api/vendor/v1/users.json?api_token=t&page=1"
        );
    }

    #[test]
    fn wrong_scheme_is_refused_and_browser_safety_is_narrow() {
        let mut r = HttpRequest::get("/users");
        let c = Credentials::ApiTokenQuery(Secret::new("x"));
        let err = c.apply(ProviderKind::Rebilly, &mut r).expect_err("refused");
        assert_eq!(err.kind, ErrorKind::Unauthorized);
        assert!(Credentials::Bearer(Secret::new("j")).browser_safe(ProviderKind::Rebilly));
        assert!(
            !Credentials::for_kind(ProviderKind::Rebilly, "k").browser_safe(ProviderKind::Rebilly)
        );
        assert!(
            !Credentials::for_kind(ProviderKind::ActivePlatform, "k")
                .browser_safe(ProviderKind::ActivePlatform)
        );
    }

    #[test]
    fn rebilly_sends_a_key_or_a_jwt_as_configured() {
        let scheme = Scheme::from_config(ProviderKind::Rebilly, "jwt").expect("valid");
        let mut r = HttpRequest::get("/users");
        Credentials::with_scheme(ProviderKind::Rebilly, scheme, "eyJ.x.y")
            .apply(ProviderKind::Rebilly, &mut r)
            .expect("accepted");
        assert_eq!(r.header("authorization"), Some("Bearer eyJ.x.y"));
        assert_eq!(r.header("REB-APIKEY"), None);
        let scheme = Scheme::from_config(ProviderKind::Rebilly, "api_key").expect("valid");
        let mut r = HttpRequest::get("/users");
        Credentials::with_scheme(ProviderKind::Rebilly, scheme, "sk")
            .apply(ProviderKind::Rebilly, &mut r)
            .expect("accepted");
        assert_eq!(r.header("REB-APIKEY"), Some("sk"));
        assert_eq!(r.header("authorization"), None);
        assert!(Scheme::from_config(ProviderKind::Rebilly, "bearer").is_err());
        let other = Scheme::from_config(ProviderKind::Pngme, "jwt").expect_err("no choice");
        assert!(other.contains("only Rebilly"), "{other}");
    }

    #[test]
    fn expired_jwts_are_refused_before_sending() {
        // {"alg":"HS256"} . {"sub":"u","exp":1700000000} . signature
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1IiwiZXhwIjoxNzAwMDAwMDAwfQ.c2ln";
        let expiry = jwt_expiry(token).expect("has exp");
        assert_eq!(expiry.as_second(), 1_700_000_000);
        let creds = Credentials::Bearer(Secret::new(token));
        let before = Timestamp::from_second(1_699_999_999).expect("valid");
        let after = Timestamp::from_second(1_700_000_000).expect("valid");
        assert!(creds.check_fresh(ProviderKind::Pngme, before).is_ok());
        let err = creds
            .check_fresh(ProviderKind::Pngme, after)
            .expect_err("expired");
        assert_eq!(err.kind, ErrorKind::Unauthorized);
        assert!(
            err.to_string()
                .contains("the configured token expired at 2023-11-14 22:13:20 UTC"),
            "{err}"
        );
        let opaque = Credentials::Bearer(Secret::new("not-a-jwt"));
        assert!(opaque.check_fresh(ProviderKind::Nameshield, after).is_ok());
        assert_eq!(jwt_expiry("a.%%%.c"), None);
        assert_eq!(jwt_expiry(""), None);
    }
}
