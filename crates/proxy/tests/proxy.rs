//! The proxy end to end over loopback: what the upstream *received* for each request, what the
//! client got back, and that no secret marker shows up in any answer or log line.

mod security;
mod support;

use std::time::{Duration, Instant};

use support::{Behaviour, Raw, Upstream, cheap_hash, garbage_server, logs, raw_get, start_proxy};

const ADMIN_TOKEN: &str = "admin-token-for-tests-1234";

/// Unique markers: if any appears in an answer or a log line, a secret leaked.
const MARKERS: [(&str, &str); 5] = [
    ("SECRET_PRESSONE", "MARKERpressone9f1c"),
    ("SECRET_PNGME", "MARKERpngme2b7d"),
    ("SECRET_NAMESHIELD", "MARKERnameshield5e3a"),
    ("SECRET_REBILLY", "MARKERrebilly8c4f"),
    ("SECRET_ACTIVEPLATFORM", "MARKERactiveplatform1d9b"),
];

fn auth_section() -> String {
    format!(
        "[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{}\"]\nfailed_logins_per_minute = 3\n",
        cheap_hash(ADMIN_TOKEN)
    )
}

fn five_providers(upstream: &Upstream, server: &str) -> String {
    format!(
        r#"[server]
allowed_origins = ["https://admin.example.com"]
{server}

{auth}
[[providers]]
id = "pressone"
kind = "pressone"
base_url = "{pressone}"
secret_env = "SECRET_PRESSONE"

[[providers]]
id = "pngme"
kind = "pngme"
base_url = "{pngme}"
secret_env = "SECRET_PNGME"

[[providers]]
id = "nameshield"
kind = "nameshield"
base_url = "{nameshield}"
customer_id = 1234
secret_env = "SECRET_NAMESHIELD"
rate_limit = {{ requests = 3, per_seconds = 60 }}

[[providers]]
id = "rebilly"
kind = "rebilly"
label = "Rebilly"
base_url = "{rebilly}"
organization_id = "org-1"
secret_env = "SECRET_REBILLY"

[[providers]]
id = "activeplatform"
kind = "activeplatform"
base_url = "{ap}"
secret_env = "SECRET_ACTIVEPLATFORM"
"#,
        auth = auth_section(),
        pressone = upstream.base("/pressone"),
        pngme = upstream.base("/pngme"),
        nameshield = upstream.base("/nameshield"),
        rebilly = upstream.base("/rebilly"),
        ap = upstream.base("/ap"),
    )
}

fn bearer() -> String {
    format!("Bearer {ADMIN_TOKEN}")
}

/// Fails if any marker is in `raw` (status line, headers and body) or in the logs so far.
fn assert_no_marker(raw: &Raw) {
    for (_, marker) in MARKERS {
        assert!(!raw.all.contains(marker), "{marker} leaked in: {}", raw.all);
        assert!(!logs().contains(marker), "{marker} leaked into the logs");
    }
}

async fn get(proxy: &support::Proxy, target: &str, headers: &[(&str, &str)]) -> Raw {
    let auth = bearer();
    let mut all = vec![("Authorization", auth.as_str())];
    all.extend_from_slice(headers);
    let raw = raw_get(proxy.addr, target, &all).await;
    assert_no_marker(&raw);
    raw
}

