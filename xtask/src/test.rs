//! `cargo xtask test`: every check, in the order a failure is cheapest to find, with a closing
//! summary. Exits non-zero on the first failure.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::cmd::{self, Result, command, step};
use crate::sizes::{Sizes, kb};
use crate::{dist, secrets, setup};

const WASM: &str = "wasm32-unknown-unknown";

/// Runs the whole suite and prints what each stage took.
pub fn run() -> Result {
    let started = Instant::now();
    let mut timings: Vec<(&str, Duration)> = Vec::new();
    let mut timed = |name: &'static str, stage: &mut dyn FnMut() -> Result| -> Result {
        let begun = Instant::now();
        let result = stage();
        timings.push((name, begun.elapsed()));
        result
    };
    timed("setup", &mut setup::run)?;
    timed("format", &mut format)?;
    timed("clippy (native)", &mut clippy_native)?;
    timed("clippy (wasm32)", &mut clippy_wasm)?;
    timed("native tests", &mut native_tests)?;
    timed("browser unit tests", &mut browser_unit_tests)?;
    let mut sizes = Sizes::default();
    timed("release build", &mut || {
        sizes = dist::run()?;
        secrets::check_dist()
    })?;
    timed("end-to-end tests", &mut end_to_end)?;

    println!("\n==> summary");
    for (name, took) in &timings {
        println!("  {name:<20} {:>7.1} s", took.as_secs_f64());
    }
    println!(
        "  console transfer (gzip): wasm {} + js {} + css {} = {}",
        kb(sizes.wasm),
        kb(sizes.js),
        kb(sizes.css),
        kb(sizes.total())
    );
    println!(
        "  all checks passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn format() -> Result {
    step("cargo fmt --check");
    cmd::run(command("cargo", &["fmt", "--all", "--check"]))
}

fn clippy_native() -> Result {
    step("clippy, native");
    cmd::run(command(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))
}

fn clippy_wasm() -> Result {
    step("clippy, wasm32 (the console and the crates it ships)");
    cmd::run(command(
        "cargo",
        &[
            "clippy",
            "--target",
            WASM,
            "--package",
            "userdeck",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    cmd::run(command(
        "cargo",
        &[
            "clippy",
            "--target",
            WASM,
            "--package",
            "userdeck-providers",
            "--lib",
            "--",
            "-D",
            "warnings",
        ],
    ))
}

fn native_tests() -> Result {
    step("native tests");
    let has_nextest = cmd::output(command("cargo", &["nextest", "--version"])).is_some();
    if has_nextest {
        cmd::run(command(
            "cargo",
            &["nextest", "run", "--workspace", "--no-fail-fast"],
        ))?;
    } else {
        cmd::run(command("cargo", &["test", "--workspace", "--no-fail-fast"]))?;
    }
    cmd::run(command("cargo", &["test", "--workspace", "--doc"]))
}

fn browser_unit_tests() -> Result {
    step("browser unit tests (wasm-bindgen-test in headless Chromium)");
    let mut test = command(
        "cargo",
        &["test", "--package", "userdeck", "--target", WASM],
    );
    if std::env::var_os("CHROMEDRIVER").is_none() {
        test.env("CHROMEDRIVER", "/usr/bin/chromedriver");
    }
    cmd::run(test)
}

/// Kills the demo server however the tests end.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|err| format!("no free loopback port: {err}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|err| format!("no free loopback port: {err}"))
}

/// True once the server answers an HTTP request on `addr`.
fn answers(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 ")
}

fn end_to_end() -> Result {
    step("end-to-end tests (Playwright against a demo server)");
    cmd::run(command("cargo", &["build", "--package", "userdeck-proxy"]))?;
    let port = free_port()?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let binary = cmd::target_dir().join("debug").join("userdeck");
    let listen = addr.to_string();
    let child = command(
        &binary.to_string_lossy(),
        &["--demo", "--listen", &listen, "--dist", "dist"],
    )
    .stdout(Stdio::null())
    .spawn()
    .map_err(|err| format!("could not start the demo server: {err}"))?;
    let mut server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !answers(addr) {
        if let Ok(Some(status)) = server.0.try_wait() {
            return Err(format!("the demo server exited early ({status})"));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the demo server did not answer on {addr} within 30 s"
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut playwright = command("npx", &["--no-install", "playwright", "test"]);
    playwright
        .env("USERDECK_BASE_URL", format!("http://{addr}"))
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    let result = cmd::run(playwright);
    drop(server);
    result
}
