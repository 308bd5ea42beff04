//! `cargo xtask test`: every check, in the order a failure is cheapest to find, with a closing
//! summary. Exits non-zero on the first failure.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::cmd::{self, Result, command, step};
use crate::sizes::{self, Sizes};
use crate::{containment, dist, prism, readme, secrets, setup, sites};

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
    // The release build's optimising link and wasm-opt are mostly single-threaded: the native
    // and browser unit tests use the other core meanwhile.
    let mut release = dist::start()?;
    timed("native tests", &mut native_tests)?;
    timed("browser unit tests", &mut browser_unit_tests)?;
    let mut sizes = Sizes::default();
    timed("release build (rest)", &mut || {
        sizes = release.finish()?;
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
            // The release build's split points, as `cargo xtask dist` compiles them.
            "--features",
            "split",
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
pub(crate) fn answers(addr: SocketAddr) -> bool {
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
    for (key, value) in env {
        start.env(key, value);
    }
    start_and_wait(start, what, addr)
}

/// Starts the proxy with the README's command for deployment `name`, as written but for the
/// substitutions the README lists: the debug build, and `LISTEN` (a free loopback address) and
/// `env` for the variables it uses.
fn start_readme_server(
    blocks: &[readme::Block],
    name: &str,
    env: &[(&str, &str)],
) -> Result<(Server, SocketAddr)> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));
    let binary = cmd::target_dir().join("debug").join("userdeck");
    let line = readme::server_command(readme::find(blocks, name, "sh")?, &binary)?;
    let mut start = command("sh", &["-c", &line]);
    start.env("LISTEN", addr.to_string());
    for (key, value) in env {
        start.env(key, value);
    }
    start_and_wait(start, &format!("README's {name} proxy"), addr)
}