#[tokio::test]
async fn injects_each_kinds_credential_and_nothing_from_the_client() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let hostile = [
        ("Cookie", "session=client"),
        ("X-Forwarded-For", "10.0.0.1"),
        ("X-Forwarded-Host", "evil.example"),
        ("X-Forwarded-Proto", "https"),
        ("REB-APIKEY", "client-key"),
        ("Pressone-X-Api-Key", "client-key"),
    ];
    let cases = [
        (
            "/api/p/pressone/api/third-party/partner/user/?page_index=2&page_size=25&api_token=client",
            "/pressone/api/third-party/partner/user/",
        ),
        ("/api/p/pngme/users?page=3&search=ali", "/pngme/users"),
        (
            "/api/p/nameshield/user/v1/users?limit=10&sort%5B%5D=email:asc&customer_id=999",
            "/nameshield/user/v1/users",
        ),
        (
            "/api/p/rebilly/users?limit=10&offset=20&sort=-email&REB-APIKEY=client",
            "/rebilly/organizations/org-1/users",
        ),
        (
            "/api/p/activeplatform/api/vendor/v1/users.json?page=1&api_token=client&sorting%5Bfield%5D=email",
            "/ap/api/vendor/v1/users.json",
        ),
    ];
    for (target, _) in cases {
        let raw = get(&proxy, target, &hostile).await;
        assert_eq!(raw.status, 200, "{target}: {}", raw.all);
        assert_eq!(raw.body, "[{\"id\":\"1\"}]");
    }
    let received = upstream.received();
    assert_eq!(received.len(), 5);
    assert!(
        logs().contains("forwarded"),
        "the log capture works, so the marker checks are meaningful"
    );
    for (got, (_, path)) in received.iter().zip(cases) {
        assert_eq!(got.path(), path);
        for name in [
            "cookie",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-proto",
        ] {
            assert!(
                got.headers.get(name).is_none(),
                "{name} forwarded to {path}"
            );
        }
        assert_eq!(got.headers["host"], upstream.addr.to_string());
    }
    let header = |i: usize, name: &str| {
        received[i]
            .headers
            .get(name)
            .map(|v| v.to_str().expect("ascii").to_string())
    };
    assert_eq!(
        header(0, "authorization").as_deref(),
        Some("Bearer MARKERpressone9f1c")
    );
    assert_eq!(
        header(0, "pressone-x-api-key").as_deref(),
        Some("MARKERpressone9f1c")
    );
    assert_eq!(
        received[0].query(),
        [
            ("page_index".into(), "2".into()),
            ("page_size".into(), "25".into())
        ]
    );
    assert_eq!(
        header(1, "authorization").as_deref(),
        Some("Bearer MARKERpngme2b7d")
    );
    assert_eq!(
        received[1].query(),
        [
            ("page".to_string(), "3".to_string()),
            ("search".to_string(), "ali".to_string()),
        ]
    );
    assert_eq!(
        header(2, "authorization").as_deref(),
        Some("Bearer MARKERnameshield5e3a")
    );
    assert_eq!(
        received[2].query(),
        [
            ("limit".to_string(), "10".to_string()),
            ("sort[]".to_string(), "email:asc".to_string()),
            ("customer_id".to_string(), "1234".to_string()),
        ]
    );
    assert_eq!(
        header(3, "reb-apikey").as_deref(),
        Some("MARKERrebilly8c4f")
    );
    assert!(header(3, "authorization").is_none());
    assert_eq!(
        received[3].query(),
        [
            ("limit".to_string(), "10".to_string()),
            ("offset".to_string(), "20".to_string()),
            ("sort".to_string(), "-email".to_string()),
        ]
    );
    assert!(header(4, "authorization").is_none());
    assert_eq!(
        received[4].query(),
        [
            (
                "api_token".to_string(),
                "MARKERactiveplatform1d9b".to_string()
            ),
            ("page".to_string(), "1".to_string()),
            ("sorting[field]".to_string(), "email".to_string()),
        ]
    );
}

#[tokio::test]
async fn unlisted_and_smuggled_parameters_are_dropped() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let targets = [
        "/api/p/activeplatform/api/vendor/v1/users.json?limit=10%26api_token%3Dx&page=1%26api_token%3Dx&evil=1&filters%5Bemail%5D=a%26api_token%3Dy",
        "/api/p/rebilly/users?limit=10%26api_token%3Dx&q=ali&url=http://evil.example",
    ];
    for target in targets {
        assert_eq!(get(&proxy, target, &[]).await.status, 200);
    }
    let received = upstream.received();
    let ap = received[0].query();
    assert_eq!(
        ap,
        [
            (
                "api_token".to_string(),
                "MARKERactiveplatform1d9b".to_string()
            ),
            ("filters[email]".to_string(), "a&api_token=y".to_string()),
        ],
        "only the injected api_token reaches upstream"
    );
    assert_eq!(received[1].query(), [("q".to_string(), "ali".to_string())]);
}

#[tokio::test]
async fn hostile_paths_never_reach_upstream() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let targets = [
        "/api/p/rebilly/../pngme/users",
        "/api/p/rebilly/users/..",
        "/api/p/rebilly/%2e%2e/users",
        "/api/p/rebilly/%2E%2E%2Fusers",
        "/api/p/rebilly%2Fusers",
        "/api/p/rebilly/users%2F..%2F..",
        "/api/p/rebilly//evil.example/users",
        "/api/p/rebilly/@evil.example/users",
        "/api/p/rebilly@evil.example/users",
        "/api/p/rebilly/users\\..\\admin",
        "/api/p/rebilly/http://evil.example/users",
        "http://evil.example/api/p/rebilly/users",
        "/api/p/unknown/users",
        "/api/p/",
        "/api/p/rebilly",
        "/api/p/rebilly/",
        "/api/p/rebilly/users/",
        "/api/p/rebilly/customers",
        "/api/p/pngme/api/vendor/v1/users.json",
    ];
    for target in targets {
        let raw = get(&proxy, target, &[]).await;
        assert!(
            raw.status == 400 || raw.status == 404,
            "{target} answered {}",
            raw.status
        );
    }
    assert_eq!(upstream.received().len(), 0, "{:?}", upstream.received());
}

