//! The sentence for an upstream answer that breaks off while its body is read (the connection
//! reset or closed before the announced length arrived). Reaching the provider worked, so the
//! advice is to try again, not to check the base URL.

use std::time::Duration;

use axum::http::StatusCode;

use crate::config::Provider;
use crate::problem::Problem;

/// The problem for a body read that failed with `err`: the timeout sentence when the upstream
/// deadline ran out, else "the answer broke off".
pub fn broken_body(provider: &Provider, timeout: Duration, err: reqwest::Error) -> Problem {
    let is_timeout = err.is_timeout();
    tracing::warn!(
        provider = %provider.id,
        timeout = is_timeout,
        error = %err.without_url(),
        "upstream body broke off"
    );
    if is_timeout {
        return Problem::new(
            StatusCode::GATEWAY_TIMEOUT,
            "upstream-timeout",
            "Provider did not answer in time",
            format!(
                "{} did not finish its answer within {} s. Try again; if it persists, check the provider's status.",
                provider.label,
                timeout.as_secs_f32()
            ),
        )
        .for_provider(&provider.id);
    }
    Problem::bad_gateway(
        &provider.id,
        format!(
            "{}'s answer broke off before it was complete (the connection was cut mid-body). Try again; if it persists, check the provider's status.",
            provider.label
        ),
    )
}