/// Spawns `start` (its output on stderr only) and waits until it answers on `addr`.
fn start_and_wait(
    mut start: std::process::Command,
    what: &str,
    addr: SocketAddr,
) -> Result<(Server, SocketAddr)> {
    start.stdout(Stdio::null());
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

/// The `$CONFIG` of the README's proxy deployments: sign-in on with [`E2E_ADMIN_TOKEN`], and the
/// five providers on the stand-alone simulators at `sim`, each with its demo credential in the
/// environment variable of [`sim_secrets`].
fn deployment_config(sim: SocketAddr, hash: &str, shard: usize) -> Result<String> {
    let mut config = format!(
        "[server]\nallowed_origins = []\n\n[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{hash}\"]\n"
    );
    for (kind, variable, _) in sim_secrets() {
        config.push_str(&format!(
            "\n[[providers]]\nid = \"{id}\"\nkind = \"{id}\"\nlabel = \"{label}\"\n\
             base_url = \"http://{sim}/{id}\"\nsecret_env = \"{variable}\"\n{organization}",
            id = kind.id(),
            label = kind.label(),
            organization = if kind == userdeck_providers::ProviderKind::Rebilly {
                "organization_id = \"e2e-org\"\n"
            } else {
                ""
            },
        ));
    }
    write_config(&format!("e2e-deployment-{shard}.toml"), &config)
}

/// Each provider kind, the environment variable [`deployment_config`] names for its secret, and
/// the simulators' demo credential for it.
fn sim_secrets() -> Vec<(userdeck_providers::ProviderKind, String, &'static str)> {
    userdeck_providers::ProviderKind::ALL
        .into_iter()
        .map(|kind| {
            let variable = format!("USERDECK_E2E_{}_SECRET", kind.id().to_uppercase());
            (kind, variable, userdeck_sim::credentials::demo_secret(kind))
        })
        .collect()
}

/// The Argon2id hash of [`E2E_ADMIN_TOKEN`], made by the proxy binary itself.
fn admin_hash() -> Result<String> {
    cmd::admin_hash(
        &cmd::target_dir().join("debug").join("userdeck"),
        E2E_ADMIN_TOKEN,
    )
}

fn write_config(name: &str, config: &str) -> Result<String> {
    let path = cmd::target_dir().join(name);
    std::fs::write(&path, config)
        .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    Ok(path.to_string_lossy().into_owned())
}

/// A config for a second proxy with admin sign-in on, whose providers are the demo server's
/// Nameshield route and its PressOne route with `max_page_size = 10`: the sign-in and served
/// capabilities tests run against a real locked server, all on loopback.
fn auth_config(demo: SocketAddr, hash: &str, shard: usize) -> Result<String> {
    write_config(
        &format!("e2e-auth-{shard}.toml"),
        &format!(
            "[server]\nallowed_origins = []\n\n[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{hash}\"]\n\n\
             [[providers]]\nid = \"nameshield\"\nkind = \"nameshield\"\nlabel = \"Nameshield\"\n\
             base_url = \"http://{demo}/api/p/nameshield\"\nsecret_env = \"USERDECK_E2E_UPSTREAM_SECRET\"\n\n\
             [[providers]]\nid = \"pressone-small\"\nkind = \"pressone\"\nlabel = \"PressOne (pages of 10)\"\n\
             base_url = \"http://{demo}/api/p/pressone\"\nsecret_env = \"USERDECK_E2E_UPSTREAM_SECRET\"\n\
             max_page_size = 10\n"
        ),
    )
}

/// The most bytes the conformance server passes on for one page: under the 10 MB the
/// oversized-body test has the simulator send, over anything Prism sends.
const CONFORMANCE_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// A config for the conformance server: three Rebilly providers on the Prism variants (the
/// bearer-JWT credential on the required-only one, so both of Rebilly's schemes meet Prism's
/// security check), and the demo's Nameshield route under a 4 MiB response limit for the
/// oversized-body test.
fn conformance_config(
    demo: SocketAddr,
    mock: SocketAddr,
    hash: &str,
    shard: usize,
) -> Result<String> {
    let rebilly = |id: &str, label: &str, org: &str, credential: &str| {
        format!(
            "[[providers]]\nid = \"{id}\"\nkind = \"rebilly\"\nlabel = \"{label}\"\n\
             base_url = \"http://{mock}\"\norganization_id = \"{org}\"\ncredential = \"{credential}\"\n\
             secret_env = \"USERDECK_E2E_UPSTREAM_SECRET\"\n\n"
        )
    };
    write_config(
        &format!("e2e-conformance-{shard}.toml"),
        &format!(
            "[server]\nallowed_origins = []\nmax_response_bytes = {CONFORMANCE_MAX_RESPONSE_BYTES}\n\n\
             [auth]\nmode = \"bearer\"\ntoken_hashes = [\"{hash}\"]\n\n{}{}{}\
             [[providers]]\nid = \"nameshield-limited\"\nkind = \"nameshield\"\nlabel = \"Nameshield (4 MiB limit)\"\n\
             base_url = \"http://{demo}/api/p/nameshield\"\nsecret_env = \"USERDECK_E2E_UPSTREAM_SECRET\"\n",
            rebilly("prism", "Rebilly (Prism)", prism::RANDOM_ORG, "api_key"),
            rebilly(
                "prism-required",
                "Rebilly (Prism, required members only)",
                prism::REQUIRED_ORG,
                "jwt"
            ),
            rebilly(
                "prism-ids",
                "Rebilly (Prism, hostile ids)",
                prism::IDS_ORG,
                "api_key"
            ),
        ),
    )
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
/// built, with every server started and stopped as in the full suite, in one Playwright run
/// whose output streams to the terminal.
pub fn end_to_end_only(args: &[String]) -> Result {
    let mut sizes = Sizes::default();
    end_to_end_with(&mut sizes, args, shards(1)?)?;
    println!(
        "  {}",
        sizes
            .served
            .map(|b| format!("the demo server sent {} for the first load", sizes::kb(b)))
            .unwrap_or_default()
    );
    Ok(())
}

/// How many Playwright runs the full suite splits the specs into, each against its own set of
/// servers (fault switches and rate limits are per server, so shards cannot disturb each
/// other). Two use both cores: one run leaves one mostly idle while it waits on the browser.
const SHARDS: usize = 2;

fn end_to_end(sizes: &mut Sizes) -> Result {
    end_to_end_with(sizes, &[], shards(SHARDS)?)
}

/// `USERDECK_E2E_SHARDS` (1 to 4) when set, else `default`.
fn shards(default: usize) -> Result<usize> {
    match std::env::var("USERDECK_E2E_SHARDS") {
        Err(_) => Ok(default),
        Ok(text) => text
            .parse()
            .ok()
            .filter(|n| (1..=4).contains(n))
            .ok_or_else(|| format!("USERDECK_E2E_SHARDS `{text}` is not a number from 1 to 4")),
    }
}

/// Every server one Playwright run talks to, and the variables that tell its specs where.
struct Environment {
    servers: Vec<Server>,
    _nginx: sites::Nginx,
    demo: SocketAddr,
    vars: Vec<(&'static str, String)>,
}

impl Environment {
    /// Starts the README's deployments, a locked server, the stand-alone simulators and the
    /// nginx sites for shard `shard`; the conformance server comes later ([`Self::conform`]),
    /// once Prism answers.
    fn start(blocks: &[readme::Block], hash: &str, shard: usize) -> Result<Self> {
        let nginx_port = free_port()?;
        let direct_port = free_port()?;
        let host_port = free_port()?;
        let foreign_port = free_port()?;
        let nginx_origin = origin(nginx_port);
        let host = origin(host_port);
        let mut servers = Vec::new();
        let (demo, demo_addr) = start_readme_server(
            blocks,
            "proxy-demo",
            &[("CONSOLE_ORIGIN", &nginx_origin), ("PORTAL_ORIGIN", &host)],
        )?;
        servers.push(demo);
        let config = auth_config(demo_addr, hash, shard)?;
        let (locked, locked_addr) =
            start_server("signed-in server", &["--config", &config], &UPSTREAM_SECRET)?;
        servers.push(locked);
        let sim_addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));
        let sim_port = sim_addr.port().to_string();
        let (sim, _) = start_binary(
            "userdeck-sim",
            "simulator",
            sim_addr,
            &["--port", &sim_port],
            &[],
        )?;
        servers.push(sim);
        let sim_origin = format!("http://{sim_addr}");
        let deployment = deployment_config(sim_addr, hash, shard)?;
        let secrets = sim_secrets();
        let mut deployment_env: Vec<(&str, &str)> = secrets
            .iter()
            .map(|(_, variable, secret)| (variable.as_str(), *secret))
            .collect();
        deployment_env.push(("CONFIG", &deployment));
        let (rooted, rooted_addr) = start_readme_server(blocks, "proxy-root", &deployment_env)?;
        servers.push(rooted);
        let (based, based_addr) = start_readme_server(blocks, "proxy-subpath", &deployment_env)?;
        servers.push(based);
        let proxied = format!(
            r#"{{"proxy": "http://{demo_addr}", "embed": {{"allowed_parents": ["{host}"]}}}}"#
        );
        let direct = readme::direct_config(readme::find(blocks, "direct", "json")?, &sim_origin)?;
        let pages = cmd::root().join("tests").join("e2e").join("embed-host");
        let read_page = |name: &str| {
            let path = pages.join(name);
            std::fs::read_to_string(&path)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))
        };
        let template = read_page("host.html")?;
        let embed = readme::find(blocks, "embed", "html")?;
        let host_pages = vec![
            (
                "nginx.html".to_string(),
                readme::embed_page(&template, embed, &format!("{nginx_origin}/admin/"))?,
            ),
            (
                "proxy.html".to_string(),
                readme::embed_page(&template, embed, &format!("http://{demo_addr}/"))?,
            ),
            ("foreign.html".to_string(), read_page("foreign.html")?),
        ];
        let nginx = sites::start(
            readme::find(blocks, "nginx", "sh")?,
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
                    files: host_pages.clone(),
                },
                sites::StaticSite {
                    port: foreign_port,
                    files: host_pages,
                },
            ],
        )?;
        let vars = vec![
            ("USERDECK_BASE_URL", format!("http://{demo_addr}")),
            ("USERDECK_LOCKED_URL", format!("http://{locked_addr}")),
            ("USERDECK_ADMIN_TOKEN", E2E_ADMIN_TOKEN.to_string()),
            (
                "USERDECK_BASE_PATH_URL",
                format!("http://{based_addr}/admin/"),
            ),
            ("USERDECK_PROXY_ROOT_URL", format!("http://{rooted_addr}/")),
            ("USERDECK_NGINX_URL", format!("{nginx_origin}/admin/")),
            (
                "USERDECK_DIRECT_URL",
                format!("{}/admin/", origin(direct_port)),
            ),
            ("USERDECK_SIM_URL", sim_origin),
            ("USERDECK_HOST_URL", format!("{host}/")),
            ("USERDECK_FOREIGN_URL", format!("{}/", origin(foreign_port))),
            (
                "USERDECK_DIST",
                cmd::root().join("dist").to_string_lossy().into_owned(),
            ),
            (
                "USERDECK_E2E_OUTPUT",
                format!("artifacts/test-results/shard-{shard}"),
            ),
            ("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1".to_string()),
        ];
        Ok(Self {
            servers,
            _nginx: nginx,
            demo: demo_addr,
            vars,
        })
    }

    /// Starts this shard's conformance server on the Prism mock at `mock`.
    fn conform(&mut self, mock: SocketAddr, hash: &str, shard: usize) -> Result {
        let config = conformance_config(self.demo, mock, hash, shard)?;
        let (conformance, addr) = start_server(
            "conformance server",
            &["--config", &config],
            &UPSTREAM_SECRET,
        )?;
        self.servers.push(conformance);
        self.vars
            .push(("USERDECK_CONFORMANCE_URL", format!("http://{addr}")));
        Ok(())
    }

    /// Playwright with this environment's variables.
    fn playwright(&self, args: &[String]) -> std::process::Command {
        let mut all = vec!["--no-install", "playwright", "test"];
        all.extend(args.iter().map(String::as_str));
        let mut playwright = command("npx", &all);
        for (key, value) in &self.vars {
            playwright.env(key, value);
        }
        playwright
    }
}

