//! The router as the proxy's demo mode and the end-to-end tests use it: prefixes, credentials
//! over real headers and query strings, run-time fault changes, CORS for direct mode, and the
//! transport-level faults (latency, slow body) actually delaying the bytes.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use userdeck_providers::ProviderKind;
use userdeck_sim::credentials::{ACTIVEPLATFORM_DEMO_TOKEN, PNGME_DEMO_JWT, REBILLY_DEMO_API_KEY};
use userdeck_sim::{Faults, Limits, SimConfig, SimState, SlowBody, router};

fn sim() -> (SimState, Router) {
    let state = SimState::new(&SimConfig {
        seed: 3,
        users: 150,
        limits: Limits::unlimited(),
        ..SimConfig::default()
    });
    (state.clone(), router(state))
}

fn get(uri: &str, header: Option<(&str, &str)>) -> Request<Body> {
    let mut builder = Request::builder().uri(uri);
    if let Some((name, value)) = header {
        builder = builder.header(name, value);
    }
    builder.body(Body::empty()).expect("valid request")
}

async fn send(
    app: &Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>, usize) {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let mut body = response.into_body();
    let mut bytes = Vec::new();
    let mut frames = 0;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.expect("body frame").into_data() {
            frames += 1;
            bytes.extend_from_slice(&data);
        }
    }
    (status, headers, bytes, frames)
}

fn pngme_users() -> Request<Body> {
    get(
        "/pngme/users?page=2",
        Some(("Authorization", &format!("Bearer {PNGME_DEMO_JWT}"))),
    )
}

