//! nginx as the benchmarks use it: the proxy benchmark's peer and fake upstream, and the static
//! server of the peers' pages. Each instance is one process (`master_process off`, the same as
//! one worker) with its own config, logs and temp folders under the bench folder, so it needs
//! no system configuration and reads files wherever the build put them.

use std::net::SocketAddr;
use std::path::Path;

use super::process::Running;
use crate::cmd::{Result, command};
use crate::setup::find_program;

/// A running nginx on loopback, stopped on drop.
pub struct Nginx {
    _process: Running,
}

/// Starts nginx in `dir` with `http_blocks` (server and upstream blocks, which must listen on
/// `addr`) and waits until `addr` answers `probe`.
pub fn start(dir: &Path, addr: SocketAddr, http_blocks: &str, probe: &str) -> Result<Nginx> {
    let binary = find_program("nginx")
        .ok_or("nginx is not installed; run `cargo xtask setup` (as root it installs it)")?;
    for sub in ["logs", "temp"] {
        std::fs::create_dir_all(dir.join(sub))
            .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    }
    let d = dir.display();
    let config = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\n\
         error_log {d}/logs/error.log warn;\nevents {{ worker_connections 4096; }}\n\
         http {{\n  types {{ text/html html; application/javascript js mjs; text/css css; \
         application/wasm wasm; application/json json; image/svg+xml svg; }}\n  \
         default_type application/octet-stream;\n  access_log off;\n  sendfile on;\n  \
         tcp_nodelay on;\n  keepalive_requests 1000000;\n  \
         client_body_temp_path {d}/temp/body;\n  proxy_temp_path {d}/temp/proxy;\n  \
         fastcgi_temp_path {d}/temp/fastcgi;\n  uwsgi_temp_path {d}/temp/uwsgi;\n  \
         scgi_temp_path {d}/temp/scgi;\n{http_blocks}\n}}\n"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, config)
        .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    let conf = path.to_string_lossy().into_owned();
    let prefix = dir.to_string_lossy().into_owned();
    let log = dir.join("logs").join("stdout.log");
    let mut process = Running::start(
        "nginx",
        command(&binary.to_string_lossy(), &["-c", &conf, "-p", &prefix]),
        &log,
        false,
    )?;
    process.wait_for(addr, probe, &dir.join("logs").join("error.log"))?;
    Ok(Nginx { _process: process })
}