/// The secret the locked and conformance servers send to their upstreams on loopback.
const UPSTREAM_SECRET: [(&str, &str); 1] = [("USERDECK_E2E_UPSTREAM_SECRET", "loopback-only")];

fn end_to_end_with(sizes: &mut Sizes, playwright_args: &[String], shards: usize) -> Result {
    step(
        "end-to-end tests (Playwright against the README's deployments, a locked server, the simulators and the Prism-backed conformance server)",
    );
    // The proxy and simulator binaries, built as the native tests build them: cargo builds a
    // package's binaries for its integration tests, with features resolved over the whole
    // workspace and its dev-dependencies. After that stage this compiles nothing; a narrower
    // selection resolves other features and builds both a second time. (`--bins` is not asked
    // for: the console's native binary is also called `userdeck`.)
    cmd::run(command("cargo", &["build", "--workspace", "--tests"]))?;
    let blocks = readme::read()?;
    // Prism (Node) takes seconds to start: it comes up while the other servers start. Its
    // answers are generated per request, so every shard can share it.
    let prism_started = Instant::now();
    let mut prism = prism::spawn(&cmd::target_dir().join("conformance"), free_port()?)?;
    let hash = admin_hash()?;
    let mut environments = Vec::new();
    for shard in 1..=shards {
        environments.push(Environment::start(&blocks, &hash, shard)?);
    }
    let waited = Instant::now();
    prism.wait(answers)?;
    println!(
        "  Prism answered on {} {:.1} s after it was started ({:.1} s of it waited for)",
        prism.addr,
        prism_started.elapsed().as_secs_f64(),
        waited.elapsed().as_secs_f64()
    );
    for (n, environment) in environments.iter_mut().enumerate() {
        environment.conform(prism.addr, &hash, n + 1)?;
    }
    let result = if shards == 1 {
        cmd::run(environments[0].playwright(playwright_args))
    } else {
        run_shards(&environments, playwright_args)
    };
    sizes.served = Some(served_bytes(environments[0].demo)?);
    drop(environments);
    drop(prism);
    result
}

