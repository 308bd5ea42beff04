//! The one place the console touches the network. It moves the providers crate's plain
//! `HttpRequest`/`HttpResponse` values over `fetch`, through the proxy, which adds credentials.
//! Parsing stays in the providers crate: this file never looks inside a body.

use gloo_net::http::Request;
use userdeck_providers::error::{ErrorKind, ProviderError};
use userdeck_providers::http::encode_query;

use userdeck_providers::{HttpRequest, HttpResponse, ProviderInfo, ProviderKind};
use web_sys::AbortSignal;

/// Where a provider's requests go: the proxy's forwarding route for that provider, which holds
/// the credentials and the provider's real address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The path prefix the console is served under (`""` at the root).
    pub base: String,
    /// The proxy path for this provider's list endpoint, from `/api/providers`.
    pub path: String,
    /// The provider's kind, for error messages.
    pub kind: ProviderKind,
}

impl Endpoint {
    /// Where `info`'s requests go from a console served under `base`.
    pub fn new(base: String, info: &ProviderInfo) -> Self {
        Self {
            base,
            path: info.path.clone(),
            kind: info.kind,
        }
    }

    /// The URL of `request` through the proxy: the proxy's path and the adapter's query.
    pub fn url(&self, request: &HttpRequest) -> String {
        if request.query.is_empty() {
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
    let mut builder = Request::get(&endpoint.url(request)).abort_signal(signal);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    if let Some(authorization) = crate::auth::authorization() {
        builder = builder.header("Authorization", &authorization);
    }
    let network = |err: gloo_net::Error| {
        ProviderError::new(
            endpoint.kind,
            ErrorKind::Network,
            format!(
                "Could not reach {} through the Userdeck server ({err}). Check your connection and retry.",
                endpoint.kind.label()
            ),
        )
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
