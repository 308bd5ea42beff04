//! The `userdeck` binary itself: startup validation stops it with a sentence naming the field
//! (and never the secret), `hash` prints a usable Argon2id hash, demo mode refuses to listen
//! beyond loopback, and SIGTERM stops it cleanly.

use std::io::Write;
use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_userdeck");

fn dist() -> tempfile::TempDir {
    let dist = tempfile::tempdir().expect("temp dir");
    std::fs::write(dist.path().join("index.html"), "<title>Userdeck</title>").expect("write");
    dist
}

#[test]
fn a_secret_with_a_line_break_stops_startup_without_being_printed() {
    let dist = dist();
    let config = dist.path().join("userdeck.toml");
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$MokTOm8RA28xwmFesUwnKg$RrS8JvKBr52h8UKDDumsVrcA3eVpN9El5dtLEdyGj+o";
    std::fs::write(
        &config,
        format!(
            "[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{hash}\"]\n\n[[providers]]\nid = \"rebilly\"\nkind = \"rebilly\"\nbase_url = \"https://api-sandbox.rebilly.com\"\norganization_id = \"org\"\nsecret_env = \"TEST_REBILLY_KEY\"\n"
        ),
    )
    .expect("write");
    let output = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--dist"])
        .arg(dist.path())
        .env("USERDECK_CONFIG", &config)
        .env("TEST_REBILLY_KEY", "MARKERbinary77\r\nX-Injected: 1")
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stderr.contains("providers[0].secret_env") && stderr.contains("line break"),
        "{stderr}"
    );
    assert!(!stderr.contains("MARKERbinary77") && !stdout.contains("MARKERbinary77"));
}

#[test]
fn hash_prints_an_argon2id_hash_of_stdin() {
    let mut child = Command::new(BINARY)
        .arg("hash")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a-long-admin-token-42-Zq8RtW3xBn\n")
        .expect("write");
    let output = child.wait_with_output().expect("finishes");
    assert!(output.status.success());
    let hash = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let parsed = argon2::PasswordHash::new(&hash).expect("a PHC string");
    assert_eq!(parsed.algorithm.as_str(), "argon2id");
    use argon2::PasswordVerifier;
    assert!(
        argon2::Argon2::default()
            .verify_password(b"a-long-admin-token-42-Zq8RtW3xBn", &parsed)
            .is_ok()
    );
}

#[test]
fn demo_mode_listens_on_loopback_only() {
    let dist = dist();
    let output = Command::new(BINARY)
        .args(["--demo", "--listen", "0.0.0.0:0", "--dist"])
        .arg(dist.path())
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("loopback"));
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dist = dist();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut child = Command::new(BINARY)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--dist"])
        .arg(dist.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "never listened");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("exits");
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn an_absurd_max_concurrency_stops_startup_before_it_says_running() {
    let dist = dist();
    let config = dist.path().join("userdeck.toml");
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$MokTOm8RA28xwmFesUwnKg$RrS8JvKBr52h8UKDDumsVrcA3eVpN9El5dtLEdyGj+o";
    std::fs::write(
        &config,
        format!(
            "[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{hash}\"]\n\n[[providers]]\nid = \"pngme\"\nkind = \"pngme\"\nbase_url = \"https://api.pngme.com\"\nsecret_env = \"TEST_PNGME\"\nmax_concurrency = 9223372036854775807\n"
        ),
    )
    .expect("write");
    let output = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--dist"])
        .arg(dist.path())
        .env("USERDECK_CONFIG", &config)
        .env("TEST_PNGME", "token")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "an error exit, not a panic");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stderr.contains("providers[0].max_concurrency: 9223372036854775807 is outside"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stdout.contains("running at"),
        "{stdout}{stderr}"
    );
}

fn run_hash(args: &[&str], stdin: &[u8]) -> std::process::Output {
    let mut child = Command::new(BINARY)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write");
    child.wait_with_output().expect("finishes")
}

