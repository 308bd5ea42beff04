//! The attacks of issue 14, replayed against the real router on loopback with the numbers of the
//! report: each test failed before its fix.

use std::net::Ipv4Addr;
use std::time::Duration;

use crate::support::{
    Behaviour, Raw, Upstream, cheap_hash, costly_hash, logs, raw_get, raw_get_from, start_proxy,
};
use base64::Engine;
use userdeck_providers::{Capabilities, ProviderKind};

const ADMIN_TOKEN: &str = "Zq8RtW3xBn-admin-token-for-security-tests";

fn bearer_auth(extra: &str) -> String {
    format!(
        "[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{}\"]\n{extra}\n",
        cheap_hash(ADMIN_TOKEN)
    )
}

fn pngme(upstream: &Upstream) -> String {
    format!(
        "\n[[providers]]\nid = \"pngme\"\nkind = \"pngme\"\nbase_url = \"{}\"\nsecret_env = \"SECRET_PNGME\"\n",
        upstream.base("")
    )
}

const SECRETS: [(&str, &str); 2] = [
    ("SECRET_PNGME", "MARKERpngme2b7d"),
    ("SECRET_AP", "evilAp/Tok+en==?&#%"),
];

fn admin() -> String {
    format!("Bearer {ADMIN_TOKEN}")
}

fn loopback(n: u8) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, 0, n)
}

fn count(answers: &[Raw], status: u16) -> usize {
    answers.iter().filter(|r| r.status == status).count()
}

