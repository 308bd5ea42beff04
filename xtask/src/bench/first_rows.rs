//! Item 2: time to first rows. Userdeck's Rebilly page, served by the demo proxy, against a
//! React 19 + TanStack Table page (`bench/peers/react-tanstack`, `index.html`) that fetches the
//! same route of the same demo proxy. The peer's files are served by nginx, which also passes
//! its `/api/` to the demo proxy with the browser's `Host` (the proxy answers only for the
//! names it serves, and `demo`, the upstream's name in nginx, is not one): the browser sees one
//! origin on either side (no CORS preflight for either) and the peer pays one extra loopback
//! hop, which only favours Userdeck by a fraction of a millisecond.

use std::path::Path;

use super::report::{Row, Samples, ms};
use super::{build, nginx, process};
use crate::cmd::{self, Result, command, step};

/// Userdeck's median may be at most this multiple of React's.
const MAX_RATIO: f64 = 1.0;

/// Starts the demo proxy and the peer's static server, then runs the harness.
pub fn run(proxy: &Path, peer_dist: &Path, runs: usize) -> Result<Vec<Row>> {
    step("first rows: Userdeck /p/rebilly vs React 19 + TanStack, 4x CPU throttle, no cache");
    let dir = build::bench_dir().join("first-rows");
    build::create_dir(&dir)?;
    let demo_addr = process::free_addr()?;
    let listen = demo_addr.to_string();
    let console = cmd::root().join("dist");
    let console_text = console.to_string_lossy().into_owned();
    let log = dir.join("demo-proxy.log");
    let mut demo = process::Running::start(
        "demo proxy",
        command(
            &proxy.to_string_lossy(),
            &["--demo", "--listen", &listen, "--dist", &console_text],
        ),
        &log,
        false,
    )?;
    demo.wait_for(demo_addr, "/healthz", &log)?;
    let peer_addr = process::free_addr()?;
    let server = format!(
        "  upstream demo {{ server {demo_addr}; keepalive 16; }}\n  server {{\n    \
         listen {peer_addr};\n    root {peer};\n    \
         location /api/ {{ proxy_pass http://demo; proxy_http_version 1.1; \
         proxy_set_header Connection \"\"; proxy_set_header Host $http_host; }}\n    \
         location / {{ try_files $uri /index.html; }}\n  }}\n",
        peer = peer_dist.display(),
    );
    let _peer = nginx::start(&dir.join("nginx"), peer_addr, &server, "/")?;
    let userdeck = format!("http://{demo_addr}/p/rebilly");
    let react = format!("http://{peer_addr}/");
    let runs_text = runs.to_string();
    let output = build::harness(
        "first-rows.mjs",
        &[
            "--userdeck",
            &userdeck,
            "--react",
            &react,
            "--runs",
            &runs_text,
        ],
    )?;
    let samples = Samples::parse(&output);
    for note in &samples.notes {
        println!("  {note}");
    }
    samples.agreed("first-rows")?;
    let ours = samples.median("first-rows", "userdeck", runs)?;
    let theirs = samples.median("first-rows", "react", runs)?;
    let ratio = ours / theirs.max(f64::MIN_POSITIVE);
    println!(
        "first rows: Userdeck {} vs React {}, {ratio:.2}x (budget <= {MAX_RATIO:.1}x)",
        ms(ours),
        ms(theirs)
    );
    Ok(vec![Row::ratio(
        "first rows (4x CPU throttle, no cache)",
        (ms(ours), format!("React 19 + TanStack: {}", ms(theirs))),
        format!("{ratio:.2}x React's time"),
        &format!("<= {MAX_RATIO:.1}x"),
        ratio <= MAX_RATIO,
    )])
}
