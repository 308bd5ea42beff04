//! `GET /api/p/{id}/<list-users path>`: the one thing the proxy forwards. The upstream URL is
//! built from the configuration and the route table only; from the client request nothing but
//! allowlisted query values is used, so a client cannot choose the host, the path, a header or a
//! credential.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use userdeck_providers::HttpRequest;

use crate::app::{App, Upstream};
use crate::audit;
use crate::problem::Problem;
use crate::redact::Redactor;
use crate::route_table::{self, MAX_QUERY_LEN};

/// Response headers a provider may send back through the proxy: the body's type, pagination
/// and rate-limit information. Everything else (`Set-Cookie`, `Server`, hop-by-hop headers,
/// whatever a provider adds) stays behind.
pub const PASSED_HEADERS: [&str; 7] = [
    "content-type",
    "pagination-total",
    "pagination-limit",
    "pagination-offset",
    "retry-after",
    "x-ratelimit-retry-after",
    "x-ratelimit-limit",
];

/// The prefix under which providers are reached.
pub const PREFIX: &str = "/api/p/";

/// The handler for everything under [`PREFIX`].
pub async fn forward(State(app): State<App>, uri: Uri) -> Response {
    let mut sent = None;
    let mut response = match forward_inner(&app, &uri, &mut sent).await {
        Ok(response) => response,
        Err(problem) => problem.into_response(),
    };
    if let Some(sent) = sent {
        response.extensions_mut().insert(sent);
    }
    response
}

async fn forward_inner(
    app: &App,
    uri: &Uri,
    sent: &mut Option<audit::Forwarded>,
) -> Result<Response, Problem> {
    if uri.scheme().is_some() || uri.authority().is_some() {
        return Err(Problem::bad_request(
            "The request target must be a path, not an absolute URL.",
        ));
    }
    let rest = uri.path().strip_prefix(PREFIX).unwrap_or_default();
    let (id, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let upstream = app.upstream(id).ok_or_else(|| {
        let shown = if id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && id.len() <= 40
        {
            id
        } else {
            "(unreadable)"
        };
        Problem::not_found(format!(
            "No provider `{shown}` is configured. GET /api/providers lists the ones that are."
        ))
    })?;
    let provider = &upstream.provider;
    let route = route_table::route(provider.kind);
    if tail != route.path {
        return Err(Problem::not_found(format!(
            "{} forwards only its list of users, at {}{}{}.",
            provider.label, PREFIX, provider.id, route.path
        ))
        .for_provider(&provider.id));
    }
    let raw_query = uri.query().unwrap_or_default();
    if raw_query.len() > MAX_QUERY_LEN {
        return Err(Problem::bad_request(format!(
            "The query string is longer than {MAX_QUERY_LEN} bytes; narrow the search."
        ))
        .for_provider(&provider.id));
    }
    let forced: &[&str] = if provider.customer_id.is_some() {
        &["customer_id"]
    } else {
        &[]
    };
    let mut request = HttpRequest::get(route.path);
    request.query = route_table::filter_query(&route, raw_query, forced);
    route_table::clamp_page_size(
        &route,
        &mut request.query,
        provider.capabilities.max_page_size,
    );
    if let Some(customer) = provider.customer_id {
        request
            .query
            .push(("customer_id".into(), customer.to_string()));
    }
    // Recorded before the credential joins the query, so the audit log never holds it.
    let audited = audit::Forwarded {
        provider: provider.id.clone(),
        query: request.query.clone(),
    };
    request
        .headers
        .push(("Accept".into(), "application/json".into()));
    // The single point where the secret joins the request: headers for four kinds,
    // ActivePlatform's `api_token` query parameter for the fifth.
    upstream
        .credentials
        .apply(provider.kind, &mut request)
        .map_err(|_| {
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "misconfigured",
                "Provider misconfigured",
                format!("The credential configured for {} is not one it accepts; fix the configuration.", provider.label),
            )
            .for_provider(&provider.id)
        })?;

    let admitted = match (&upstream.shared, &upstream.limiter) {
        (Some(shared), _) => shared.take(Instant::now()).await,
        (None, Some(limiter)) => limiter.acquire(Instant::now()),
        (None, None) => Ok(()),
    };
    if let Err(wait) = admitted {
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        tracing::info!(provider = %provider.id, wait_ms, "rate limit reached");
        return Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Rate limit reached",
            format!(
                "{} allows only so many requests; Userdeck held this one back. Try again in {} s.",
                provider.label,
                wait.as_secs().max(1)
            ),
        )
        .for_provider(&provider.id)
        .retry_after(wait));
    }
    *sent = Some(audited);
    // One deadline covers both the wait for a free slot and the upstream call, so a queued
    // request answers within the same timeout as any other.
    let now = tokio::time::Instant::now();
    let deadline = now
        .checked_add(app.settings.upstream_timeout)
        .unwrap_or(now);
    let _permit = tokio::time::timeout_at(deadline, upstream.concurrency.acquire())
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or_else(|| busy(provider))?;
    let _shared_slot = match &upstream.shared {
        Some(shared) => Some(
            tokio::time::timeout_at(deadline, shared.slot())
                .await
                .ok()
                .flatten()
                .ok_or_else(|| busy(provider))?,
        ),
        None => None,
    };
    call(app, upstream, &request, deadline).await
}