#[tokio::test]
async fn host_headers_do_not_move_the_upstream() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let raw = get(
        &proxy,
        "/api/p/pngme/users",
        &[
            ("Host", "evil.example"),
            ("X-Forwarded-Host", "evil.example:81"),
        ],
    )
    .await;
    assert_eq!(raw.status, 200);
    let received = upstream.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].headers["host"], upstream.addr.to_string());
}

#[tokio::test]
async fn only_allowlisted_response_headers_pass_and_cors_exposes_pagination() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let raw = get(
        &proxy,
        "/api/p/rebilly/users",
        &[("Origin", "https://admin.example.com")],
    )
    .await;
    assert_eq!(raw.header("pagination-total"), Some("332"));
    assert_eq!(raw.header("content-type"), Some("application/json"));
    for name in ["set-cookie", "server", "x-powered-by", "keep-alive"] {
        assert!(raw.header(name).is_none(), "{name} passed: {}", raw.all);
    }
    assert_eq!(
        raw.header("access-control-allow-origin"),
        Some("https://admin.example.com")
    );
    let exposed = raw
        .header("access-control-expose-headers")
        .expect("exposed headers")
        .to_ascii_lowercase();
    for name in ["pagination-total", "pagination-limit", "pagination-offset"] {
        assert!(exposed.contains(name), "{exposed}");
    }
}

#[tokio::test]
async fn cors_answers_only_the_exact_origin() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let refused = [
        "null",
        "https://evil.example",
        "https://admin.example.com.evil.example",
        "https://evil-admin.example.com",
        "http://admin.example.com",
        "https://admin.example.com.",
        "https://admin.example.com:443",
        "https://ADMIN.example.com",
    ];
    for origin in refused {
        let raw = get(&proxy, "/api/p/pngme/users", &[("Origin", origin)]).await;
        assert!(
            raw.headers
                .iter()
                .all(|(k, _)| !k.starts_with("access-control-")),
            "{origin} got CORS headers: {}",
            raw.all
        );
        let preflight = support::raw_request(
            proxy.addr,
            "OPTIONS",
            "/api/p/pngme/users",
            &[("Origin", origin), ("Access-Control-Request-Method", "GET")],
        )
        .await;
        assert!(
            preflight.header("access-control-allow-origin").is_none(),
            "{origin} preflight: {}",
            preflight.all
        );
    }
    let preflight = support::raw_request(
        proxy.addr,
        "OPTIONS",
        "/api/p/pngme/users",
        &[
            ("Origin", "https://admin.example.com"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "authorization"),
        ],
    )
    .await;
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("https://admin.example.com")
    );
    assert!(
        preflight
            .header("access-control-allow-headers")
            .is_some_and(|h| h.to_ascii_lowercase().contains("authorization"))
    );
}

#[tokio::test]
async fn upstream_redirects_are_not_followed() {
    let upstream = Upstream::start().await;
    let target = Upstream::start().await;
    upstream.set(Behaviour::Redirect(format!(
        "http://{}/stolen",
        target.addr
    )));
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    for path in [
        "/api/p/activeplatform/api/vendor/v1/users.json",
        "/api/p/rebilly/users",
    ] {
        let raw = get(&proxy, path, &[]).await;
        assert_eq!(raw.status, 502, "{}", raw.all);
        assert_eq!(raw.header("content-type"), Some("application/problem+json"));
        assert!(raw.header("location").is_none());
    }
    assert_eq!(target.received().len(), 0);
}

