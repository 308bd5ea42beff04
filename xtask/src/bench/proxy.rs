//! Item 3: the Userdeck proxy against nginx, on loopback, forwarding the same route to the same
//! fake upstream, loaded by wrk at 32 and then 200 connections with the two sides interleaved.
//!
//! - The fake upstream is nginx serving the simulators' first Rebilly users (about 2.7 kB)
//!   with `Pagination-*` headers. It answers 401 unless the secret header arrived and 400 if a
//!   client's `Authorization` or `Cookie` did, so a proxy that gets either wrong shows up as
//!   non-2xx answers.
//! - The nginx peer: `proxy_pass` with an upstream keep-alive pool of 64, the secret header
//!   injected, `Cookie` and `Authorization` cleared.
//! - Userdeck: the `server`-profile binary with a config whose Rebilly provider points at the
//!   fake upstream, bearer admin auth (wrk sends the token; nginx drops it), the default (info)
//!   logging with its output discarded, and `max_concurrency` 64 to match nginx's pool.

use std::net::SocketAddr;
use std::path::Path;

use super::report::{Row, median, ms};
use super::{build, nginx, process};
use crate::cmd::{self, Result, command, step};

/// The secret both proxies inject; it only ever reaches the loopback fake upstream.
const SECRET: &str = "bench-rebilly-key-loopback-only";
/// The admin token wrk presents; only ever used against this run's loopback proxy.
const TOKEN: &str = "bench-admin-token-loopback-only";
/// The route under test and the query both proxies pass on.
const ROUTE: &str = "/api/p/rebilly/users?limit=3&offset=0";
/// The Rebilly organization in the upstream path, `/organizations/{id}/users`, on both sides.
const ORGANIZATION: &str = "org-bench";
/// Seconds per wrk run.
const SECONDS: u32 = 5;

/// Userdeck must serve at least this share of nginx's requests per second…
const MIN_THROUGHPUT: f64 = 0.8;
/// …with a p99 latency at most this multiple of nginx's…
const MAX_P99: f64 = 1.5;

/// One wrk run's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// Requests per second.
    pub rps: f64,
    /// Median latency, ms.
    pub p50: f64,
    /// 99th percentile latency, ms.
    pub p99: f64,
    /// Non-2xx/3xx answers plus socket errors.
    pub errors: u64,
}

