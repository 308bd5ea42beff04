//! Item 4, the measuring part: first-load bytes of Userdeck's release build against the
//! react-admin peer (`bench/peers/react-admin`, a vite build of the console's scope). For each
//! side, every file its `index.html` loads (scripts, stylesheets, preloads, the wasm, and the
//! files those scripts import) is compressed as a CDN would serve it, gzip -9 and brotli -q 11,
//! and summed.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::report::Row;
use crate::cmd::{Result, command, step};
use crate::setup::find_program;
use crate::sizes::kb;

/// Userdeck's first-load budget, gzip bytes (react-admin measured 320.9 kB on this machine).
pub const GZIP_BUDGET: u64 = 300_000;
/// Userdeck's first-load budget, brotli bytes (react-admin measured 267.8 kB).
pub const BROTLI_BUDGET: u64 = 250_000;

/// Compressed bytes of one side's first load.
#[derive(Debug, Default, Clone, Copy)]
struct Load {
    raw: u64,
    gzip: u64,
    brotli: u64,
}

/// Measures both builds and compares them.
pub fn run(console_dist: &Path, react_admin_dist: &Path) -> Result<Vec<Row>> {
    step("first load: Userdeck vs react-admin, gzip -9 and brotli -q 11");
    let ours = measure("Userdeck", console_dist)?;
    let theirs = measure("react-admin", react_admin_dist)?;
    let row = |what: &str, a: u64, b: u64, budget: u64| {
        let ratio = a as f64 / b.max(1) as f64;
        Row::ratio(
            &format!("first load, {what} (wasm + JS + CSS)"),
            (kb(a), format!("react-admin: {}", kb(b))),
            format!("{ratio:.2}x react-admin"),
            &format!("Userdeck <= {}", kb(budget)),
            a <= budget,
        )
    };
    Ok(vec![
        row("gzip", ours.gzip, theirs.gzip, GZIP_BUDGET),
        row("brotli", ours.brotli, theirs.brotli, BROTLI_BUDGET),
    ])
}

fn measure(side: &str, dist: &Path) -> Result<Load> {
    let files = first_load_files(dist)?;
    let mut load = Load::default();
    for file in &files {
        let bytes =
            std::fs::read(file).map_err(|err| format!("cannot read {}: {err}", file.display()))?;
        let (gzip, brotli) = (gzip_len(&bytes)?, brotli_len(file)?);
        println!(
            "  {side}: {} raw {}, gzip {}, brotli {}",
            file.strip_prefix(dist).unwrap_or(file).display(),
            kb(bytes.len() as u64),
            kb(gzip),
            kb(brotli)
        );
        load.raw += bytes.len() as u64;
        load.gzip += gzip;
        load.brotli += brotli;
    }
    println!(
        "  {side}: {} files, raw {}, gzip {}, brotli {}",
        files.len(),
        kb(load.raw),
        kb(load.gzip),
        kb(load.brotli)
    );
    Ok(load)
}

/// Every `.js`, `.css` and `.wasm` file of `dist` that `index.html` names, plus the scripts
/// those scripts name in turn (vite's chunk imports), found as quoted paths. A `.wasm` or `.css`
/// a script names is not followed: Userdeck's chunk loader names every chunk, and fetches each
/// only when its view is first shown.
fn first_load_files(dist: &Path) -> Result<BTreeSet<PathBuf>> {
    let index = dist.join("index.html");
    let mut pending = vec![index.clone()];
    let mut found = BTreeSet::new();
    while let Some(file) = pending.pop() {
        let text =
            std::fs::read(&file).map_err(|err| format!("cannot read {}: {err}", file.display()))?;
        let base = file.parent().unwrap_or(dist);
        let from_script = file.extension().is_some_and(|e| e == "js");
        for name in quoted_assets(&String::from_utf8_lossy(&text)) {
            if from_script && !name.ends_with(".js") {
                continue;
            }
            let path = if let Some(rooted) = name.strip_prefix('/') {
                dist.join(rooted)
            } else {
                base.join(name.trim_start_matches("./"))
            };
            if path.is_file() && found.insert(path.clone()) && name.ends_with(".js") {
                pending.push(path);
            }
        }
    }
    if !found
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "js"))
    {
        return Err(format!(
            "{} loads no script from {}: was the build run?",
            index.display(),
            dist.display()
        ));
    }
    Ok(found)
}

/// Quoted strings that look like local asset paths.
fn quoted_assets(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let mut parts = text.split(quote);
        // Between every second pair of quotes: the quoted texts (good enough for paths, which
        // never contain quotes).
        parts.next();
        for (i, part) in parts.enumerate() {
            let is_asset = [".js", ".css", ".wasm"]
                .iter()
                .any(|ext| part.ends_with(ext));
            if i % 2 == 0
                && is_asset
                && !part.contains("://")
                && !part.contains(char::is_whitespace)
            {
                out.push(part);
            }
        }
    }
    out
}

fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map(|out| out.len() as u64)
        .map_err(|err| format!("gzip failed: {err}"))
}

/// `brotli -q 11` (Debian's brotli, installed by setup), as CDNs serve static assets.
fn brotli_len(file: &Path) -> Result<u64> {
    let brotli =
        find_program("brotli").ok_or("brotli is not installed; run `cargo xtask setup`")?;
    let out = command(
        &brotli.to_string_lossy(),
        &["-q", "11", "-c", &file.to_string_lossy()],
    )
    .output()
    .map_err(|err| format!("could not run brotli: {err}"))?;
    if !out.status.success() {
        return Err(format!("brotli failed on {}", file.display()));
    }
    Ok(out.stdout.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_lead_to_scripts_but_not_to_the_chunks_they_fetch_later() {
        let dist = std::env::temp_dir().join(format!("userdeck-size-{}", std::process::id()));
        std::fs::create_dir_all(&dist).expect("temp dir");
        let files = [
            (
                "index.html",
                r#"<link rel="modulepreload" href="./app-1.js"><link rel="preload" href="./app-1_bg.wasm">"#,
            ),
            (
                "app-1.js",
                r#"import * as split from "./split-2.js"; new URL('app_bg.wasm', import.meta.url);"#,
            ),
            (
                "split-2.js",
                r#"import { initSync } from "./app-1.js"; fetch(new URL("./chunk-find-3.wasm", import.meta.url));"#,
            ),
            ("app-1_bg.wasm", "m"),
            ("chunk-find-3.wasm", "c"),
        ];
        for (name, text) in files {
            std::fs::write(dist.join(name), text).expect("written");
        }
        let found: Vec<String> = first_load_files(&dist)
            .expect("found")
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        std::fs::remove_dir_all(&dist).expect("removed");
        assert_eq!(found, ["app-1.js", "app-1_bg.wasm", "split-2.js"]);
    }

    #[test]
    fn finds_the_assets_an_index_names() {
        let html = r#"<link rel="modulepreload" href="/app-1.js"><link href='/s.css' rel=stylesheet>
            <script type="module">import init from '/app-1.js';init({module_or_path: '/app-1_bg.wasm'})</script>
            <a href="https://cdn.example/x.js">x</a><img src="/logo.png">"#;
        let found = quoted_assets(html);
        assert!(found.contains(&"/app-1.js") && found.contains(&"/s.css"));
        assert!(found.contains(&"/app-1_bg.wasm"));
        assert!(
            !found
                .iter()
                .any(|f| f.contains("cdn") || f.ends_with(".png"))
        );
    }
}
