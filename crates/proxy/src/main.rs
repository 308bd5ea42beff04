//! The `userdeck` binary: serves the console (and, as later work lands, the provider routes).

use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = match userdeck_proxy::args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("userdeck: {message}");
            return ExitCode::from(2);
        }
    };
    if !args.dist.join("index.html").is_file() {
        eprintln!(
            "userdeck: {} has no index.html; build the console first (cargo xtask demo does it)",
            args.dist.display()
        );
        return ExitCode::from(2);
    }
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("userdeck: cannot listen on {}: {err}", args.listen);
            return ExitCode::from(1);
        }
    };
    let app = userdeck_proxy::static_files::router(&args.dist);
    tracing::info!(address = %args.listen, dist = %args.dist.display(), "serving the console");
    println!("Userdeck is running at http://{}/", args.listen);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("userdeck: server stopped: {err}");
            ExitCode::from(1)
        }
    }
}