/// Starts the fake upstream, both proxies, checks them, and runs the interleaved loads.
pub fn run(proxy: &Path, fixtures: &Path, runs: usize) -> Result<Vec<Row>> {
    step("proxy: Userdeck vs nginx proxy_pass, wrk -c32 and -c200, interleaved");
    let dir = build::bench_dir().join("proxy");
    build::create_dir(&dir)?;
    let page_path = fixtures.join("upstream-page.json");
    let page = std::fs::read(&page_path)
        .map_err(|err| format!("cannot read {}: {err}", page_path.display()))?;
    let users = String::from_utf8_lossy(&page).matches("\"_links\"").count();
    let upstream_addr = process::free_addr()?;
    let _upstream = nginx::start(
        &dir.join("upstream"),
        upstream_addr,
        &format!(
            "  server {{\n    listen {upstream_addr};\n    root {fixtures};\n    \
             location / {{\n      if ($http_reb_apikey != \"{SECRET}\") {{ return 401; }}\n      \
             if ($http_authorization != \"\") {{ return 400; }}\n      \
             if ($http_cookie != \"\") {{ return 400; }}\n      \
             add_header Pagination-Total 100000;\n      add_header Pagination-Limit {users};\n      \
             add_header Pagination-Offset 0;\n      try_files /upstream-page.json =404;\n    }}\n  }}\n",
            fixtures = fixtures.display()
        ),
        "/",
    )?;
    let nginx_addr = process::free_addr()?;
    let _nginx = nginx::start(
        &dir.join("nginx"),
        nginx_addr,
        &format!(
            "  upstream fake {{ server {upstream_addr}; keepalive 64; keepalive_requests 1000000; }}\n  \
             server {{\n    listen {nginx_addr};\n    location = /api/p/rebilly/users {{\n      \
             proxy_pass http://fake/organizations/{ORGANIZATION}/users;\n      proxy_http_version 1.1;\n      \
             proxy_set_header Connection \"\";\n      proxy_set_header REB-APIKEY \"{SECRET}\";\n      \
             proxy_set_header Accept \"application/json\";\n      \
             proxy_set_header Cookie \"\";\n      proxy_set_header Authorization \"\";\n    }}\n  }}\n"
        ),
        "/",
    )?;
    let userdeck_addr = process::free_addr()?;
    let _userdeck = start_userdeck(proxy, &dir, upstream_addr, userdeck_addr)?;
    let auth = format!("Bearer {TOKEN}");
    let targets = [("nginx", nginx_addr), ("userdeck", userdeck_addr)];
    for (side, addr) in targets {
        let answer = process::get(addr, ROUTE, &[("Authorization", &auth), ("Cookie", "a=b")])?;
        let total = answer.header("pagination-total");
        if answer.status != 200 || answer.body != page || total != Some("100000") {
            return Err(format!(
                "the {side} side answered {} with {} bytes and Pagination-Total {total:?}, not the upstream's 200 with its {} bytes and 100000: the comparison would be meaningless",
                answer.status,
                answer.body.len(),
                page.len()
            ));
        }
    }
    println!(
        "  both proxies pass the upstream's {} bytes ({users} users) unchanged",
        page.len()
    );
    for (_, addr) in targets {
        wrk(addr, 32, 2, &auth)?;
    }
    let mut rows = Vec::new();
    for connections in [32u32, 200] {
        let mut loads: [Vec<Load>; 2] = [Vec::new(), Vec::new()];
        for run in 0..runs {
            let order: [usize; 2] = if run % 2 == 0 { [0, 1] } else { [1, 0] };
            for side in order {
                let load = wrk(targets[side].1, connections, SECONDS, &auth)?;
                println!(
                    "  -c{connections} run {} {}: {:.0} req/s, p50 {}, p99 {}, {} errors",
                    run + 1,
                    targets[side].0,
                    load.rps,
                    ms(load.p50),
                    ms(load.p99),
                    load.errors
                );
                loads[side].push(load);
            }
        }
        rows.extend(compare(connections, &loads[0], &loads[1])?);
    }
    Ok(rows)
}

/// Hashes the token with `userdeck hash`, writes the config and starts the proxy.
fn start_userdeck(
    proxy: &Path,
    dir: &Path,
    upstream: SocketAddr,
    addr: SocketAddr,
) -> Result<process::Running> {
    let hash = cmd::admin_hash(proxy, TOKEN)?;
    let config = format!(
        "[server]\nallowed_origins = []\n\n[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{hash}\"]\n\n\
         [[providers]]\nid = \"rebilly\"\nkind = \"rebilly\"\nlabel = \"Rebilly (fake upstream)\"\n\
         base_url = \"http://{upstream}\"\nsecret_env = \"USERDECK_BENCH_REBILLY_KEY\"\n\
         organization_id = \"{ORGANIZATION}\"\nmax_concurrency = 64\n"
    );
    let path = dir.join("userdeck.toml");
    std::fs::write(&path, config)
        .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    let listen = addr.to_string();
    let dist = cmd::root().join("dist");
    let mut start = command(
        &proxy.to_string_lossy(),
        &[
            "--config",
            &path.to_string_lossy(),
            "--listen",
            &listen,
            "--dist",
            &dist.to_string_lossy(),
        ],
    );
    start.env("USERDECK_BENCH_REBILLY_KEY", SECRET);
    let log = dir.join("userdeck.log");
    let mut running = process::Running::start("Userdeck proxy", start, &log, true)?;
    running.wait_for(addr, "/healthz", &log)?;
    Ok(running)
}

/// One wrk run against `addr`.
fn wrk(addr: SocketAddr, connections: u32, seconds: u32, auth: &str) -> Result<Load> {
    let url = format!("http://{addr}{ROUTE}");
    let (c, d) = (connections.to_string(), format!("{seconds}s"));
    let header = format!("Authorization: {auth}");
    let out = command(
        "wrk",
        &["-t1", "-c", &c, "-d", &d, "--latency", "-H", &header, &url],
    )
    .output()
    .map_err(|err| format!("could not run wrk: {err}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("wrk failed ({}): {text}", out.status));
    }
    parse_wrk(&text).ok_or_else(|| format!("cannot read wrk's report:\n{text}"))
}

/// A wrk duration (`812.00us`, `1.54ms`, `2.01s`) in milliseconds.
fn duration_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        "m" => value * 60_000.0,
        _ => return None,
    })
}