#[test]
fn hash_refuses_a_guessable_token_and_generates_a_strong_one() {
    for weak in [
        "e2e-admin-token\n",
        "q7Vb0Tz3LkP9wXc2Rm4nY\n",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
    ] {
        let output = run_hash(&["hash"], weak.as_bytes());
        assert!(!output.status.success(), "{weak} accepted");
        assert!(output.stdout.is_empty(), "no hash printed for {weak}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("128") && stderr.contains("userdeck hash --generate"),
            "{stderr}"
        );
    }
    assert!(
        run_hash(&["hash"], b"q7Vb0Tz3LkP9wXc2Rm4nYa\n")
            .status
            .success(),
        "22 base64 characters"
    );
    let output = run_hash(&["hash", "--generate"], b"");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    let token = lines.next().expect("the token");
    let hash = lines.next().expect("its hash");
    assert!(
        userdeck_proxy::token_strength::estimate_bits(token) >= 128.0,
        "{token}"
    );
    let parsed = argon2::PasswordHash::new(hash).expect("a PHC string");
    use argon2::PasswordVerifier;
    assert!(
        argon2::Argon2::default()
            .verify_password(token.as_bytes(), &parsed)
            .is_ok()
    );
    let again = run_hash(&["hash", "--generate"], b"");
    assert_ne!(
        String::from_utf8_lossy(&again.stdout).lines().next(),
        Some(token)
    );
}

/// `VmRSS` or `VmHWM` (the peak) of `pid`, in kB.
fn memory_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("the field is there")
}

async fn sign_in(from: std::net::Ipv4Addr, port: u16, token: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind((from, 0).into())
        .expect("bind a loopback source");
    let mut stream = socket
        .connect(([127, 0, 0, 1], port).into())
        .await
        .expect("connect");
    let request = format!(
        "GET /api/providers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    String::from_utf8_lossy(&answer)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_wrong_tokens_from_60_addresses_keeps_memory_bounded_and_the_admin_in() {
    let token = "Flood-test-admin-token-Zq8RtW3xBnK2";
    let hash = userdeck_proxy::auth::hash_secret(token).expect("hash");
    let dist = dist();
    let config = dist.path().join("userdeck.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\naudit = false\n\n[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{hash}\"]\n"
        ),
    )
    .expect("write");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut child = Command::new(BINARY)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--dist"])
        .arg(dist.path())
        .env("USERDECK_CONFIG", &config)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("runs");
    let pid = child.id();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "never listened");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let idle = memory_kb(pid, "VmRSS:");
    let admin = std::net::Ipv4Addr::new(127, 0, 0, 1);
    assert_eq!(sign_in(admin, port, token).await, 200);
    let flood = tokio::time::timeout(std::time::Duration::from_secs(90), async {
        let guesses: Vec<_> = (0..480u32)
            .map(|n| {
                let from = std::net::Ipv4Addr::new(127, 0, 1, (n % 60) as u8 + 1);
                tokio::spawn(async move { sign_in(from, port, &format!("guess-{n}")).await })
            })
            .collect();
        let during = tokio::spawn(sign_in(admin, port, token));
        let mut statuses = Vec::new();
        for guess in guesses {
            statuses.push(guess.await.expect("joined"));
        }
        (statuses, during.await.expect("joined"))
    })
    .await;
    let peak = memory_kb(pid, "VmHWM:");
    let after = memory_kb(pid, "VmRSS:");
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = child.wait();
    let (statuses, during) = flood.expect("the flood is answered within 90 s");
    let unauthorized = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(unauthorized + refused, 480, "{statuses:?}");
    assert!(unauthorized <= 100 + 60, "{unauthorized} guesses verified");
    assert_eq!(
        during, 200,
        "the signed-in admin is answered during the flood"
    );
    let growth_mb = peak.saturating_sub(idle) / 1024;
    assert!(
        growth_mb <= 50,
        "peak memory grew by {growth_mb} MB (idle {idle} kB, peak {peak} kB, after {after} kB)"
    );
    eprintln!(
        "idle {idle} kB, peak {peak} kB, after {after} kB; {unauthorized} × 401, {refused} × 429"
    );
}