#[tokio::test]
async fn hang_garbage_and_oversize_fail_cleanly_and_the_proxy_keeps_serving() {
    let upstream = Upstream::start().await;
    let garbage = garbage_server().await;
    let mut toml = five_providers(
        &upstream,
        "upstream_timeout_ms = 700\nmax_response_bytes = 4096",
    );
    toml.push_str(&format!(
        "\n[[providers]]\nid = \"broken\"\nkind = \"activeplatform\"\nbase_url = \"http://{garbage}\"\nsecret_env = \"SECRET_ACTIVEPLATFORM\"\n"
    ));
    let proxy = start_proxy(&toml, &MARKERS).await;

    upstream.set(Behaviour::Hang);
    let started = Instant::now();
    let raw = get(
        &proxy,
        "/api/p/activeplatform/api/vendor/v1/users.json",
        &[],
    )
    .await;
    assert_eq!(raw.status, 504, "{}", raw.all);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        raw.body.contains("ActivePlatform did not answer"),
        "{}",
        raw.body
    );

    let raw = get(&proxy, "/api/p/broken/api/vendor/v1/users.json", &[]).await;
    assert_eq!(raw.status, 502, "{}", raw.all);

    upstream.set(Behaviour::Large(4097));
    let raw = get(
        &proxy,
        "/api/p/activeplatform/api/vendor/v1/users.json",
        &[],
    )
    .await;
    assert_eq!(raw.status, 502, "{}", raw.all);
    assert!(raw.body.contains("more than 4096 bytes"), "{}", raw.body);

    upstream.set(Behaviour::Large(4096));
    let raw = get(
        &proxy,
        "/api/p/activeplatform/api/vendor/v1/users.json",
        &[],
    )
    .await;
    assert_eq!(raw.status, 200);

    upstream.set(Behaviour::Normal);
    let raw = get(&proxy, "/api/p/pngme/users", &[]).await;
    assert_eq!(raw.status, 200);
}

#[tokio::test]
async fn an_upstream_echoing_the_token_has_it_blanked_out() {
    let upstream = Upstream::start().await;
    upstream.set(Behaviour::Echo);
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let raw = get(
        &proxy,
        "/api/p/activeplatform/api/vendor/v1/users.json?page=2",
        &[],
    )
    .await;
    assert_eq!(raw.status, 422);
    assert!(
        raw.body.contains("api_token=[redacted]&page=2"),
        "{}",
        raw.body
    );
}

#[tokio::test]
async fn the_provider_list_names_no_secret_or_url() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let raw = get(&proxy, "/api/providers", &[]).await;
    assert_eq!(raw.status, 200);
    let json: serde_json::Value = serde_json::from_str(&raw.body).expect("json");
    let providers = json["providers"].as_array().expect("list");
    assert_eq!(providers.len(), 5);
    assert_eq!(providers[3]["id"], "rebilly");
    assert_eq!(providers[3]["kind"], "rebilly");
    assert_eq!(providers[3]["label"], "Rebilly");
    assert_eq!(providers[3]["path"], "/api/p/rebilly/users");
    assert!(providers[3]["capabilities"].is_object());
    assert!(!raw.body.contains("127.0.0.1"), "{}", raw.body);
    let ready = raw_get(proxy.addr, "/readyz", &[]).await;
    assert_eq!(ready.status, 200);
}

#[tokio::test]
async fn the_proxy_enforces_the_providers_rate_limit() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    for _ in 0..3 {
        assert_eq!(
            get(&proxy, "/api/p/nameshield/user/v1/users", &[])
                .await
                .status,
            200
        );
    }
    let raw = get(&proxy, "/api/p/nameshield/user/v1/users", &[]).await;
    assert_eq!(raw.status, 429);
    let retry: u64 = raw
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=20).contains(&retry), "{retry}");
    assert_eq!(upstream.received().len(), 3);
}

#[tokio::test]
async fn bearer_auth_missing_wrong_right_and_rate_limited() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let missing = raw_get(proxy.addr, "/api/providers", &[]).await;
    assert_eq!(missing.status, 401);
    assert!(
        missing
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer"))
    );
    let right = raw_get(
        proxy.addr,
        "/api/providers",
        &[("Authorization", &bearer())],
    )
    .await;
    assert_eq!(right.status, 200);
    for _ in 0..3 {
        let wrong = raw_get(
            proxy.addr,
            "/api/p/pngme/users",
            &[("Authorization", "Bearer nope")],
        )
        .await;
        assert_eq!(wrong.status, 401);
    }
    let blocked = raw_get(
        proxy.addr,
        "/api/providers",
        &[("Authorization", &bearer())],
    )
    .await;
    assert_eq!(blocked.status, 429, "{}", blocked.all);
    assert!(blocked.header("retry-after").is_some());
    assert_eq!(upstream.received().len(), 0);
    let health = raw_get(proxy.addr, "/healthz", &[]).await;
    assert_eq!(health.status, 200);
    let console = raw_get(proxy.addr, "/p/pngme", &[]).await;
    assert_eq!(
        console.status, 200,
        "the console itself loads without sign-in"
    );
}