fn busy(provider: &crate::config::Provider) -> Problem {
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        "Too many requests in flight",
        format!(
            "Too many requests to {} are in flight; try again in a moment.",
            provider.label
        ),
    )
    .for_provider(&provider.id)
    .retry_after(Duration::from_secs(1))
}

/// The upstream URL: the configured base, the kind's fixed path, the filtered query.
fn upstream_url(upstream: &Upstream, request: &HttpRequest) -> String {
    let provider = &upstream.provider;
    let base = provider.base_url.as_str().trim_end_matches('/');
    match &provider.organization_id {
        Some(org) => format!("{base}/organizations/{org}{}", request.path_and_query()),
        None => format!("{base}{}", request.path_and_query()),
    }
}

async fn call(
    app: &App,
    upstream: &Upstream,
    request: &HttpRequest,
    deadline: tokio::time::Instant,
) -> Result<Response, Problem> {
    let provider = &upstream.provider;
    let timeout = app.settings.upstream_timeout;
    let started = Instant::now();
    let remaining = deadline
        .saturating_duration_since(tokio::time::Instant::now())
        .max(Duration::from_millis(1));
    let mut outgoing = app
        .client
        .get(upstream_url(upstream, request))
        .timeout(remaining);
    for (name, value) in &request.headers {
        outgoing = outgoing.header(name, value);
    }
    let mut response = outgoing
        .send()
        .await
        .map_err(|err| upstream_error(provider, timeout, err))?;
    let status = response.status();
    if status.is_redirection() {
        tracing::warn!(provider = %provider.id, status = status.as_u16(), "upstream answered with a redirect; not followed");
        return Err(Problem::bad_gateway(
            &provider.id,
            format!(
                "{} answered with a redirect, which Userdeck does not follow. Check its base_url in the configuration.",
                provider.label
            ),
        ));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    if !is_json(content_type.as_deref(), response.content_length()) {
        let shown = content_type
            .as_deref()
            .map(|t| upstream.redactor.redact(t.as_bytes()))
            .map(|t| {
                String::from_utf8_lossy(&t)
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(100)
                    .collect::<String>()
            })
            .unwrap_or_else(|| "no content type".into());
        tracing::warn!(provider = %provider.id, status = status.as_u16(), content_type = %shown, "upstream answer is not JSON; not passed on");
        // Whatever the status, a body that is not JSON is not the provider's documented answer:
        // it becomes a 502 naming the provider and the type. Headers such as `Retry-After`
        // still pass, so a console can wait before it tries again.
        let mut answer = Problem::new(
            StatusCode::BAD_GATEWAY,
            "not-json",
            "Provider answer unusable",
            format!(
                "{} answered {} with `{shown}` instead of JSON, which Userdeck does not pass on. Check its base_url, or try again if the provider is having trouble.",
                provider.label,
                status.as_u16()
            ),
        )
        .for_provider(&provider.id)
        .into_response();
        let mut passed = HeaderMap::new();
        copy_headers(response.headers(), &mut passed, &upstream.redactor);
        passed.remove(header::CONTENT_TYPE);
        answer.headers_mut().extend(passed);
        return Ok(answer);
    }
    let cap = app.settings.max_response_bytes;
    if response
        .content_length()
        .is_some_and(|len| len > cap as u64)
    {
        return Err(too_large(provider, cap));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| crate::upstream_body::broken_body(provider, timeout, err))?
    {
        if body.len() + chunk.len() > cap {
            return Err(too_large(provider, cap));
        }
        body.extend_from_slice(&chunk);
    }
    let mut out = Response::builder().status(status.as_u16());
    if let Some(out_headers) = out.headers_mut() {
        copy_headers(response.headers(), out_headers, &upstream.redactor);
        out_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    tracing::info!(
        provider = %provider.id,
        status = status.as_u16(),
        bytes = body.len(),
        upstream_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        "forwarded"
    );
    let body = upstream.redactor.redact(&body);
    out.body(Body::from(body)).map_err(|_| {
        Problem::bad_gateway(
            &provider.id,
            format!(
                "{} sent an answer that cannot be passed on.",
                provider.label
            ),
        )
    })
}

fn copy_headers(from: &reqwest::header::HeaderMap, to: &mut HeaderMap, redactor: &Redactor) {
    for name in PASSED_HEADERS {
        for value in from.get_all(name) {
            if redactor.finds(value.as_bytes()) {
                continue;
            }
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_bytes(value.as_bytes()),
            ) {
                to.append(name, value);
            }
        }
    }
}

/// Whether an answer may pass: JSON or a JSON problem (`application/json`,
/// `application/problem+json`, any `application/*+json`), or no body at all. Anything else
/// (an HTML error page that reflects the query, say) would reach the browser on the console's
/// origin, so it becomes a 502 instead.
pub fn is_json(content_type: Option<&str>, content_length: Option<u64>) -> bool {
    let Some(content_type) = content_type else {
        return content_length == Some(0);
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|sub| sub.ends_with("+json") && sub.len() > 5 && !sub.contains('/'))
}

fn too_large(provider: &crate::config::Provider, cap: usize) -> Problem {
    tracing::warn!(provider = %provider.id, cap, "upstream answer over the size cap");
    Problem::bad_gateway(
        &provider.id,
        format!(
            "{} sent more than {} bytes for one page, more than Userdeck accepts. Ask for a smaller page.",
            provider.label, cap
        ),
    )
}

/// Turns a transport error into a problem. The error's own text is logged without its URL
/// (ActivePlatform's holds the token) and never sent to the client.
fn upstream_error(
    provider: &crate::config::Provider,
    timeout: Duration,
    err: reqwest::Error,
) -> Problem {
    let is_timeout = err.is_timeout();
    let connect = err.is_connect();
    let err = err.without_url();
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    tracing::warn!(
        provider = %provider.id,
        timeout = is_timeout,
        connect,
        error = %err,
        causes = %causes.join(": "),
        "upstream call failed"
    );
    if is_timeout {
        Problem::new(
            StatusCode::GATEWAY_TIMEOUT,
            "upstream-timeout",
            "Provider did not answer in time",
            format!(
                "{} did not answer within {} s. Try again; if it persists, check the provider's status.",
                provider.label,
                timeout.as_secs_f32()
            ),
        )
        .for_provider(&provider.id)
    } else {
        Problem::bad_gateway(
            &provider.id,
            format!(
                "Userdeck could not get an answer from {}. Check that its base_url is reachable from the server.",
                provider.label
            ),
        )
    }
}
