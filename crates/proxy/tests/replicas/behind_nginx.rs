//! The committed example in `deploy/replicas/` run as written, with only addresses, the
//! token's hash and the limits swapped for test ones: nginx spreads requests over both replicas,
//! and the limits hold across them whichever replica nginx picks.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use userdeck_providers::ProviderKind;

use crate::harness::{Redis, Replica, Sim, TOKEN, USERS, count, free_port, token_hash};

const EXAMPLE_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$MokTOm8RA28xwmFesUwnKg$RrS8JvKBr52h8UKDDumsVrcA3eVpN9El5dtLEdyGj+o";

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy/replicas")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// `text` with `from` replaced by `to`; the example must still say `from`, exactly once, or
/// this test no longer tests it.
fn swap(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the example no longer has `{from}` exactly once"
    );
    text.replacen(from, to, 1)
}

/// nginx in the foreground, stopped when dropped.
struct Nginx(Child);

impl Drop for Nginx {
    /// SIGTERM, so the master stops its workers too (a SIGKILL would leave them holding the
    /// port); SIGKILL only if it has not exited within 5 s.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_nginx(conf: &Path, dir: &Path, port: u16) -> Nginx {
    let globals = format!(
        "daemon off; pid {}; error_log {} warn;",
        dir.join("nginx.pid").display(),
        dir.join("error.log").display()
    );
    let child = Command::new("nginx")
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(conf)
        .args(["-g", &globals])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => panic!(
            "nginx is not installed, so the deploy/replicas example cannot be tested: `cargo xtask setup` installs it (Debian package nginx)"
        ),
        Err(err) => panic!("cannot start nginx: {err}"),
    };
    let mut nginx = Nginx(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = nginx.0.try_wait() {
            panic!(
                "nginx exited ({status}): {}",
                std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
            );
        }
        assert!(
            Instant::now() < deadline,
            "nginx did not listen within 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    nginx
}

fn audit_lines(path: &PathBuf) -> usize {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|line| line.contains("\"route\":\"/api/p/nameshield/"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_behind_nginx_spread_requests_and_share_limits() {
    let base = 18660;
    let redis = Redis::start(free_port(base, &[]));
    let sim = Sim::start().await;
    let port_a = free_port(base, &[redis.port]);
    let port_b = free_port(base, &[redis.port, port_a]);
    let port_nginx = free_port(base, &[redis.port, port_a, port_b]);

    let mut replicas = Vec::new();
    let mut audits = Vec::new();
    for (name, port) in [("a", port_a), ("b", port_b)] {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("index.html"), "<title>Userdeck</title>").expect("write");
        let audit = dir.path().join("audit.jsonl");
        let mut text = example(&format!("replica-{name}.toml"));
        for (from, to) in [
            (
                "url = \"redis://127.0.0.1:6379/0\"",
                format!("url = \"{}\"", redis.url()),
            ),
            (
                "base_url = \"https://ote-api.nameshield.net\"",
                format!("base_url = \"http://{}/nameshield\"", sim.addr),
            ),
            (EXAMPLE_HASH, token_hash()),
            (
                "rate_limit = { requests = 600, per_seconds = 300 }",
                "rate_limit = { requests = 12, per_seconds = 3600 }".to_string(),
            ),
            (
                "failed_logins_per_minute = 10",
                "failed_logins_per_minute = 4".to_string(),
            ),
            (
                &format!("/var/log/userdeck/audit-{name}.jsonl"),
                audit.display().to_string(),
            ),
        ] {
            text = swap(&text, from, &to);
        }
        let config = dir.path().join("userdeck.toml");
        std::fs::write(&config, text).expect("write");
        replicas.push(Replica::start_with(&config, port, dir).await);
        audits.push(audit);
    }

    let nginx_dir = tempfile::tempdir().expect("temp dir");
    let mut conf = example("nginx.conf");
    conf = swap(
        &conf,
        "server 127.0.0.1:8081 ",
        &format!("server 127.0.0.1:{port_a} "),
    );
    conf = swap(
        &conf,
        "server 127.0.0.1:8082 ",
        &format!("server 127.0.0.1:{port_b} "),
    );
    conf = swap(
        &conf,
        "listen 127.0.0.1:8080;",
        &format!("listen 127.0.0.1:{port_nginx};"),
    );
    // Debian's nginx keeps its buffers under /var/lib/nginx, writable by root only; the test
    // keeps them in its own folder instead, so it runs as any user.
    let temp = nginx_dir.path().display();
    conf = swap(
        &conf,
        "http {\n",
        &format!(
            "http {{\n    access_log off;\n    client_body_temp_path {temp}/body;\n    proxy_temp_path {temp}/proxy;\n    fastcgi_temp_path {temp}/fastcgi;\n    uwsgi_temp_path {temp}/uwsgi;\n    scgi_temp_path {temp}/scgi;\n"
        ),
    );
    let conf_path = nginx_dir.path().join("nginx.conf");
    std::fs::write(&conf_path, conf).expect("write");
    let _nginx = start_nginx(&conf_path, nginx_dir.path(), port_nginx);

    let client = reqwest::Client::new();
    // Each replica verifies the token once, so the burst below is not a burst of sign-ins.
    for replica in &replicas {
        let answer = client
            .get(replica.url("/api/providers"))
            .header("Host", "admin.example.com")
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("answers");
        assert_eq!(answer.status(), 200);
    }

    let through = format!("http://127.0.0.1:{port_nginx}{USERS}");
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let (client, url) = (client.clone(), through.clone());
        calls.spawn(async move {
            client
                .get(url)
                .header("Host", "admin.example.com")
                .bearer_auth(TOKEN)
                .send()
                .await
                .map(|answer| answer.status().as_u16())
                .unwrap_or(0)
        });
    }
    let statuses = calls.join_all().await;
    let spread: Vec<usize> = audits.iter().map(audit_lines).collect();
    let served: Vec<usize> = audits
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .unwrap_or_default()
                .lines()
                .filter(|line| line.contains("\"status\":200") && line.contains("/api/p/"))
                .count()
        })
        .collect();
    let reached = sim.state.requests(ProviderKind::Nameshield);
    println!(
        "30 requests through nginx: replicas answered {spread:?}, of them {served:?} with 200; simulator counted {reached} of limit 12"
    );
    assert_eq!(reached, 12, "{statuses:?}");
    assert_eq!(count(&statuses, 200), 12, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 18, "{statuses:?}");
    assert!(
        spread.iter().all(|n| *n > 0),
        "nginx used one replica only: {spread:?}"
    );
    assert_eq!(spread.iter().sum::<usize>(), 30);

    let mut sign_ins = Vec::new();
    for n in 0..8 {
        let answer = client
            .get(&through)
            .header("Host", "admin.example.com")
            .bearer_auth(format!("wrong-{n}"))
            .send()
            .await
            .expect("answers");
        sign_ins.push(answer.status().as_u16());
    }
    println!("8 wrong tokens through nginx, 4 allowed: {sign_ins:?}");
    assert_eq!(count(&sign_ins, 401), 4, "{sign_ins:?}");
    assert_eq!(count(&sign_ins, 429), 4, "{sign_ins:?}");
    drop(replicas);
}
