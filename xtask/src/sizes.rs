//! The console's transfer size: what a first visit downloads, gzip-compressed as a CDN serves it.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

/// The gzip sizes of the built console, by kind of asset.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sizes {
    /// The WebAssembly module, gzip bytes.
    pub wasm: u64,
    /// The JavaScript glue, gzip bytes.
    pub js: u64,
    /// The stylesheets, gzip bytes.
    pub css: u64,
}

impl Sizes {
    /// Everything a first load transfers.
    pub fn total(&self) -> u64 {
        self.wasm + self.js + self.css
    }
}

fn gzip_len(bytes: &[u8]) -> std::io::Result<u64> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len() as u64)
}

/// Measures every `.wasm`, `.js` and `.css` file directly in `dist`.
pub fn measure(dist: &Path) -> Result<Sizes, String> {
    let entries =
        std::fs::read_dir(dist).map_err(|err| format!("cannot read {}: {err}", dist.display()))?;
    let mut sizes = Sizes::default();
    for entry in entries.flatten() {
        let path = entry.path();
        let slot = match path.extension().and_then(|ext| ext.to_str()) {
            Some("wasm") => &mut sizes.wasm,
            Some("js") => &mut sizes.js,
            Some("css") => &mut sizes.css,
            _ => continue,
        };
        let bytes =
            std::fs::read(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        *slot += gzip_len(&bytes).map_err(|err| format!("gzip failed: {err}"))?;
    }
    if sizes.wasm == 0 {
        return Err(format!(
            "{} holds no .wasm file: was the build run?",
            dist.display()
        ));
    }
    Ok(sizes)
}

/// Formats bytes as kB with one decimal, the unit budgets are written in.
pub fn kb(bytes: u64) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}