#[tokio::test]
async fn concurrent_wrong_tokens_are_counted_before_they_are_verified() {
    let upstream = Upstream::start().await;
    let toml = format!(
        "[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{}\"]\nfailed_logins_per_minute = 10\n{}",
        costly_hash(ADMIN_TOKEN),
        pngme(&upstream)
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let guesses: Vec<_> = (0..100)
        .map(|n| {
            let addr = proxy.addr;
            tokio::spawn(async move {
                let wrong = format!("Bearer wrong-guess-{n}");
                raw_get_from(
                    loopback(1),
                    addr,
                    "/api/providers",
                    &[("Authorization", &wrong)],
                )
                .await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for guess in guesses {
        answers.push(guess.await.expect("joined"));
    }
    assert!(count(&answers, 401) <= 10, "{} × 401", count(&answers, 401));
    assert_eq!(count(&answers, 401) + count(&answers, 429), 100);
    assert!(count(&answers, 429) >= 90);
    let own = raw_get_from(
        loopback(1),
        proxy.addr,
        "/api/providers",
        &[("Authorization", &admin())],
    )
    .await;
    assert_eq!(
        own.status, 429,
        "the guessing client stays locked out, right token or not"
    );
    let other = raw_get_from(
        loopback(2),
        proxy.addr,
        "/api/providers",
        &[("Authorization", &admin())],
    )
    .await;
    assert_eq!(
        other.status, 200,
        "another client is not refused for those failures"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_stranger_cannot_lock_out_the_admins() {
    let upstream = Upstream::start().await;
    let toml = format!(
        "[server]\ntrusted_proxies = [\"127.0.0.1\"]\n\n{}{}",
        bearer_auth("failed_logins_per_minute = 10"),
        pngme(&upstream)
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let stranger = [
        ("Authorization", "Bearer guess"),
        ("X-Forwarded-For", "203.0.113.5"),
    ];
    for _ in 0..10 {
        assert_eq!(
            raw_get(proxy.addr, "/api/providers", &stranger)
                .await
                .status,
            401
        );
    }
    assert_eq!(
        raw_get(proxy.addr, "/api/providers", &stranger)
            .await
            .status,
        429
    );
    // The stranger writes the admin's address to the left; the TLS proxy appends the real one.
    let spoofing = [
        ("Authorization", "Bearer guess"),
        ("X-Forwarded-For", "198.51.100.7, 203.0.113.5"),
    ];
    assert_eq!(
        raw_get(proxy.addr, "/api/providers", &spoofing)
            .await
            .status,
        429
    );
    let auth = admin();
    let admin = [
        ("Authorization", auth.as_str()),
        ("X-Forwarded-For", "198.51.100.7"),
    ];
    assert_eq!(
        raw_get(proxy.addr, "/api/providers", &admin).await.status,
        200
    );
}

#[tokio::test]
async fn many_addresses_cannot_guess_past_the_shared_limit() {
    let upstream = Upstream::start().await;
    let toml = format!(
        "{}{}",
        bearer_auth("failed_logins_per_minute = 10\nfailed_logins_total_per_minute = 60"),
        pngme(&upstream)
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let mut answers = Vec::new();
    for round in 0..9 {
        let batch: Vec<_> = (0..30u8)
            .map(|n| {
                let addr = proxy.addr;
                tokio::spawn(async move {
                    let wrong = format!("Bearer guess-{round}-{n}");
                    raw_get_from(
                        loopback(10 + n),
                        addr,
                        "/api/providers",
                        &[("Authorization", &wrong)],
                    )
                    .await
                })
            })
            .collect();
        for guess in batch {
            answers.push(guess.await.expect("joined"));
        }
    }
    let unauthorized = count(&answers, 401);
    assert!(
        unauthorized <= 60 + 30,
        "{unauthorized} of 270 guesses were verified (shared limit 60, plus each address's first)"
    );
    assert_eq!(unauthorized + count(&answers, 429), 270);
    let admin = raw_get_from(
        loopback(99),
        proxy.addr,
        "/api/providers",
        &[("Authorization", &admin())],
    )
    .await;
    assert_eq!(
        admin.status, 200,
        "a client with a clean record is still verified"
    );
}

fn has_api_headers(raw: &Raw) {
    assert_eq!(
        raw.header("x-content-type-options"),
        Some("nosniff"),
        "{}",
        raw.all
    );
    assert_eq!(
        raw.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'"),
        "{}",
        raw.all
    );
    assert_eq!(raw.header("cache-control"), Some("no-store"), "{}", raw.all);
}

#[tokio::test]
async fn a_providers_html_never_reaches_the_browser_and_every_api_answer_is_locked_down() {
    let upstream = Upstream::start().await;
    let toml = format!(
        "[server]\nallowed_origins = [\"https://admin.example.com\"]\n\n{}{}",
        bearer_auth(""),
        pngme(&upstream)
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let auth = admin();
    let signed_in = [("Authorization", auth.as_str())];
    let reflected = "<script>alert(document.domain)</script>";
    for status in [200, 404] {
        upstream.set(Behaviour::Fixed(
            status,
            "text/html; charset=utf-8".into(),
            format!("<h1>No user {reflected}</h1>"),
        ));
        let raw = raw_get(proxy.addr, "/api/p/pngme/users?search=x", &signed_in).await;
        assert_eq!(raw.status, 502, "{}", raw.all);
        assert_eq!(raw.header("content-type"), Some("application/problem+json"));
        assert!(!raw.body.contains("<script"), "{}", raw.body);
        let problem: serde_json::Value = serde_json::from_str(&raw.body).expect("json");
        assert_eq!(problem["provider"], "pngme");
        assert!(
            problem["detail"].as_str().is_some_and(
                |d| d.contains("text/html") && d.contains(&format!("answered {status}"))
            ),
            "{problem}"
        );
        has_api_headers(&raw);
    }
    upstream.set(Behaviour::Fixed(
        200,
        "application/problem+json".into(),
        "{}".into(),
    ));
    let problem = raw_get(proxy.addr, "/api/p/pngme/users", &signed_in).await;
    assert_eq!(problem.status, 200, "a JSON problem type passes");
    upstream.set(Behaviour::Normal);
    let answers = [
        raw_get(proxy.addr, "/api/p/pngme/users", &signed_in).await,
        raw_get(proxy.addr, "/api/providers", &[]).await,
        raw_get(proxy.addr, "/api/nothing", &[]).await,
        raw_get(proxy.addr, "/api/p/pngme/other", &signed_in).await,
        crate::support::raw_request(
            proxy.addr,
            "OPTIONS",
            "/api/p/pngme/users",
            &[
                ("Origin", "https://admin.example.com"),
                ("Access-Control-Request-Method", "GET"),
            ],
        )
        .await,
    ];
    let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 401, 404, 404, 204]);
    for raw in &answers {
        has_api_headers(raw);
    }
    let console = raw_get(proxy.addr, "/", &[]).await;
    assert!(
        console
            .header("content-security-policy")
            .is_some_and(|csp| csp.contains("script-src")),
        "the console keeps its own policy"
    );
}

#[tokio::test]
async fn the_demos_wrong_content_type_fault_is_a_502() {
    let demo = userdeck_proxy::demo::start(&userdeck_sim::SimConfig::default())
        .await
        .expect("demo starts");
    let proxy = crate::support::start_with(demo.settings, demo.api).await;
    let set = crate::support::raw_request_with_body(
        proxy.addr,
        "PUT",
        "/api/demo/faults/pngme",
        "{\"wrong_content_type_rate\": 1.0}",
    )
    .await;
    assert_eq!(set.status, 204, "{}", set.all);
    let raw = raw_get(proxy.addr, "/api/p/pngme/users?page=1", &[]).await;
    assert_eq!(raw.status, 502, "{}", raw.all);
    assert!(
        raw.body.contains("text/html") && raw.body.contains("\"provider\":\"pngme\""),
        "{}",
        raw.body
    );
    assert!(!raw.body.contains("<h1>"), "{}", raw.body);
    has_api_headers(&raw);
}

#[tokio::test]
async fn a_secret_echoed_in_any_encoding_is_redacted() {
    let upstream = Upstream::start().await;
    let secret = SECRETS[1].1;
    let toml = format!(
        "{}\n[[providers]]\nid = \"ap\"\nkind = \"activeplatform\"\nbase_url = \"{}\"\nsecret_env = \"SECRET_AP\"\n",
        bearer_auth(""),
        upstream.base("")
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let auth = admin();
    let signed_in = [("Authorization", auth.as_str())];
    let target = "/api/p/ap/api/vendor/v1/users.json?page=2";

    upstream.set(Behaviour::Echo);
    let raw = raw_get(proxy.addr, target, &signed_in).await;
    assert_eq!(raw.status, 422, "{}", raw.all);
    assert!(
        raw.body.contains("api_token=[redacted]&page=2"),
        "{}",
        raw.body
    );
    assert!(!raw.body.contains("evilAp"), "{}", raw.body);

    let percent: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let lower = percent
        .split('%')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 || part.len() < 2 {
                part.to_string()
            } else {
                format!("{}{}", part[..2].to_lowercase(), &part[2..])
            }
        })
        .collect::<Vec<_>>()
        .join("%");
    let json_slash = serde_json::to_string(secret)
        .expect("json")
        .trim_matches('"')
        .replace('/', "\\/");
    let unicode: String = secret
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    for form in [
        secret.to_string(),
        percent.clone(),
        lower,
        json_slash,
        unicode,
        b64.clone(),
        b64url.clone(),
    ] {
        let body = serde_json::json!({ "echo": "FORM" })
            .to_string()
            .replace("FORM", &form);
        upstream.set(Behaviour::Fixed(400, "application/json".into(), body));
        let raw = raw_get(proxy.addr, target, &signed_in).await;
        assert_eq!(raw.status, 400);
        assert_eq!(raw.body, "{\"echo\":\"[redacted]\"}", "{form} came back");
    }
    assert!(!logs().contains(secret) && !logs().contains(&percent) && !logs().contains(&b64));
}

#[tokio::test]
async fn trusted_header_needs_one_header_a_known_host_and_a_trusted_peer() {
    let upstream = Upstream::start().await;
    let toml = format!(
        "[server]\nhosts = [\"userdeck.example.com\"]\n\n[auth]\nmode = \"trusted-header\"\nheader = \"X-Forwarded-User\"\ntrusted_addresses = [\"127.0.0.1\"]\n{}",
        pngme(&upstream)
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let good = raw_get(
        proxy.addr,
        "/api/p/pngme/users",
        &[
            ("Host", "userdeck.example.com"),
            ("X-Forwarded-User", "alice"),
        ],
    )
    .await;
    assert_eq!(good.status, 200, "{}", good.all);
    let rebinding = raw_get(
        proxy.addr,
        "/api/p/pngme/users",
        &[("Host", "attacker.example"), ("X-Forwarded-User", "alice")],
    )
    .await;
    assert_eq!(rebinding.status, 421, "{}", rebinding.all);
    let twice = raw_get(
        proxy.addr,
        "/api/p/pngme/users",
        &[
            ("Host", "userdeck.example.com"),
            ("X-Forwarded-User", "alice"),
            ("X-Forwarded-User", "admin"),
        ],
    )
    .await;
    assert_eq!(twice.status, 401, "{}", twice.all);
    assert_eq!(upstream.received().len(), 1);
    let without_hosts = toml.replace("hosts = [\"userdeck.example.com\"]", "");
    let error = userdeck_proxy::config::parse(&without_hosts, std::path::Path::new("."), &NoEnv)
        .expect_err("trusted-header mode without server.hosts is refused");
    assert!(error.starts_with("server.hosts:"), "{error}");
}

struct NoEnv;

impl userdeck_proxy::config::Environment for NoEnv {
    fn var(&self, _: &str) -> Option<String> {
        Some("secret".into())
    }
}

#[tokio::test]
async fn every_mode_refuses_unknown_hosts_when_the_list_is_set() {
    let upstream = Upstream::start().await;
    let toml = format!(
        "[server]\nhosts = [\"admin.example.com\", \"127.0.0.1\"]\n\n{}{}",
        bearer_auth(""),
        pngme(&upstream)
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let auth = admin();
    for (host, status) in [
        ("admin.example.com", 200),
        ("ADMIN.example.com:8443", 200),
        ("attacker.example", 421),
        ("admin.example.com.attacker.example", 421),
    ] {
        let raw = raw_get(
            proxy.addr,
            "/api/providers",
            &[("Host", host), ("Authorization", auth.as_str())],
        )
        .await;
        assert_eq!(raw.status, status, "{host}: {}", raw.all);
    }
    let health = raw_get(proxy.addr, "/healthz", &[("Host", "10.1.2.3:8080")]).await;
    assert_eq!(health.status, 200, "orchestrators probe by address");
}

#[tokio::test]
async fn page_sizes_are_clamped_to_the_kinds_maximum() {
    let upstream = Upstream::start().await;
    let toml = format!(
        "{}\n[[providers]]\nid = \"ap\"\nkind = \"activeplatform\"\nbase_url = \"{}\"\nsecret_env = \"SECRET_AP\"\n\n[[providers]]\nid = \"ns\"\nkind = \"nameshield\"\nbase_url = \"{}\"\nsecret_env = \"SECRET_PNGME\"\n",
        bearer_auth(""),
        upstream.base("/ap"),
        upstream.base("/ns"),
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let auth = admin();
    for target in [
        "/api/p/ap/api/vendor/v1/users.json?per_page=999999999999",
        "/api/p/ns/user/v1/users?limit=999999999999",
    ] {
        assert_eq!(
            raw_get(proxy.addr, target, &[("Authorization", auth.as_str())])
                .await
                .status,
            200
        );
    }
    let received = upstream.received();
    let ap_max = Capabilities::of(ProviderKind::ActivePlatform)
        .max_page_size
        .expect("max");
    let ns_max = Capabilities::of(ProviderKind::Nameshield)
        .max_page_size
        .expect("max");
    assert!(
        received[0]
            .query()
            .contains(&("per_page".into(), ap_max.to_string())),
        "{:?}",
        received[0]
    );
    assert!(
        received[1]
            .query()
            .contains(&("limit".into(), ns_max.to_string())),
        "{:?}",
        received[1]
    );
}

#[tokio::test]
async fn an_oversized_request_id_is_replaced_and_never_logged() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(
        &format!("{}{}", bearer_auth(""), pngme(&upstream)),
        &SECRETS,
    )
    .await;
    let huge = format!("HUGEID{}", "x".repeat(60_000));
    let raw = raw_get(proxy.addr, "/healthz", &[("X-Request-Id", &huge)]).await;
    assert_eq!(raw.status, 200);
    let id = raw.header("x-request-id").expect("an id");
    assert!(id.len() <= 128 && !id.starts_with("HUGEID"), "{id}");
    assert!(!logs().contains("HUGEIDxxxx"));
    let control = raw_get(proxy.addr, "/healthz", &[("X-Request-Id", "a b")]).await;
    assert_ne!(control.header("x-request-id"), Some("a b"));
    let exact = "r".repeat(128);
    let kept = raw_get(proxy.addr, "/healthz", &[("X-Request-Id", &exact)]).await;
    assert_eq!(kept.header("x-request-id"), Some(exact.as_str()));
}

#[tokio::test]
async fn a_static_download_is_cut_off_at_the_send_deadline() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let upstream = Upstream::start().await;
    let toml = format!(
        "[server]\nstatic_send_timeout_ms = 500\n\n{}{}",
        bearer_auth(""),
        pngme(&upstream)
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let size = 40 * 1024 * 1024;
    std::fs::write(proxy.dist().join("big.bin"), vec![b'z'; size]).expect("write");
    let mut stream = tokio::net::TcpStream::connect(proxy.addr)
        .await
        .expect("connect");
    stream
        .write_all(format!("GET /big.bin HTTP/1.1\r\nHost: {}\r\n\r\n", proxy.addr).as_bytes())
        .await
        .expect("write");
    // A reader that does not read: the whole file cannot fit in the socket buffers.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut received = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut received)).await;
    assert!(read.is_ok(), "the connection is closed, not held open");
    assert!(
        received.len() < size,
        "{} bytes of {size} arrived after the deadline",
        received.len()
    );
}

#[tokio::test]
async fn every_api_request_writes_one_audit_line_naming_the_admin_never_the_token() {
    let upstream = Upstream::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let audit = dir.path().join("audit.jsonl");
    let toml = format!(
        "[server]\naudit = \"{}\"\n\n{}\n[[providers]]\nid = \"ap\"\nkind = \"activeplatform\"\nbase_url = \"{}\"\nsecret_env = \"SECRET_AP\"\n",
        audit.display(),
        bearer_auth(""),
        upstream.base("")
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let auth = admin();
    let ok = raw_get(
        proxy.addr,
        "/api/p/ap/api/vendor/v1/users.json?page=2&filters%5Bemail%5D=ann%40example.com&api_token=x",
        &[("Authorization", auth.as_str())],
    )
    .await;
    assert_eq!(ok.status, 200);
    let refused = raw_get(
        proxy.addr,
        "/api/providers",
        &[("Authorization", "Bearer nope")],
    )
    .await;
    assert_eq!(refused.status, 401);
    let console = raw_get(proxy.addr, "/p/ap", &[]).await;
    assert_eq!(console.status, 200);
    let text = std::fs::read_to_string(&audit).expect("the audit log exists");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(
        lines.len(),
        2,
        "one line per API request, none for the console: {text}"
    );
    let first = &lines[0];
    assert_eq!(first["auth"], "bearer");
    let identity = first["admin"].as_str().expect("admin");
    let expected =
        userdeck_proxy::auth::fingerprint(ADMIN_TOKEN.as_bytes(), &cheap_hash(ADMIN_TOKEN));
    assert_eq!(identity, expected);
    assert!(identity.len() == "token:".len() + 12, "{identity}");
    assert_eq!(first["provider"], "ap");
    assert_eq!(first["route"], "/api/p/ap/api/vendor/v1/users.json");
    assert_eq!(
        first["query"],
        serde_json::json!([["page", "2"], ["filters[email]", "ann@example.com"]])
    );
    assert_eq!(first["status"], 200);
    assert_eq!(first["bytes"], ok.body.len());
    assert_eq!(first["client"], "127.0.0.1");
    let time = first["time"].as_str().expect("time");
    assert!(
        time.ends_with('Z') && time.len() >= 20 && time.as_bytes()[10] == b'T',
        "{time}"
    );
    let second = &lines[1];
    assert_eq!(second["admin"], serde_json::Value::Null);
    assert_eq!(second["status"], 401);
    assert_eq!(second["route"], "/api/providers");
    for secret in [ADMIN_TOKEN, SECRETS[1].1, "nope"] {
        assert!(!text.contains(secret), "{secret} in the audit log");
    }

    let off = dir.path().join("off.jsonl");
    let toml = format!(
        "[server]\naudit = false\n\n{}{}",
        bearer_auth(""),
        pngme(&upstream)
    );
    let quiet = start_proxy(&toml, &SECRETS).await;
    assert_eq!(
        raw_get(
            quiet.addr,
            "/api/providers",
            &[("Authorization", auth.as_str())]
        )
        .await
        .status,
        200
    );
    assert!(!off.exists());
}

#[tokio::test]
async fn basic_users_are_named_in_the_audit_log() {
    let upstream = Upstream::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let audit = dir.path().join("audit.jsonl");
    let toml = format!(
        "[server]\naudit = \"{}\"\n\n[auth]\nmode = \"basic\"\n[[auth.users]]\nname = \"ops\"\npassword_hash = \"{}\"\n{}",
        audit.display(),
        cheap_hash("correct horse battery"),
        pngme(&upstream)
    );
    let proxy = start_proxy(&toml, &SECRETS).await;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("ops:correct horse battery")
    );
    assert_eq!(
        raw_get(
            proxy.addr,
            "/api/p/pngme/users?page=1",
            &[("Authorization", &basic)]
        )
        .await
        .status,
        200
    );
    let text = std::fs::read_to_string(&audit).expect("audit log");
    let line: serde_json::Value = serde_json::from_str(text.trim()).expect("json");
    assert_eq!(
        (line["auth"].as_str(), line["admin"].as_str()),
        (Some("basic"), Some("ops"))
    );
    assert_eq!(line["query"], serde_json::json!([["page", "1"]]));
    assert!(!text.contains("correct horse"));
}

#[tokio::test]
async fn the_demo_answers_only_loopback_names_and_its_simulators_send_no_cors() {
    let demo = userdeck_proxy::demo::start(&userdeck_sim::SimConfig::default())
        .await
        .expect("demo starts");
    let simulators = demo.simulators;
    let proxy = crate::support::start_with(demo.settings, demo.api).await;
    let port = proxy.addr.port();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "[::1]".to_string(),
    ] {
        let raw = raw_get(proxy.addr, "/api/demo/faults", &[("Host", &host)]).await;
        assert_eq!(raw.status, 200, "{host}: {}", raw.all);
    }
    let rebinding = crate::support::raw_request(
        proxy.addr,
        "DELETE",
        "/api/demo/faults",
        &[("Host", "attacker.example")],
    )
    .await;
    assert_eq!(rebinding.status, 421, "{}", rebinding.all);
    let direct = raw_get(simulators, "/pngme/users", &[]).await;
    assert_ne!(direct.status, 0);
    assert!(
        direct
            .headers
            .iter()
            .all(|(k, _)| !k.starts_with("access-control-")),
        "{}",
        direct.all
    );
    let preflight = crate::support::raw_request(
        simulators,
        "OPTIONS",
        "/pngme/users",
        &[
            ("Origin", "https://evil.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
    )
    .await;
    assert!(
        preflight.header("access-control-allow-origin").is_none(),
        "{}",
        preflight.all
    );
    let switch = crate::support::raw_request(simulators, "DELETE", "/_sim/faults", &[]).await;
    assert_eq!(
        switch.status, 404,
        "the simulators' own fault switch is not exposed"
    );
    let foreign = raw_get(simulators, "/pngme/users", &[("Host", "attacker.example")]).await;
    assert_eq!(foreign.status, 404);
}