#[tokio::test]
async fn each_provider_answers_under_its_prefix() {
    let (_, app) = sim();
    let (status, headers, body, _) = send(&app, pngme_users()).await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(json["page"], 2);
    assert_eq!(json["users"].as_array().map(Vec::len), Some(50));
    assert_eq!(headers["access-control-allow-origin"], "*");

    let uri = format!(
        "/activeplatform/api/vendor/v1/users.json?api_token={ACTIVEPLATFORM_DEMO_TOKEN}&sorting%5Bfield%5D=email&per_page=7"
    );
    let (status, _, body, _) = send(&app, get(&uri, None)).await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(7));

    let (status, headers, _, _) = send(
        &app,
        get(
            "/rebilly/users?limit=5&filter=status%3Aactive",
            Some(("REB-APIKEY", REBILLY_DEMO_API_KEY)),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["pagination-limit"], "5");
    assert!(
        headers["access-control-expose-headers"]
            .to_str()
            .expect("ascii")
            .contains("Pagination-Total")
    );

    let (status, _, _, _) = send(&app, get("/pressone/api/third-party/partner/user/", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _, _) = send(&app, get("/nameshield/user/v1/users", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unknown_prefixes_methods_and_preflights() {
    let (_, app) = sim();
    let (status, _, _, _) = send(&app, get("/acme/users", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let post = Request::builder()
        .method(Method::POST)
        .uri("/pngme/users")
        .body(Body::empty())
        .expect("valid");
    assert_eq!(send(&app, post).await.0, StatusCode::METHOD_NOT_ALLOWED);
    let options = Request::builder()
        .method(Method::OPTIONS)
        .uri("/rebilly/users")
        .body(Body::empty())
        .expect("valid");
    let (status, headers, _, _) = send(&app, options).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        headers["access-control-allow-headers"]
            .to_str()
            .expect("ascii")
            .contains("REB-APIKEY")
    );
}

#[tokio::test]
async fn faults_change_at_run_time_over_http() {
    let (state, app) = sim();
    let put = Request::builder()
        .method(Method::PUT)
        .uri("/_sim/faults/pngme")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"server_error_rate": 1.0}"#))
        .expect("valid");
    assert_eq!(send(&app, put).await.0, StatusCode::NO_CONTENT);
    assert_eq!(state.faults(ProviderKind::Pngme).server_error_rate, 1.0);
    assert!(send(&app, pngme_users()).await.0.is_server_error());

    let (status, _, body, _) = send(&app, get("/_sim/faults", None)).await;
    assert_eq!(status, StatusCode::OK);
    let listed: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(listed["pngme"]["server_error_rate"], 1.0);

    let bad = Request::builder()
        .method(Method::PUT)
        .uri("/_sim/faults/pngme")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"no_such_knob": 1}"#))
        .expect("valid");
    assert!(send(&app, bad).await.0.is_client_error());

    let delete = Request::builder()
        .method(Method::DELETE)
        .uri("/_sim/faults")
        .body(Body::empty())
        .expect("valid");
    assert_eq!(send(&app, delete).await.0, StatusCode::NO_CONTENT);
    assert_eq!(send(&app, pngme_users()).await.0, StatusCode::OK);
}

#[tokio::test]
async fn latency_and_slow_bodies_delay_the_bytes() {
    let (state, app) = sim();
    let (_, _, normal, _) = send(&app, pngme_users()).await;

    state.set_faults(
        ProviderKind::Pngme,
        Faults {
            latency_ms: 150,
            ..Faults::default()
        },
    );
    let started = Instant::now();
    let (status, _, body, _) = send(&app, pngme_users()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(body, normal);

    let chunk_bytes = normal.len().div_ceil(6);
    state.set_faults(
        ProviderKind::Pngme,
        Faults {
            slow_body: Some(SlowBody {
                chunk_bytes,
                chunk_delay_ms: 30,
            }),
            ..Faults::default()
        },
    );
    let started = Instant::now();
    let (_, _, body, frames) = send(&app, pngme_users()).await;
    assert_eq!(body, normal, "slow, but complete");
    assert_eq!(frames, 6);
    assert!(started.elapsed() >= Duration::from_millis(5 * 30));
}

#[tokio::test]
async fn serves_over_loopback_tcp() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (_, app) = sim();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("bound");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "GET /pngme/users HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {PNGME_DEMO_JWT}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    assert!(
        response.starts_with("HTTP/1.1 200 OK"),
        "{}",
        &response[..response.len().min(200)]
    );
    assert!(response.contains("\"num_pages\":3"));
    server.abort();
}

#[tokio::test]
async fn only_browser_safe_kinds_answer_cors() {
    let (_, app) = sim();
    for (uri, cors) in [
        ("/pngme/users", true),
        ("/rebilly/users", true),
        ("/activeplatform/api/vendor/v1/users.json", false),
        ("/pressone/api/third-party/partner/user/", false),
        ("/nameshield/user/v1/users", false),
    ] {
        let options = Request::builder()
            .method(Method::OPTIONS)
            .uri(uri)
            .header("origin", "http://127.0.0.1:18399")
            .header("access-control-request-method", "GET")
            .body(Body::empty())
            .expect("valid");
        let (_, headers, _, _) = send(&app, options).await;
        assert_eq!(
            headers.contains_key("access-control-allow-origin"),
            cors,
            "{uri}"
        );
        let (_, headers, _, _) = send(&app, get(uri, None)).await;
        assert_eq!(
            headers.contains_key("access-control-allow-origin"),
            cors,
            "{uri}"
        );
    }
}

/// Starts the router on a loopback port, as the demo does, for faults that only show on a real
/// connection.
async fn serve_on_loopback(app: Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("loopback port");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

/// Sends one raw HTTP/1.1 GET and reads until the server closes: the head and the body bytes
/// that arrived, however the connection ended.
async fn raw_get(addr: std::net::SocketAddr, path: &str, header: &str) -> (String, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{header}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request sent");
    let mut bytes = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut bytes)).await;
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&bytes[..split]).to_string();
    (head, bytes[split + 4..].to_vec())
}

#[tokio::test]
async fn broken_connections_break_mid_body() {
    let (state, app) = sim();
    let addr = serve_on_loopback(app).await;
    let key = format!("REB-APIKEY: {REBILLY_DEMO_API_KEY}");
    let (_, whole) = raw_get(addr, "/rebilly/users?limit=20", &key).await;

    state.set_faults(
        ProviderKind::Rebilly,
        Faults {
            short_content_length: true,
            ..Faults::default()
        },
    );
    let (head, body) = raw_get(addr, "/rebilly/users?limit=20", &key).await;
    let announced: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_string)
        })
        .and_then(|v| v.trim().parse().ok())
        .expect("Content-Length announced");
    assert!(announced > 1000, "{head}");
    assert_eq!(body.len(), announced / 2, "half of what was announced");

    state.set_faults(
        ProviderKind::Rebilly,
        Faults {
            reset_mid_body: true,
            ..Faults::default()
        },
    );
    let (head, body) = raw_get(addr, "/rebilly/users?limit=20", &key).await;
    assert!(
        head.to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    assert!(!body.ends_with(b"0\r\n\r\n"), "the chunked body never ends");
    assert!(
        body.len() < whole.len(),
        "{} of {}",
        body.len(),
        whole.len()
    );
}