#[tokio::test]
async fn basic_auth_checks_user_and_password() {
    let upstream = Upstream::start().await;
    let toml = format!(
        "[auth]\nmode = \"basic\"\n[[auth.users]]\nname = \"ops\"\npassword_hash = \"{}\"\n\n[[providers]]\nid = \"pngme\"\nkind = \"pngme\"\nbase_url = \"{}\"\nsecret_env = \"SECRET_PNGME\"\n",
        cheap_hash("correct horse battery"),
        upstream.base("")
    );
    let proxy = start_proxy(&toml, &MARKERS).await;
    use base64::Engine;
    let basic = |user: &str, pass: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
        )
    };
    let cases = [
        (basic("ops", "correct horse battery"), 200),
        (basic("ops", "correct horse battery"), 200),
        (basic("ops", "wrong"), 401),
        (basic("root", "correct horse battery"), 401),
        ("Basic !!!".to_string(), 401),
    ];
    for (header, status) in cases {
        let raw = raw_get(
            proxy.addr,
            "/api/p/pngme/users",
            &[("Authorization", &header)],
        )
        .await;
        assert_eq!(raw.status, status, "{header}");
        assert_no_marker(&raw);
    }
    assert_eq!(upstream.received().len(), 2);
}

#[tokio::test]
async fn trusted_header_is_believed_only_from_trusted_addresses() {
    let upstream = Upstream::start().await;
    let provider = format!(
        "\n[[providers]]\nid = \"pngme\"\nkind = \"pngme\"\nbase_url = \"{}\"\nsecret_env = \"SECRET_PNGME\"\n",
        upstream.base("")
    );
    let trusted = start_proxy(
        &format!("[server]\nhosts = [\"127.0.0.1\"]\n\n[auth]\nmode = \"trusted-header\"\nheader = \"X-Forwarded-User\"\ntrusted_addresses = [\"127.0.0.1\"]\n{provider}"),
        &MARKERS,
    )
    .await;
    let untrusted = start_proxy(
        &format!("[server]\nhosts = [\"127.0.0.1\"]\n\n[auth]\nmode = \"trusted-header\"\nheader = \"X-Forwarded-User\"\ntrusted_addresses = [\"10.9.8.7\"]\n{provider}"),
        &MARKERS,
    )
    .await;
    let from_trusted = raw_get(
        trusted.addr,
        "/api/p/pngme/users",
        &[("X-Forwarded-User", "alice")],
    )
    .await;
    assert_eq!(from_trusted.status, 200);
    let without = raw_get(trusted.addr, "/api/p/pngme/users", &[]).await;
    assert_eq!(without.status, 401);
    let from_untrusted = raw_get(
        untrusted.addr,
        "/api/p/pngme/users",
        &[("X-Forwarded-User", "alice")],
    )
    .await;
    assert_eq!(from_untrusted.status, 401);
    assert_eq!(upstream.received().len(), 1);
    assert!(
        upstream.received()[0]
            .headers
            .get("x-forwarded-user")
            .is_none(),
        "the identity header is not passed on"
    );
}

#[tokio::test]
async fn errors_are_problem_json_naming_the_provider() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let raw = get(&proxy, "/api/p/rebilly/customers", &[]).await;
    assert_eq!(raw.status, 404);
    assert_eq!(raw.header("content-type"), Some("application/problem+json"));
    let json: serde_json::Value = serde_json::from_str(&raw.body).expect("json");
    assert_eq!(json["status"], 404);
    assert_eq!(json["provider"], "rebilly");
    assert_eq!(json["type"], "urn:userdeck:problem:not-found");
    assert!(
        json["detail"]
            .as_str()
            .expect("detail")
            .contains("/api/p/rebilly/users")
    );
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let upstream = Upstream::start().await;
    let proxy = start_proxy(
        &five_providers(&upstream, "header_read_timeout_ms = 300"),
        &MARKERS,
    )
    .await;
    let mut stream = tokio::net::TcpStream::connect(proxy.addr)
        .await
        .expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let started = Instant::now();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "still connected after 5 s");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let complete = raw_get(proxy.addr, "/healthz", &[]).await;
    assert_eq!(complete.status, 200);
}

