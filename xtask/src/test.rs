//! `cargo xtask test`: every check, in the order a failure is cheapest to find, with a closing
//! summary. Exits non-zero on the first failure.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::cmd::{self, Result, command, step};
use crate::sizes::{self, Sizes};
use crate::{containment, dist, secrets, setup, sites};

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
    timed("containment", &mut containment::check)?;
    timed("setup", &mut setup::run)?;
    timed("format", &mut format)?;
    timed("clippy (native)", &mut clippy_native)?;
    timed("clippy (wasm32)", &mut clippy_wasm)?;
    timed("native tests", &mut native_tests)?;
    timed("browser unit tests", &mut browser_unit_tests)?;
    let mut sizes = Sizes::default();
    timed("release build", &mut || {
        sizes = dist::run()?;
        sizes::check_ceiling(&sizes)?;
        secrets::check_dist()
    })?;
    timed("end-to-end tests", &mut || end_to_end(&mut sizes))?;

    println!("\n==> summary");
    for (name, took) in &timings {
        println!("  {name:<20} {:>7.1} s", took.as_secs_f64());
    }
    println!("  {}", sizes::line(&sizes));
    println!(
        "  all checks passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn format() -> Result {
    step("cargo fmt --check");
    cmd::run(command("cargo", &["fmt", "--all", "--check"]))?;
    fuzz_crate()
}

