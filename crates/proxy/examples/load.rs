//! A bounded loopback load run with budgets: starts demo mode in-process (simulators, proxy),
//! sends a fixed number of list requests at a fixed concurrency through the proxy, and fails
//! (exit 1) on any error or when p99 latency is over budget.
//!
//! `cargo run -p userdeck-proxy --profile server --example load -- [REQUESTS] [CONCURRENCY] [P99_BUDGET_MS]`
//! (defaults 20000, 200, 250).

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use userdeck_sim::SimConfig;

const TARGET: &str = "/api/p/pressone/api/third-party/partner/user/?page_index=1&page_size=10";

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut number = |default: u64| {
        args.next()
            .and_then(|a| a.parse::<u64>().ok())
            .unwrap_or(default)
    };
    let requests = number(20_000) as usize;
    let concurrency = number(200).max(1) as usize;
    let budget = Duration::from_millis(number(250));
    match run(requests, concurrency, budget).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("load: {message}");
            ExitCode::from(1)
        }
    }
}

async fn run(requests: usize, concurrency: usize, budget: Duration) -> Result<(), String> {
    let demo = userdeck_proxy::demo::start(&SimConfig::default()).await?;
    let dist = std::env::temp_dir().join(format!("userdeck-load-{}", std::process::id()));
    std::fs::create_dir_all(&dist).map_err(|e| e.to_string())?;
    std::fs::write(dist.join("index.html"), "<title>Userdeck</title>")
        .map_err(|e| e.to_string())?;
    let listener = userdeck_proxy::bind(([127, 0, 0, 1], 0).into()).await?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let server_dist = dist.clone();
    tokio::spawn(async move {
        userdeck_proxy::run(
            demo.settings,
            &server_dist,
            listener,
            demo.api,
            std::future::pending(),
        )
        .await
    });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .map_err(|e| e.to_string())?;
    let url = format!("http://{addr}{TARGET}");
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, url, next, errors) =
                (client.clone(), url.clone(), next.clone(), errors.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while next.fetch_add(1, Ordering::Relaxed) < requests {
                    let sent = Instant::now();
                    let ok = match client.get(&url).send().await {
                        Ok(response) => {
                            response.status().is_success() && response.bytes().await.is_ok()
                        }
                        Err(_) => false,
                    };
                    latencies.push(sent.elapsed());
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(requests);
    for worker in workers {
        latencies.extend(worker.await.map_err(|e| e.to_string())?);
    }
    let elapsed = started.elapsed();
    let _ = std::fs::remove_dir_all(&dist);
    latencies.sort();
    let percentile = |p: f64| {
        let index = ((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
        latencies.get(index).copied().unwrap_or_default()
    };
    let (p50, p99) = (percentile(0.50), percentile(0.99));
    let errors = errors.load(Ordering::Relaxed);
    println!(
        "{} requests at concurrency {concurrency} in {:.2} s: {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms, {errors} errors",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0,
    );
    if errors > 0 {
        return Err(format!("{errors} requests failed"));
    }
    if p99 > budget {
        return Err(format!(
            "p99 {:.1} ms is over the budget of {} ms",
            p99.as_secs_f64() * 1000.0,
            budget.as_millis()
        ));
    }
    Ok(())
}