#[tokio::test]
async fn demo_mode_serves_every_simulator_through_the_provider_core_and_switches_faults() {
    use userdeck_providers::{
        HttpResponse, ProviderKind, ServerPage, ServerQuery, Timestamp, adapters,
    };
    let sim = userdeck_sim::SimConfig {
        users: 120,
        ..Default::default()
    };
    let demo = userdeck_proxy::demo::start(&sim)
        .await
        .expect("demo starts");
    let proxy = support::start_with(demo.settings, demo.api).await;
    let page = ServerPage {
        number: 1,
        offset: 0,
        size: Some(10),
    };
    for kind in ProviderKind::ALL {
        let request = adapters::request(kind, &ServerQuery::default(), page).expect("request");
        let target = format!("/api/p/{}{}", kind.id(), request.path_and_query());
        let raw = raw_get(proxy.addr, &target, &[]).await;
        assert_eq!(raw.status, 200, "{target}: {}", raw.all);
        assert_no_secret_of_the_demo(&raw);
        let response = HttpResponse {
            status: raw.status,
            headers: raw.headers.clone(),
            body: raw.body.clone().into_bytes(),
        };
        // Successful pages: the clock only matters for retry instants, so any reading will do.
        let parsed = adapters::parse(kind, &response, Timestamp::UNIX_EPOCH)
            .unwrap_or_else(|err| panic!("{kind:?}: {err:?}"));
        assert!(!parsed.items.is_empty(), "{kind:?} returned no users");
    }

    let pngme = "/api/p/pngme/users?page=1";
    let set = support::raw_request_with_body(
        proxy.addr,
        "PUT",
        "/api/demo/faults/pngme",
        "{\"server_error_rate\": 1.0}",
    )
    .await;
    assert_eq!(set.status, 204, "{}", set.all);
    // The fault sends either Pngme's own JSON 500 or an HTML 503 page, which the proxy turns
    // into a 502 naming the type.
    let failing = raw_get(proxy.addr, pngme, &[]).await;
    assert!(
        failing.status == 500 || (failing.status == 502 && failing.body.contains("text/html")),
        "{}",
        failing.all
    );
    let cleared = support::raw_request(proxy.addr, "DELETE", "/api/demo/faults", &[]).await;
    assert_eq!(cleared.status, 204);
    assert_eq!(raw_get(proxy.addr, pngme, &[]).await.status, 200);
}

fn assert_no_secret_of_the_demo(raw: &Raw) {
    for kind in userdeck_providers::ProviderKind::ALL {
        let secret = userdeck_sim::credentials::demo_secret(kind);
        assert!(
            !raw.all.contains(secret),
            "{kind:?} secret leaked: {}",
            raw.all
        );
        assert!(!logs().contains(secret), "{kind:?} secret in the logs");
    }
}

#[tokio::test]
async fn the_fault_switch_exists_only_in_demo_mode() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&five_providers(&upstream, ""), &MARKERS).await;
    let raw = support::raw_request_with_body(
        proxy.addr,
        "PUT",
        "/api/demo/faults/pngme",
        "{\"server_error_rate\": 1.0}",
    )
    .await;
    assert_eq!(raw.status, 404, "{}", raw.all);
    let auth = bearer();
    let raw = support::raw_request(
        proxy.addr,
        "PUT",
        "/api/demo/faults/pngme",
        &[("Authorization", auth.as_str()), ("Content-Length", "0")],
    )
    .await;
    assert_eq!(raw.status, 404, "{}", raw.all);
}

#[tokio::test]
async fn per_provider_concurrency_is_bounded() {
    let upstream = Upstream::start().await;
    upstream.set(Behaviour::Hang);
    let toml = format!(
        "[server]\nupstream_timeout_ms = 800\n\n{}\n[[providers]]\nid = \"pngme\"\nkind = \"pngme\"\nbase_url = \"{}\"\nsecret_env = \"SECRET_PNGME\"\nmax_concurrency = 1\n",
        auth_section(),
        upstream.base("")
    );
    let proxy = start_proxy(&toml, &MARKERS).await;
    let send = |addr| async move {
        raw_get(addr, "/api/p/pngme/users", &[("Authorization", &bearer())]).await
    };
    let first = tokio::spawn(send(proxy.addr));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let second = tokio::spawn(send(proxy.addr));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        upstream.received().len(),
        1,
        "the second request waits for a free slot"
    );
    assert_eq!(first.await.expect("joined").status, 504);
    let second = second.await.expect("joined");
    assert!(
        second.status == 503 || second.status == 504,
        "{}",
        second.all
    );
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "one deadline covers the wait and the call: {:?}",
        started.elapsed()
    );
}
