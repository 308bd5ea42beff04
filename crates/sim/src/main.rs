//! `userdeck-sim`: the five simulators on loopback, for manual testing and demos.
//! `cargo run -p userdeck-sim -- --port 9000 --seed 7 --users 5000 [--config faults.json]`.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use userdeck_providers::ProviderKind;
use userdeck_sim::credentials::demo_secret;
use userdeck_sim::{SimConfig, SimState, router};

const USAGE: &str = "usage: userdeck-sim [--port N] [--seed N] [--users N] [--config FILE.json]";

fn parse_args(args: &[String]) -> Result<(u16, SimConfig), String> {
    let mut port: u16 = 9000;
    let mut config = SimConfig::default();
    let mut seed = None;
    let mut users = None;
    let mut iter = args.iter();
    while let Some(flag) = iter.next() {
        let mut value = || {
            iter.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--port" => {
                port = value()?
                    .parse()
                    .map_err(|_| format!("--port must be 0-65535\n{USAGE}"))?
            }
            "--seed" => {
                seed = Some(
                    value()?
                        .parse()
                        .map_err(|_| format!("--seed must be a whole number\n{USAGE}"))?,
                )
            }
            "--users" => {
                users = Some(
                    value()?
                        .parse()
                        .map_err(|_| format!("--users must be a whole number\n{USAGE}"))?,
                )
            }
            "--config" => {
                let path = value()?;
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read config {path}: {e}"))?;
                config = serde_json::from_str(&text)
                    .map_err(|e| format!("config {path} is not a valid simulator config: {e}"))?;
            }
            "--help" | "-h" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if let Some(seed) = seed {
        config.seed = seed;
    }
    if let Some(users) = users {
        config.users = users;
    }
    Ok((port, config))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (port, config) = match parse_args(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let state = SimState::new(&config);
    let bound = listener.local_addr().unwrap_or(addr);
    println!(
        "userdeck-sim: {} users per provider, seed {}, on http://{bound}",
        config.users, config.seed
    );
    for kind in ProviderKind::ALL {
        println!(
            "  {:<15} base http://{bound}/{:<15} secret {}",
            kind.label(),
            kind.id(),
            demo_secret(kind)
        );
    }
    if let Err(e) = axum::serve(listener, router(state)).await {
        eprintln!("server stopped: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_override_the_defaults() {
        let (port, config) = parse_args(&args(&[])).expect("defaults");
        assert_eq!((port, config.seed, config.users), (9000, 7, 2_000));
        let (port, config) =
            parse_args(&args(&["--port", "9100", "--seed", "9", "--users", "5000"]))
                .expect("valid");
        assert_eq!((port, config.seed, config.users), (9100, 9, 5_000));
    }

    #[test]
    fn bad_arguments_explain_themselves() {
        for bad in [
            &["--port"][..],
            &["--port", "70000"],
            &["--users", "many"],
            &["--verbose"],
            &["--config", "/nonexistent/sim.json"],
        ] {
            let message = parse_args(&args(bad)).expect_err("refused");
            assert!(!message.is_empty(), "{bad:?}");
        }
    }
}