/// The fuzz crate is its own workspace, built only by `cargo xtask fuzz`, so nothing else
/// notices when it falls behind: its format, and its lock against the crates it fuzzes (a new
/// dependency of the proxy makes `cargo afl build --locked` refuse). Neither compiles anything.
fn fuzz_crate() -> Result {
    step("the fuzz crate's format and lock");
    cmd::run(command(
        "cargo",
        &["fmt", "--manifest-path", "fuzz/Cargo.toml", "--check"],
    ))?;
    let mut metadata = command(
        "cargo",
        &[
            "metadata",
            "--locked",
            "--format-version",
            "1",
            "--manifest-path",
            "fuzz/Cargo.toml",
        ],
    );
    metadata.stdout(Stdio::null());
    cmd::run(metadata).map_err(|err| {
        format!(
            "{err}: fuzz/Cargo.lock is behind the crates it fuzzes; run `cargo tree --manifest-path fuzz/Cargo.toml` and commit the lock"
        )
    })
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

/// A free loopback port: from `USERDECK_PORT_RANGE` (`first-last`, for machines where each
/// engineer has a range) when set, else any the system picks.
fn free_port() -> Result<u16> {
    if let Ok(range) = std::env::var("USERDECK_PORT_RANGE") {
        let (first, last) = range
            .split_once('-')
            .and_then(|(a, b)| Some((a.parse::<u16>().ok()?, b.parse::<u16>().ok()?)))
            .ok_or_else(|| format!("USERDECK_PORT_RANGE `{range}` is not like 18300-18399"))?;
        return PORTS_TAKEN.with(|taken| {
            let mut taken = taken.borrow_mut();
            (first..=last)
                .find(|port| {
                    !taken.contains(port) && TcpListener::bind((Ipv4Addr::LOCALHOST, *port)).is_ok()
                })
                .inspect(|port| taken.push(*port))
                .ok_or_else(|| format!("no free loopback port in {range}"))
        });
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|err| format!("no free loopback port: {err}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|err| format!("no free loopback port: {err}"))
}

thread_local! {
    /// Ports handed out in this run: a server may not have bound its port yet when the next is
    /// chosen.
    static PORTS_TAKEN: std::cell::RefCell<Vec<u16>> = const { std::cell::RefCell::new(Vec::new()) };
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

/// Starts the proxy binary with `args` on a free loopback port and waits until it answers.
fn start_server(what: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(Server, SocketAddr)> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));
    let listen = addr.to_string();
    let mut all_args = args.to_vec();
    all_args.extend(["--listen", &listen, "--dist", "dist"]);
    start_binary("userdeck", what, addr, &all_args, env)
}

/// Starts `binary` from the debug build with `args` and waits until it answers on `addr`.
fn start_binary(
    binary: &str,
    what: &str,
    addr: SocketAddr,
    all_args: &[&str],
    env: &[(&str, &str)],
) -> Result<(Server, SocketAddr)> {
    let binary = cmd::target_dir().join("debug").join(binary);
    let mut start = command(&binary.to_string_lossy(), all_args);
    start.stdout(Stdio::null());
    for (key, value) in env {
        start.env(key, value);
    }
    let child = start
        .spawn()
        .map_err(|err| format!("could not start the {what}: {err}"))?;
    let mut server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !answers(addr) {
        if let Ok(Some(status)) = server.0.try_wait() {
            return Err(format!("the {what} exited early ({status})"));
        }
        if Instant::now() > deadline {
            return Err(format!("the {what} did not answer on {addr} within 30 s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok((server, addr))
}

/// The token the sign-in test types, and only ever used against loopback servers of this run;
/// long enough for `userdeck hash`, which refuses tokens under 128 bits.
const E2E_ADMIN_TOKEN: &str = "e2e-admin-token-Zq8RtW3xBnK2vL7p";

/// A config for a second proxy with admin sign-in on, whose providers are the demo server's
/// Nameshield route and its PressOne route with `max_page_size = 10`: the sign-in and served
/// capabilities tests run against a real locked server, all on loopback.
fn auth_config(demo: SocketAddr) -> Result<std::path::PathBuf> {
    let mut hash = command(
        &cmd::target_dir()
            .join("debug")
            .join("userdeck")
            .to_string_lossy(),
        &["hash"],
    );
    hash.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = hash
        .spawn()
        .map_err(|err| format!("could not run userdeck hash: {err}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(E2E_ADMIN_TOKEN.as_bytes())
            .map_err(|err| format!("could not run userdeck hash: {err}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|err| format!("could not run userdeck hash: {err}"))?;
    let hash = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || !hash.starts_with("$argon2id$") {
        return Err("userdeck hash did not print an Argon2id hash".into());
    }
    let config = format!(
        "[server]\nallowed_origins = []\n\n[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{hash}\"]\n\n\
         [[providers]]\nid = \"nameshield\"\nkind = \"nameshield\"\nlabel = \"Nameshield\"\n\
         base_url = \"http://{demo}/api/p/nameshield\"\nsecret_env = \"USERDECK_E2E_UPSTREAM_SECRET\"\n\n\
         [[providers]]\nid = \"pressone-small\"\nkind = \"pressone\"\nlabel = \"PressOne (pages of 10)\"\n\
         base_url = \"http://{demo}/api/p/pressone\"\nsecret_env = \"USERDECK_E2E_UPSTREAM_SECRET\"\n\
         max_page_size = 10\n"
    );
    let path = cmd::target_dir().join("e2e-auth.toml");
    std::fs::write(&path, config)
        .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    Ok(path)
}

/// What the demo server sends for the first load's assets to a browser that accepts brotli
/// and gzip, in bytes on the wire (bodies as sent, without headers).
fn served_bytes(addr: SocketAddr) -> Result<u64> {
    let dist = cmd::root().join("dist");
    let entries =
        std::fs::read_dir(&dist).map_err(|err| format!("cannot read {}: {err}", dist.display()))?;
    let mut total = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !crate::precompress::is_compressible(&entry.path()) {
            continue;
        }
        let mut stream = TcpStream::connect(addr)
            .map_err(|err| format!("cannot reach the demo server: {err}"))?;
        let request = format!(
            "GET /{name} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: gzip, deflate, br, zstd\r\nConnection: close\r\n\r\n"
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|err| format!("cannot ask the demo server for {name}: {err}"))?;
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .map_err(|err| format!("cannot read the demo server's {name}: {err}"))?;
        let head_end = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| format!("the demo server's answer for {name} has no header end"))?;
        total += (answer.len() - head_end - 4) as u64;
    }
    Ok(total)
}

fn origin(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// `cargo xtask e2e [playwright args]`: only the end-to-end stage, against the `dist/` already
/// built, with every server started and stopped as in the full suite.
pub fn end_to_end_only(args: &[String]) -> Result {
    let mut sizes = Sizes::default();
    end_to_end_with(&mut sizes, args)?;
    println!(
        "  {}",
        sizes
            .served
            .map(|b| format!("the demo server sent {} for the first load", sizes::kb(b)))
            .unwrap_or_default()
    );
    Ok(())
}

fn end_to_end(sizes: &mut Sizes) -> Result {
    end_to_end_with(sizes, &[])
}

fn end_to_end_with(sizes: &mut Sizes, playwright_args: &[String]) -> Result {
    step(
        "end-to-end tests (Playwright against demo, locked, base-path, nginx and simulator servers)",
    );
    cmd::run(command(
        "cargo",
        &[
            "build",
            "--package",
            "userdeck-proxy",
            "--package",
            "userdeck-sim",
        ],
    ))?;
    let nginx_port = free_port()?;
    let direct_port = free_port()?;
    let host_port = free_port()?;
    let foreign_port = free_port()?;
    let nginx_origin = origin(nginx_port);
    let (demo, demo_addr) = start_server(
        "demo server",
        &["--demo", "--allow-origin", &nginx_origin],
        &[],
    )?;
    let config = auth_config(demo_addr)?;
    let config = config.to_string_lossy().into_owned();
    let (locked, locked_addr) = start_server(
        "signed-in server",
        &["--config", &config],
        &[("USERDECK_E2E_UPSTREAM_SECRET", "loopback-only")],
    )?;
    let (based, based_addr) = start_server(
        "base-path server",
        &["--demo", "--base-path", "/admin/"],
        &[],
    )?;
    let sim_addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));
    let sim_port = sim_addr.port().to_string();
    let (sim, _) = start_binary(
        "userdeck-sim",
        "simulator",
        sim_addr,
        &["--port", &sim_port],
        &[],
    )?;
    let sim_origin = format!("http://{sim_addr}");
    let host = origin(host_port);
    let proxied =
        format!(r#"{{"proxy": "http://{demo_addr}", "embed": {{"allowed_parents": ["{host}"]}}}}"#);
    let direct = format!(
        r#"{{"title": "Userdeck (direct)", "providers": [
  {{"id": "rebilly", "kind": "rebilly", "label": "Rebilly (direct)", "mode": "direct", "base_url": "{sim_origin}/rebilly"}},
  {{"id": "pngme", "kind": "pngme", "label": "Pngme (direct)", "mode": "direct", "base_url": "{sim_origin}/pngme"}}]}}"#
    );
    let pages = cmd::root().join("tests").join("e2e").join("embed-host");
    let nginx = sites::start(
        &[
            sites::ConsoleSite {
                port: nginx_port,
                config_json: proxied,
                connect: format!("http://{demo_addr}"),
                frame_ancestors: host.clone(),
            },
            sites::ConsoleSite {
                port: direct_port,
                config_json: direct,
                connect: sim_origin.clone(),
                frame_ancestors: "'none'".into(),
            },
        ],
        &[
            sites::StaticSite {
                port: host_port,
                root: pages.clone(),
            },
            sites::StaticSite {
                port: foreign_port,
                root: pages,
            },
        ],
    )?;
    let mut args = vec!["--no-install", "playwright", "test"];
    args.extend(playwright_args.iter().map(String::as_str));
    let mut playwright = command("npx", &args);
    playwright
        .env("USERDECK_BASE_URL", format!("http://{demo_addr}"))
        .env("USERDECK_LOCKED_URL", format!("http://{locked_addr}"))
        .env("USERDECK_ADMIN_TOKEN", E2E_ADMIN_TOKEN)
        .env(
            "USERDECK_BASE_PATH_URL",
            format!("http://{based_addr}/admin/"),
        )
        .env("USERDECK_NGINX_URL", format!("{nginx_origin}/admin/"))
        .env(
            "USERDECK_DIRECT_URL",
            format!("{}/admin/", origin(direct_port)),
        )
        .env("USERDECK_SIM_URL", &sim_origin)
        .env("USERDECK_HOST_URL", format!("{host}/host.html"))
        .env("USERDECK_FOREIGN_URL", format!("{}/", origin(foreign_port)))
        .env("USERDECK_DIST", cmd::root().join("dist"))
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    let result = cmd::run(playwright);
    sizes.served = Some(served_bytes(demo_addr)?);
    drop(nginx);
    drop(sim);
    drop(based);
    drop(locked);
    drop(demo);
    result
}
