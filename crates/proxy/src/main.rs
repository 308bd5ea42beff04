//! The `userdeck` binary: serves the console and the provider API, or (`userdeck hash`) prints
//! an Argon2id hash for the configuration.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;
use userdeck_proxy::args::{self, Args, Command};
use userdeck_proxy::config::{self, ProcessEnv, Settings};
use userdeck_sim::SimConfig;

#[tokio::main]
async fn main() -> ExitCode {
    // The log goes to standard error, so standard output carries the audit lines alone (plus
    // the start-up banner), ready for a log shipper. Colours only on a terminal: in a file or
    // a journal their escape codes are noise around every field.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let env_config = std::env::var_os("USERDECK_CONFIG").map(Into::into);
    let command = match args::command(std::env::args().skip(1), env_config) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("userdeck: {message}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Hash => hash(),
        Command::HashGenerate => hash_generate(),
        Command::Serve(args) => serve(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("userdeck: {message}");
            ExitCode::from(1)
        }
    }
}

/// Reads one line from stdin (not argv, which would land in shell history) and prints its hash.
fn hash() -> Result<(), String> {
    eprintln!("Type the token or password, then Enter:");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|err| format!("cannot read standard input: {err}"))?;
    let secret = line.trim_end_matches(['\r', '\n']);
    userdeck_proxy::token_strength::check(secret)?;
    print_hash(secret)
}

/// A fresh random token and its hash. The token goes to the admin; only the hash is kept.
fn hash_generate() -> Result<(), String> {
    let token = userdeck_proxy::token_strength::generate()?;
    println!("{token}");
    eprintln!("Above: the new token; give it to the admin. Below: its hash, for token_hashes.");
    print_hash(&token)
}

fn print_hash(secret: &str) -> Result<(), String> {
    let hash = userdeck_proxy::auth::hash_secret(secret)?;
    println!("{hash}");
    eprintln!(
        "The audit log names this token {}.",
        userdeck_proxy::auth::fingerprint(secret.as_bytes(), &hash)
    );
    Ok(())
}

async fn serve(args: Args) -> Result<(), String> {
    if !args.dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html; build the console first (cargo xtask demo does it)",
            args.dist.display()
        ));
    }
    if args.demo && !args.listen.ip().is_loopback() {
        return Err(format!(
            "--demo turns admin authentication off, so it listens on loopback only, not {}",
            args.listen
        ));
    }
    let mut extra_api = axum::Router::new();
    let mut settings = match &args.config {
        Some(path) => config::load(path, &ProcessEnv)?,
        None if args.demo => {
            let demo = userdeck_proxy::demo::start(&SimConfig::default()).await?;
            extra_api = demo.api;
            tracing::info!(simulators = %demo.simulators, "simulators started");
            demo.settings
        }
        None => {
            tracing::warn!(
                "no configuration (--config or USERDECK_CONFIG): serving the console with no providers, and the API locked"
            );
            Settings::unconfigured()
        }
    };
    userdeck_proxy::overrides::apply(&mut settings, &args)?;
    for line in config::describe(&settings) {
        tracing::info!(provider = %line, "configured");
    }
    let shutdown = stop_signal();
    let listener = userdeck_proxy::bind(args.listen).await?;
    tracing::info!(address = %args.listen, dist = %args.dist.display(), "serving the console");
    if args.demo {
        let rule = "!".repeat(78);
        println!("{rule}\n{}\n{rule}", userdeck_proxy::demo::BANNER);
        tracing::warn!("{}", userdeck_proxy::demo::BANNER);
    }
    println!(
        "Userdeck is running at http://{}{}/",
        args.listen, settings.base_path
    );
    userdeck_proxy::run(settings, &args.dist, listener, extra_api, shutdown).await
}

/// Ctrl-C, or the SIGTERM that service managers and container runtimes send: either lets open
/// requests finish before the process exits. The handlers are registered when this is called,
/// not when the future is first polled, so a signal that arrives right after the port opens is
/// still a graceful stop rather than the default abrupt exit.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
