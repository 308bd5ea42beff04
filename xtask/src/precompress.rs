//! Precompressed siblings for the static files: `name.br` (brotli quality 11) and `name.gz`
//! (gzip level 9) beside every `.wasm`, `.js` and `.css` in `dist/`, written with Rust crates so
//! no system tool is needed. The proxy and nginx (`gzip_static`, `brotli_static`) send them as
//! they are, so the best compression costs nothing per request.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

/// Bytes of one asset, raw and in each encoding.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Compressed {
    /// The file as built.
    pub raw: u64,
    /// Its `.gz` sibling.
    pub gzip: u64,
    /// Its `.br` sibling.
    pub brotli: u64,
}

/// The files that get siblings: what a first load downloads besides `index.html`.
pub fn is_compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("wasm" | "js" | "css")
    )
}

/// Gzip at level 9.
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Brotli at quality 11 with the largest window, as CDNs precompress.
pub fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes both siblings of every compressible file directly in `dist`, and returns the sizes per
/// file name.
pub fn write_siblings(dist: &Path) -> Result<Vec<(String, Compressed)>, String> {
    let entries =
        std::fs::read_dir(dist).map_err(|err| format!("cannot read {}: {err}", dist.display()))?;
    let mut written = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if !is_compressible(&path) {
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let gz = gzip(&bytes).map_err(|err| format!("gzip of {} failed: {err}", path.display()))?;
        let br =
            brotli(&bytes).map_err(|err| format!("brotli of {} failed: {err}", path.display()))?;
        for (suffix, data) in [(".gz", &gz), (".br", &br)] {
            let target = sibling(&path, suffix);
            std::fs::write(&target, data)
                .map_err(|err| format!("cannot write {}: {err}", target.display()))?;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        written.push((
            name,
            Compressed {
                raw: bytes.len() as u64,
                gzip: gz.len() as u64,
                brotli: br.len() as u64,
            },
        ));
    }
    written.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_decompress_to_the_original_and_are_smaller() {
        let dir = tempdir();
        let text = "fn main() { println!(\"userdeck\"); }\n".repeat(200);
        std::fs::write(dir.join("app-0123456789abcdef.js"), &text).expect("write");
        std::fs::write(dir.join("index.html"), "<html></html>").expect("write");
        let written = write_siblings(&dir).expect("compressed");
        assert_eq!(written.len(), 1, "only the asset gets siblings");
        let sizes = written[0].1;
        assert!(
            sizes.brotli < sizes.gzip && sizes.gzip < sizes.raw,
            "{sizes:?}"
        );
        let br = std::fs::read(dir.join("app-0123456789abcdef.js.br")).expect("br");
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut plain).expect("valid brotli");
        assert_eq!(plain, text.as_bytes());
        let gz = std::fs::read(dir.join("app-0123456789abcdef.js.gz")).expect("gz");
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain)
            .expect("valid gzip");
        assert_eq!(plain, text);
        assert!(!dir.join("index.html.br").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempdir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
