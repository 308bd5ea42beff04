//! The extra servers of the deployment end-to-end tests: nginx serving `dist/` with
//! `deploy/nginx.conf`, both put in place by the README's nginx commands (see
//! [`crate::readme::run_nginx_block`]) and the configuration rewritten only where its comment
//! says a deployment changes it, and static host pages on other loopback origins for the embed
//! tests. nginx runs in the foreground from a private folder (its own pid file, logs and temp
//! paths) and is stopped by its process id when the tests end.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::cmd::{self, Result, command};

/// One console deployment of the example config.
pub struct ConsoleSite {
    /// The loopback port nginx listens on.
    pub port: u16,
    /// The `config.json` it serves at `/admin/config.json`.
    pub config_json: String,
    /// The origins for `connect-src` besides `'self'`.
    pub connect: String,
    /// The `frame-ancestors` sources.
    pub frame_ancestors: String,
}

/// A few pages served as they are.
pub struct StaticSite {
    /// The loopback port.
    pub port: u16,
    /// File names and contents.
    pub files: Vec<(String, String)>,
}

/// A running nginx; dropping it stops it.
pub struct Nginx {
    child: Child,
    dir: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGQUIT is nginx's graceful stop: the master takes its workers with it, which a kill
        // of the master alone would not.
        let pid = self.child.id().to_string();
        let _ = command("kill", &["-QUIT", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                let _ = std::fs::remove_dir_all(&self.dir);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn replace_exactly(text: &str, from: &str, to: &str) -> Result<String> {
    if !text.contains(from) {
        return Err(format!(
            "deploy/nginx.conf no longer contains `{from}`, which the end-to-end test rewrites; update both"
        ));
    }
    Ok(text.replace(from, to))
}

/// The example, rewritten for one site; `n` keeps its `map` variable apart from other copies.
fn console_server(
    example: &str,
    site: &ConsoleSite,
    n: usize,
    dir: &Path,
    dist: &Path,
) -> Result<String> {
    let config = dir.join(format!("config-{n}.json"));
    std::fs::write(&config, &site.config_json)
        .map_err(|err| format!("cannot write {}: {err}", config.display()))?;
    let dist = format!("{}/", dist.display());
    let mut text = replace_exactly(
        example,
        "listen 8080;",
        &format!("listen 127.0.0.1:{};", site.port),
    )?;
    text = replace_exactly(&text, "/srv/userdeck/dist/", &dist)?;
    text = replace_exactly(
        &text,
        "/etc/userdeck/config.json",
        &config.to_string_lossy(),
    )?;
    text = replace_exactly(
        &text,
        "https://userdeck.example.com https://api-sandbox.rebilly.com https://api.pngme.com",
        &site.connect,
    )?;
    text = replace_exactly(&text, "https://portal.example.com", &site.frame_ancestors)?;
    replace_exactly(
        &text,
        "$userdeck_cache_control",
        &format!("$userdeck_cache_control_{n}"),
    )
}

/// Runs the README's nginx commands (`install`) into a scratch folder, then starts nginx with
/// `consoles` served by the configuration they put in place and `statics`, and waits until
/// every port answers.
pub fn start(
    install: &crate::readme::Block,
    consoles: &[ConsoleSite],
    statics: &[StaticSite],
) -> Result<Nginx> {
    // Not under the target folder: nginx's workers run as an unprivileged user, which may not
    // read a home directory.
    static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("userdeck-e2e-nginx-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tmp"))
        .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    let scratch = dir.join("root");
    crate::readme::run_nginx_block(install, &scratch)?;
    let example_path = scratch.join("etc/nginx/conf.d/userdeck.conf");
    let example = std::fs::read_to_string(&example_path)
        .map_err(|err| format!("cannot read {}: {err}", example_path.display()))?;
    let dist = scratch.join("srv/userdeck/dist");
    let d = dir.display();
    let mut http = String::new();
    for (n, site) in consoles.iter().enumerate() {
        http.push_str(&console_server(&example, site, n, &dir, &dist)?);
    }
    for (n, site) in statics.iter().enumerate() {
        let root = dir.join(format!("static-{n}"));
        std::fs::create_dir_all(&root)
            .map_err(|err| format!("cannot create {}: {err}", root.display()))?;
        for (name, text) in &site.files {
            let path = root.join(name);
            std::fs::write(&path, text)
                .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
        }
        http.push_str(&format!(
            "server {{\n    listen 127.0.0.1:{};\n    root {};\n    add_header Cache-Control \"no-cache\" always;\n}}\n",
            site.port,
            root.display()
        ));
    }
    let brotli = crate::setup::NGINX_BROTLI_STATIC;
    let main = format!(
        "daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         load_module {brotli};\nevents {{ worker_connections 256; }}\n\
         http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n\
         access_log {d}/access.log;\n    client_body_temp_path {d}/tmp/body;\n    proxy_temp_path {d}/tmp/proxy;\n\
         fastcgi_temp_path {d}/tmp/fastcgi;\n    uwsgi_temp_path {d}/tmp/uwsgi;\n    scgi_temp_path {d}/tmp/scgi;\n\
         {http}}}\n"
    );
    let conf = dir.join("nginx.conf");
    std::fs::write(&conf, main).map_err(|err| format!("cannot write {}: {err}", conf.display()))?;
    let conf_text = conf.to_string_lossy().into_owned();
    let prefix = format!("{d}/");
    let test = cmd::output(command(
        "nginx",
        &["-t", "-q", "-p", &prefix, "-c", &conf_text],
    ));
    if test.is_none() {
        let mut check = command("nginx", &["-t", "-p", &prefix, "-c", &conf_text]);
        let _ = check.status();
        return Err(format!("nginx refused the generated {}", conf.display()));
    }
    let mut start = command("nginx", &["-p", &prefix, "-c", &conf_text]);
    start.stdout(Stdio::null());
    let child = start
        .spawn()
        .map_err(|err| format!("could not start nginx: {err}"))?;
    let mut nginx = Nginx { child, dir };
    let ports: Vec<u16> = consoles
        .iter()
        .map(|c| c.port)
        .chain(statics.iter().map(|s| s.port))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(20);
    for port in ports {
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                return Err(format!("nginx exited early ({status}); see its error.log"));
            }
            if Instant::now() > deadline {
                return Err(format!("nginx did not listen on {port} within 20 s"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    Ok(nginx)
}
