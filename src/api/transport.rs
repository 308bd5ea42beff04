//! The one place the console touches the network. It moves the providers crate's plain
//! `HttpRequest`/`HttpResponse` values over `fetch`: through the proxy, which adds credentials,
//! or, for a direct provider, straight to the provider's origin with the token the administrator
//! typed (refused here, before sending, once it has expired). Parsing stays in the providers
//! crate: this file never looks inside a body.

use gloo_net::http::Request;
use userdeck_providers::error::{ErrorKind, ProviderError};
use userdeck_providers::http::encode_query;

use userdeck_providers::console_config::DirectProvider;
use userdeck_providers::{HttpRequest, HttpResponse, ProviderInfo, ProviderKind};
use web_sys::AbortSignal;

/// Where a provider's requests go: the proxy's forwarding route for that provider, which holds
/// the credentials and the provider's real address; or the provider itself in direct mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The path prefix the console is served under (`""` at the root).
    pub base: String,
    /// The proxy path for this provider's list endpoint, from `/api/providers`.
    pub path: String,
    /// The provider's kind, for error messages.
    pub kind: ProviderKind,
    /// Set for a direct provider: its address, which its requests go to instead of the proxy.
    pub direct: Option<DirectProvider>,
}

impl Endpoint {
    /// Where `info`'s requests go from a console served under `base`.
    pub fn new(base: String, info: &ProviderInfo) -> Self {
        Self {
            base,
            path: info.path.clone(),
            kind: info.kind,
            direct: crate::state::config::direct(&info.id),
        }
    }

    /// The URL of `request`: the provider's own for a direct one, else the proxy's path and the
    /// adapter's query.
    pub fn url(&self, request: &HttpRequest) -> String {
        if let Some(direct) = &self.direct {
            direct.url(&request.path_and_query())
        } else if request.query.is_empty() {
            format!("{}{}", self.base, self.path)
        } else {
            format!(
                "{}{}?{}",
                self.base,
                self.path,
                encode_query(&request.query)
            )
        }
    }
}

/// Whether a failed fetch was our own cancellation, which is not an error to show.
pub fn is_abort(error: &gloo_net::Error) -> bool {
    match error {
        gloo_net::Error::JsError(js) => js.name == "AbortError",
        _ => false,
    }
}

/// Outcome of one fetch: a response, a cancellation, or a failure for the person to see.
pub enum Sent {
    /// The server answered (any status: the adapter decides what it means).
    Response(HttpResponse),
    /// The request was cancelled because a newer query replaced it.
    Aborted,
}

/// Sends one request and collects status, headers and the whole body.
pub async fn send(
    endpoint: &Endpoint,
    request: &HttpRequest,
    signal: Option<&AbortSignal>,
) -> Result<Sent, ProviderError> {
    let mut request = request.clone();
    match &endpoint.direct {
        Some(direct) => direct_credentials(direct, &mut request)?,
        None => {
            if let Some(authorization) = crate::auth::authorization() {
                request
                    .headers
                    .push(("Authorization".into(), authorization));
            }
        }
    }
    let mut builder = Request::get(&endpoint.url(&request)).abort_signal(signal);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let network = |err: gloo_net::Error| {
        let message = match &endpoint.direct {
            Some(direct) => format!(
                "Could not reach {} at {} ({err}). Check your connection, and that the provider allows calls from this console's origin (CORS); otherwise use proxy mode",
                endpoint.kind.label(),
                direct.origin()
            ),
            None => format!(
                "Could not reach {} through the Userdeck server ({err}). Check your connection and retry.",
                endpoint.kind.label()
            ),
        };
        ProviderError::new(endpoint.kind, ErrorKind::Network, message)
    };
    let response = match builder.send().await {
        Ok(response) => response,
        Err(err) if is_abort(&err) => return Ok(Sent::Aborted),
        Err(err) => return Err(network(err)),
    };
    let status = response.status();
    let headers: Vec<(String, String)> = response.headers().entries().collect();
    let body = match response.binary().await {
        Ok(body) => body,
        Err(err) if is_abort(&err) => return Ok(Sent::Aborted),
        Err(err) => return Err(network(err)),
    };
    Ok(Sent::Response(HttpResponse {
        status,
        headers,
        body,
    }))
}

/// Adds the token typed for `direct` to `request`, or refuses to send: no token yet, or one
/// that has expired (its expiry time is in the sentence). The token goes only here, so only to
/// the provider's own origin; the proxy's admin credential is never added to a direct request.
fn direct_credentials(
    direct: &DirectProvider,
    request: &mut HttpRequest,
) -> Result<(), ProviderError> {
    let Some(credentials) = crate::state::credentials::get(&direct.id) else {
        return Err(ProviderError::new(
            direct.kind,
            ErrorKind::Unauthorized,
            format!(
                "no token has been entered for {} in this tab; open it and enter one",
                direct.label
            ),
        ));
    };
    credentials.check_fresh(direct.kind, crate::api::now())?;
    credentials.apply(direct.kind, request)
}
