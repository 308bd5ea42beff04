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
