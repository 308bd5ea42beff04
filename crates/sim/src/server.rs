//! HTTP serving: one axum router mounting each simulator under its own prefix (`/pressone`,
//! `/pngme`, `/nameshield`, `/rebilly`, `/activeplatform`), plus `/_sim/faults` to change faults
//! at run time. The proxy's demo mode and the end-to-end tests mount it in-process; the
//! `userdeck-sim` binary serves it alone on loopback.

use std::convert::Infallible;
use std::time::{Duration, SystemTime};

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use futures_util::stream;
use userdeck_providers::{HttpRequest, HttpResponse, ProviderKind, Timestamp};

use crate::faults::{Answer, Cut, Faults, SlowBody};
use crate::state::SimState;

/// Response headers a browser may read in direct mode (Rebilly's totals, retry hints).
pub const EXPOSED_HEADERS: &str =
    "Pagination-Total, Pagination-Limit, Pagination-Offset, Retry-After, X-RateLimit-Retry-After";
const ALLOWED_HEADERS: &str = "Authorization, REB-APIKEY, Pressone-X-Api-Key, Content-Type";

/// The router: `/{provider id}/…` reaches that provider's simulator with the rest of the path,
/// `GET /_sim/faults` lists faults, `PUT /_sim/faults/{provider id}` sets them (a JSON
/// [`Faults`]), `DELETE /_sim/faults` clears all faults and rate-limit windows.
pub fn router(state: SimState) -> Router {
    Router::new()
        .route("/_sim/faults", get(list_faults).delete(reset))
        .route("/_sim/faults/{provider}", get(get_faults).put(put_faults))
        .route("/{provider}", any(serve))
        .route("/{provider}/", any(serve))
        .route("/{provider}/{*rest}", any(serve))
        .with_state(state)
}

async fn list_faults(State(state): State<SimState>) -> Response {
    Json(state.all_faults()).into_response()
}

async fn get_faults(State(state): State<SimState>, Path(provider): Path<String>) -> Response {
    match ProviderKind::from_id(&provider) {
        Some(kind) => Json(state.faults(kind)).into_response(),
        None => unknown_provider(&provider),
    }
}

async fn put_faults(
    State(state): State<SimState>,
    Path(provider): Path<String>,
    Json(faults): Json<Faults>,
) -> Response {
    match ProviderKind::from_id(&provider) {
        Some(kind) => {
            state.set_faults(kind, faults);
            StatusCode::NO_CONTENT.into_response()
        }
        None => unknown_provider(&provider),
    }
}

async fn reset(State(state): State<SimState>) -> StatusCode {
    state.reset();
    StatusCode::NO_CONTENT
}

fn unknown_provider(provider: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!("no simulated provider '{provider}'; use one of pressone, pngme, nameshield, rebilly, activeplatform"),
    )
        .into_response()
}

async fn serve(State(state): State<SimState>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let mut segments = path.trim_start_matches('/').splitn(2, '/');
    let provider = segments.next().unwrap_or("");
    let rest = format!("/{}", segments.next().unwrap_or(""));
    let Some(kind) = ProviderKind::from_id(provider) else {
        return unknown_provider(provider);
    };
    if request.method() == Method::OPTIONS {
        return with_cors(kind, StatusCode::NO_CONTENT.into_response());
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return with_cors(kind, StatusCode::METHOD_NOT_ALLOWED.into_response());
    }
    let query = request
        .uri()
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let req = HttpRequest {
        method: Some(userdeck_providers::Method::Get),
        path: rest,
        query,
        headers,
    };
    let worker = state.clone();
    let answer = tokio::task::spawn_blocking(move || worker.answer(kind, &req, now())).await;
    match answer {
        Ok(answer) => with_cors(kind, deliver(answer).await),
        Err(_) => with_cors(kind, StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}

/// The system clock, which the simulators' rate limits and retry instants count from. A clock
/// set before 1970 reads as the epoch: the simulators need a reading, not an error.
fn now() -> Timestamp {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    i128::try_from(nanos)
        .ok()
        .and_then(Timestamp::from_nanosecond)
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

async fn deliver(answer: Answer) -> Response {
    if !answer.latency.is_zero() {
        tokio::time::sleep(answer.latency).await;
    }
    let full = answer.response.body.len();
    let body = match (answer.cut, answer.slow_body) {
        (Some(cut), _) => cut_body(answer.response.body.clone(), cut),
        (None, Some(slow)) => slow_body(answer.response.body.clone(), slow),
        (None, None) => Body::from(answer.response.body.clone()),
    };
    let mut response = to_response(&answer.response, body);
    if answer.cut == Some(Cut::ShortContentLength) {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_LENGTH, HeaderValue::from(full));
    }
    response
}

/// Half of `bytes`, then the break: a stream error (hyper drops the connection in the middle
/// of the chunked body), or a plain end short of the announced `Content-Length` (hyper closes
/// the connection, since it cannot finish the message). The pause lets the half go out first.
fn cut_body(bytes: Vec<u8>, cut: Cut) -> Body {
    let half = Bytes::from(bytes[..bytes.len() / 2].to_vec());
    let stream = stream::unfold(0u8, move |step| {
        let half = half.clone();
        async move {
            match step {
                0 => Some((Ok(half), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    match cut {
                        Cut::Reset => Some((
                            Err(std::io::Error::new(
                                std::io::ErrorKind::ConnectionReset,
                                "simulated connection reset",
                            )),
                            2,
                        )),
                        Cut::ShortContentLength => None,
                    }
                }
                _ => None,
            }
        }
    });
    Body::from_stream(stream)
}

fn to_response(response: &HttpResponse, body: Body) -> Response {
    let mut out = Response::new(body);
    *out.status_mut() =
        StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in &response.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            out.headers_mut().append(name, value);
        }
    }
    out
}

fn slow_body(bytes: Vec<u8>, slow: SlowBody) -> Body {
    let chunk = slow.chunk_bytes.max(1);
    let delay = Duration::from_millis(slow.chunk_delay_ms);
    let chunks: Vec<Bytes> = bytes.chunks(chunk).map(Bytes::copy_from_slice).collect();
    let stream = stream::unfold(
        (chunks.into_iter(), true),
        move |(mut rest, first)| async move {
            let next = rest.next()?;
            if !first {
                tokio::time::sleep(delay).await;
            }
            Some((Ok::<Bytes, Infallible>(next), (rest, false)))
        },
    );
    Body::from_stream(stream)
}

/// CORS headers only for the kinds a browser may call directly (a short-lived bearer token),
/// as those providers do; the others answer a browser as a server-only API would, with none.
fn with_cors(kind: ProviderKind, mut response: Response) -> Response {
    if userdeck_providers::console_config::browser_safe(kind).is_err() {
        return response;
    }
    let headers = response.headers_mut();
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        "access-control-allow-headers",
        HeaderValue::from_static(ALLOWED_HEADERS),
    );
    headers.insert(
        "access-control-expose-headers",
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
    response
}
