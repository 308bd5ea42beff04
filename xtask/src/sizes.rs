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

/// The first-load budget the console issue sets.
pub const BUDGET: u64 = 200_000;

/// A ratchet, not the budget: the console is over [`BUDGET`] (see the note for why),
/// and this ceiling keeps it from silently growing further. Lower it whenever the build
/// shrinks; raising it is a decision to write down in the commit. Raised from 330 kB to 378 kB
/// with issue 12's export, columns, saved views, All rows and time-zone features (about 48 kB
/// of gzip), pending the benchmarks issue's size work; see that commit.
pub const CEILING: u64 = 378_000;

/// How the transfer compares with the budget, as one line for the summary.
fn verdict(sizes: &Sizes) -> String {
    let total = sizes.total();
    if total <= BUDGET {
        format!("within the {} budget", kb(BUDGET))
    } else {
        format!(
            "over the {} budget by {} (ceiling {})",
            kb(BUDGET),
            kb(total - BUDGET),
            kb(CEILING)
        )
    }
}

/// `wasm … + js … + css … = total, verdict`: how every report states the transfer.
pub fn line(sizes: &Sizes) -> String {
    format!(
        "console transfer (gzip): wasm {} + js {} + css {} = {}, {}",
        kb(sizes.wasm),
        kb(sizes.js),
        kb(sizes.css),
        kb(sizes.total()),
        verdict(sizes)
    )
}

/// Fails when the transfer has grown past [`CEILING`].
pub fn check_ceiling(sizes: &Sizes) -> Result<(), String> {
    if sizes.total() > CEILING {
        return Err(format!(
            "the console's first-load transfer grew to {}, past the {} ceiling",
            kb(sizes.total()),
            kb(CEILING)
        ));
    }
    Ok(())
}

/// Formats bytes as kB with one decimal, the unit budgets are written in.
pub fn kb(bytes: u64) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sized(wasm: u64) -> Sizes {
        Sizes {
            wasm,
            js: 9_000,
            css: 3_000,
        }
    }

    #[test]
    fn the_ceiling_fails_only_past_it() {
        assert!(check_ceiling(&sized(CEILING - 12_000)).is_ok());
        assert!(check_ceiling(&sized(CEILING - 11_999)).is_err());
    }

    #[test]
    fn the_verdict_says_how_far_over() {
        assert_eq!(verdict(&sized(150_000)), "within the 200.0 kB budget");
        assert_eq!(
            verdict(&sized(300_000)),
            "over the 200.0 kB budget by 112.0 kB (ceiling 378.0 kB)"
        );
    }
}