/// Reads requests/s, p50, p99, non-2xx/3xx answers and socket errors from wrk's report.
fn parse_wrk(text: &str) -> Option<Load> {
    let mut rps = None;
    let (mut p50, mut p99) = (None, None);
    let mut errors = 0u64;
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => rps = value.parse().ok(),
            ["50%", value] => p50 = duration_ms(value),
            ["99%", value] => p99 = duration_ms(value),
            ["Non-2xx", "or", "3xx", "responses:", count] => errors += count.parse::<u64>().ok()?,
            ["Socket", "errors:", rest @ ..] => {
                errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    Some(Load {
        rps: rps?,
        p50: p50?,
        p99: p99?,
        errors,
    })
}

fn compare(connections: u32, nginx: &[Load], userdeck: &[Load]) -> Result<Vec<Row>> {
    let med = |loads: &[Load], pick: fn(&Load) -> f64| {
        median(&loads.iter().map(pick).collect::<Vec<_>>())
            .ok_or_else(|| format!("no wrk runs at -c{connections}"))
    };
    let (ours_rps, theirs_rps) = (med(userdeck, |l| l.rps)?, med(nginx, |l| l.rps)?);
    let (ours_p50, theirs_p50) = (med(userdeck, |l| l.p50)?, med(nginx, |l| l.p50)?);
    let (ours_p99, theirs_p99) = (med(userdeck, |l| l.p99)?, med(nginx, |l| l.p99)?);
    let errors: u64 = userdeck.iter().map(|l| l.errors).sum();
    let nginx_errors: u64 = nginx.iter().map(|l| l.errors).sum();
    let throughput = ours_rps / theirs_rps.max(f64::MIN_POSITIVE);
    let p99 = ours_p99 / theirs_p99.max(f64::MIN_POSITIVE);
    let kilo = |rps: f64| format!("{:.1}k req/s", rps / 1000.0);
    Ok(vec![
        Row::ratio(
            &format!("proxy -c{connections}: throughput"),
            (
                format!("{} (p50 {})", kilo(ours_rps), ms(ours_p50)),
                format!("nginx: {} (p50 {})", kilo(theirs_rps), ms(theirs_p50)),
            ),
            format!("{throughput:.2}x nginx"),
            &format!(">= {MIN_THROUGHPUT}x"),
            throughput >= MIN_THROUGHPUT,
        ),
        Row::ratio(
            &format!("proxy -c{connections}: p99 latency"),
            (ms(ours_p99), format!("nginx: {}", ms(theirs_p99))),
            format!("{p99:.2}x nginx"),
            &format!("<= {MAX_P99}x"),
            p99 <= MAX_P99,
        ),
        Row::ratio(
            &format!("proxy -c{connections}: errors (non-2xx + socket)"),
            (errors.to_string(), format!("nginx: {nginx_errors}")),
            "-".into(),
            "0",
            errors == 0,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 5s test @ http://127.0.0.1:1/x\n  1 threads and 32 connections\n\
        \x20 Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency   840.12us  200.00us   9.00ms   90.00%\n\
        \x20 Latency Distribution\n     50%  812.00us\n     75%    1.00ms\n     90%    1.20ms\n     99%    1.54ms\n\
        \x20 190000 requests in 5.00s, 500.00MB read\n  Non-2xx or 3xx responses: 12\n\
        \x20 Socket errors: connect 0, read 3, write 0, timeout 2\nRequests/sec:  37990.12\nTransfer/sec:    100.00MB\n";

    #[test]
    fn reads_wrk_figures_and_counts_every_error() {
        let load = parse_wrk(REPORT).unwrap();
        assert_eq!(load.rps, 37990.12);
        assert!((load.p50 - 0.812).abs() < 1e-9);
        assert_eq!(load.p99, 1.54);
        assert_eq!(load.errors, 17);
        assert!(parse_wrk("Requests/sec: 1").is_none());
    }

    #[test]
    fn durations_in_every_unit() {
        assert_eq!(duration_ms("2.00s"), Some(2000.0));
        assert_eq!(duration_ms("500.00us"), Some(0.5));
        assert_eq!(duration_ms("3ms"), Some(3.0));
        assert_eq!(duration_ms("3h"), None);
    }
}