/// Runs one Playwright shard per environment at once, each logging to its own file, then
/// prints the logs in order and fails if any shard failed.
fn run_shards(environments: &[Environment], playwright_args: &[String]) -> Result {
    let shards = environments.len();
    let mut running = Vec::new();
    for (n, environment) in environments.iter().enumerate() {
        let mut args = playwright_args.to_vec();
        args.push(format!("--shard={}/{shards}", n + 1));
        let mut playwright = environment.playwright(&args);
        // Playwright splits by test count; the first specs alphabetically (the axe scans) are
        // the slowest, so the first shard takes fewer tests (measured: 72 of 143 tests took 556 s
        // against 376 s for the other 71; 60 took 427 s against 378 s). An unknown variable
        // would only cost the balance.
        if shards == 2 {
            playwright.env("PWTEST_SHARD_WEIGHTS", "3:5");
        }
        let log = cmd::target_dir().join(format!("e2e-shard-{}.log", n + 1));
        cmd::log_to(&mut playwright, &log)?;
        println!(
            "$ {} (shard {} of {shards}, output in {})",
            cmd::describe(&playwright),
            n + 1,
            log.display()
        );
        let child = playwright
            .spawn()
            .map_err(|err| format!("could not start Playwright: {err}"))?;
        running.push((Server(child), log));
    }
    let mut failed = Vec::new();
    for (n, (mut shard, log)) in running.into_iter().enumerate() {
        let status = shard
            .0
            .wait()
            .map_err(|err| format!("could not wait for Playwright: {err}"))?;
        println!("--- Playwright shard {} of {shards}", n + 1);
        print!("{}", std::fs::read_to_string(&log).unwrap_or_default());
        if !status.success() {
            failed.push((n + 1).to_string());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Playwright shard {} of {shards} failed",
            failed.join(" and ")
        ))
    }
}
