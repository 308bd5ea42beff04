//! The console's transfer size: what a first visit downloads, in gzip (the budget's unit, as any
//! CDN serves it) and in brotli (what the precompressed `.br` siblings let servers send).

use crate::precompress::Compressed;

/// The first-load sizes of the built console.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sizes {
    /// The WebAssembly module, gzip bytes.
    pub wasm: u64,
    /// The JavaScript glue, gzip bytes.
    pub js: u64,
    /// The stylesheets, gzip bytes.
    pub css: u64,
    /// All of them uncompressed.
    pub raw: u64,
    /// All of them as brotli.
    pub brotli: u64,
    /// What the demo server sent for them to a browser's `Accept-Encoding`, once measured.
    pub served: Option<u64>,
}

impl Sizes {
    /// Everything a first load transfers, gzip.
    pub fn total(&self) -> u64 {
        self.wasm + self.js + self.css
    }
}

/// Adds up the sizes `precompress::write_siblings` reports, by kind of asset.
pub fn from_compressed(files: &[(String, Compressed)]) -> Result<Sizes, String> {
    let mut sizes = Sizes::default();
    for (name, file) in files {
        // The embed loader is fetched by partner portals, and a chunk when its view is first
        // shown: neither is part of the console's first load.
        if name == "embed.js" || name.starts_with(crate::split::CHUNK_PREFIX) {
            continue;
        }
        let slot = match name.rsplit('.').next() {
            Some("wasm") => &mut sizes.wasm,
            Some("js") => &mut sizes.js,
            _ => &mut sizes.css,
        };
        *slot += file.gzip;
        sizes.raw += file.raw;
        sizes.brotli += file.brotli;
    }
    if sizes.wasm == 0 {
        return Err("dist/ holds no .wasm file: was the build run?".into());
    }
    Ok(sizes)
}

/// The first-load gzip budget the benchmarks issue sets: below react-admin's 320.9 kB.
pub const BUDGET: u64 = 300_000;

/// The first-load brotli budget the benchmarks issue sets: below react-admin's 267.8 kB.
pub const BROTLI_BUDGET: u64 = 250_000;

/// A ratchet, not the budget: the console is over [`BUDGET`] (see the note for why),
/// and this ceiling keeps it from silently growing further. Lower it whenever the build
/// shrinks; raising it is a decision to write down in the commit. It was raised from 330 kB to
/// 420 kB when issues 11 and 12 landed together (runtime config, direct mode and embed about
/// 24 kB; find and open-by-key about 20 kB; export, columns, saved views, All rows and time zone
/// about 48 kB of gzip), and lowered to 360 kB when the find page, the user page, the toolbar's
/// menu panels and the All rows table became chunks fetched on first need (419.6 kB to
/// 358.5 kB), and to 347 kB when the provider list was read through the shared JSON tree, the
/// sign-in form, the token prompt and the embed bridge became chunks too, and the saved views
/// were read when their menu opens (346.0 kB). Bringing it under the 300 kB budget is the
/// benchmarks issue's size work.
pub const CEILING: u64 = 347_000;

/// How the transfer compares with both budgets, as one clause for the summary.
fn verdict(sizes: &Sizes) -> String {
    let against = |name: &str, total: u64, budget: u64| {
        if total <= budget {
            format!("{name} within the {} budget", kb(budget))
        } else {
            format!(
                "{name} over the {} budget by {}",
                kb(budget),
                kb(total - budget)
            )
        }
    };
    format!(
        "{}, {} (ceiling {} gzip)",
        against("gzip", sizes.total(), BUDGET),
        against("brotli", sizes.brotli, BROTLI_BUDGET),
        kb(CEILING)
    )
}

/// `gzip wasm … + js … + css … = total, brotli …; verdict; uncompressed …; served …`: how every
/// report states the transfer.
pub fn line(sizes: &Sizes) -> String {
    let served = match sizes.served {
        Some(bytes) => format!("; the demo server sends {}", kb(bytes)),
        None => String::new(),
    };
    format!(
        "console transfer: gzip wasm {} + js {} + css {} = {}, brotli {}; {}; uncompressed {}{served}",
        kb(sizes.wasm),
        kb(sizes.js),
        kb(sizes.css),
        kb(sizes.total()),
        kb(sizes.brotli),
        verdict(sizes),
        kb(sizes.raw),
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
            ..Sizes::default()
        }
    }

    #[test]
    fn sizes_add_up_by_kind_and_the_line_says_what_was_served() {
        let file = |raw, gzip, brotli| Compressed { raw, gzip, brotli };
        let sizes = from_compressed(&[
            ("a_bg.wasm".into(), file(700, 300, 250)),
            ("a.js".into(), file(40, 10, 9)),
            ("m.css".into(), file(30, 8, 7)),
        ])
        .expect("has wasm");
        assert_eq!(
            (sizes.wasm, sizes.js, sizes.css, sizes.brotli, sizes.raw),
            (300, 10, 8, 266, 770)
        );
        assert!(from_compressed(&[("a.js".into(), file(1, 1, 1))]).is_err());
        let with_later_files = from_compressed(&[
            ("a_bg.wasm".into(), file(700, 300, 250)),
            ("a.js".into(), file(40, 10, 9)),
            ("m.css".into(), file(30, 8, 7)),
            ("chunk-find-0123456789abcdef.wasm".into(), file(90, 40, 35)),
            ("embed.js".into(), file(9, 4, 3)),
        ])
        .expect("has wasm");
        assert_eq!(with_later_files.total(), sizes.total());
        assert_eq!(with_later_files.brotli, sizes.brotli);
        let served = Sizes {
            served: Some(266),
            ..sizes
        };
        assert!(
            line(&served).ends_with("the demo server sends 0.3 kB"),
            "{}",
            line(&served)
        );
    }

    #[test]
    fn the_ceiling_fails_only_past_it() {
        assert!(check_ceiling(&sized(CEILING - 12_000)).is_ok());
        assert!(check_ceiling(&sized(CEILING - 11_999)).is_err());
    }

    #[test]
    fn the_verdict_says_how_far_over_each_budget() {
        let small = Sizes {
            brotli: 200_000,
            ..sized(150_000)
        };
        assert_eq!(
            verdict(&small),
            "gzip within the 300.0 kB budget, brotli within the 250.0 kB budget (ceiling 347.0 kB gzip)"
        );
        let large = Sizes {
            brotli: 260_500,
            ..sized(300_000)
        };
        assert_eq!(
            verdict(&large),
            "gzip over the 300.0 kB budget by 12.0 kB, brotli over the 250.0 kB budget by 10.5 kB (ceiling 347.0 kB gzip)"
        );
    }
}
