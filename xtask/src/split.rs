//! The release console in pieces. Trunk builds it whole, as `trunk serve` does; this step builds
//! it again with the `split` feature, lets the WebAssembly splitter Leptos' own build tool uses
//! (`wasm_split_cli_support`) move each `lazy::split_view!` view, with the code only it reaches,
//! into a chunk, and swaps the result into `dist/`: the main module, its glue and the chunks'
//! loader under content hashes, `index.html`'s links and integrity rewritten to match. Chunks
//! (`chunk-<name>-<hash>.wasm`) are fetched the first time their view is shown, so they are not
//! part of the first load.

use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::cmd::{self, Result, command, step};
use crate::loader::content_hash;

/// The module name the splitter gives the chunks' loader in the main module's imports.
const LOADER_PLACEHOLDER: &str = "./__wasm_split.______________________.js";

/// How the splitter's loader imports the main glue; rewritten to the glue's hashed name.
const GLUE_IMPORT: &str = "./userdeck.js";

/// The prefix of every chunk's file name, which the size report leaves out of the first load.
pub const CHUNK_PREFIX: &str = "chunk-";

/// The split build's arguments to cargo: the console with `--features split`, linked with its
/// relocations, which the splitter reads.
pub const BUILD_ARGS: [&str; 13] = [
    "rustc",
    "--release",
    "--target",
    "wasm32-unknown-unknown",
    "-p",
    "userdeck",
    "--bin",
    "userdeck",
    "--features",
    "split",
    "--",
    "-C",
    "link-arg=--emit-relocs",
];

/// Builds the split console and puts it in `dist`, in place of trunk's whole module.
pub fn run(dist: &Path) -> Result {
    step("split build: the console with --features split, relocations kept for the splitter");
    cmd::run(command("cargo", &BUILD_ARGS))?;
    place(dist)
}

/// Splits the split build's module, which must be built already, and puts it in `dist`.
pub fn place(dist: &Path) -> Result {
    let built = cmd::target_dir().join("wasm32-unknown-unknown/release/userdeck.wasm");
    let work = cmd::target_dir().join("split");
    if work.exists() {
        std::fs::remove_dir_all(&work)
            .map_err(|err| format!("cannot empty {}: {err}", work.display()))?;
    }
    let chunks = split(&built, &work)?;
    step("wasm-bindgen (lld exports kept for the chunks), then wasm-opt -Oz of every module");
    let glue_dir = bind(&work)?;
    let module = glue_dir.join("userdeck_bg.wasm");
    optimise(&module)?;
    let mut loader = read_text(&work.join(LOADER_PLACEHOLDER.trim_start_matches("./")))?;
    for chunk in &chunks {
        loader = place_chunk(chunk, &loader, dist)?;
    }
    swap_in(
        dist,
        &read(&module)?,
        &read_text(&glue_dir.join("userdeck.js"))?,
        &loader,
    )
}

/// Splits `built` into `work/main.wasm`, the chunks (returned) and their loader.
fn split(built: &Path, work: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(work)
        .map_err(|err| format!("cannot create {}: {err}", work.display()))?;
    let input = read(built)?;
    let main = work.join("main.wasm");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = work;
    options.main_out_path = &main;
    options.main_module = GLUE_IMPORT;
    options.link_name = LOADER_PLACEHOLDER;
    let split = wasm_split_cli_support::transform(options).map_err(|err| {
        format!(
            "the WebAssembly splitter failed on {}: {err}",
            built.display()
        )
    })?;
    Ok(split.split_modules)
}

/// wasm-bindgen over the split main module, into `work/bindgen/`.
fn bind(work: &Path) -> Result<PathBuf> {
    let glue_dir = work.join("bindgen");
    let main_text = work.join("main.wasm").to_string_lossy().into_owned();
    let glue_text = glue_dir.to_string_lossy().into_owned();
    cmd::run(command(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--keep-lld-exports",
            "--no-typescript",
            "--out-dir",
            &glue_text,
            "--out-name",
            "userdeck",
            &main_text,
        ],
    ))?;
    Ok(glue_dir)
}

/// Optimises one chunk, writes it into `dist` under a content hash, and returns the loader
/// with the chunk's new name.
fn place_chunk(chunk: &Path, loader: &str, dist: &Path) -> Result<String> {
    optimise(chunk)?;
    let bytes = read(chunk)?;
    let old = file_name(chunk)?;
    let stem = old
        .trim_end_matches(".wasm")
        .trim_start_matches("split_")
        .trim_start_matches("chunk_");
    let name = format!("{CHUNK_PREFIX}{stem}-{}.wasm", content_hash(&bytes));
    write(&dist.join(&name), &bytes)?;
    println!("  chunk {name}: {} bytes", bytes.len());
    replace_once(loader, &format!("\"./{old}\""), &format!("\"./{name}\""))
}

/// Names the main module, its glue and the loader by content, points each at the others and
/// `index.html` at all three, and removes trunk's whole module and glue from `dist`.
fn swap_in(dist: &Path, wasm: &[u8], glue: &str, loader: &str) -> Result {
    let mut identity = loader.as_bytes().to_vec();
    identity.extend_from_slice(glue.as_bytes());
    identity.extend_from_slice(wasm);
    let loader_name = format!("split-{}.js", content_hash(&identity));
    // Only the `import` statements change: the module's own import section keeps the
    // placeholder, and so must the keys of the import object the glue builds from them.
    let statement = |name: &str| format!("from \"{name}\"");
    if !glue.contains(&statement(LOADER_PLACEHOLDER)) {
        return Err("wasm-bindgen's glue does not import the chunks' loader as expected".into());
    }
    let glue = glue.replace(
        &statement(LOADER_PLACEHOLDER),
        &statement(&format!("./{loader_name}")),
    );
    let glue_name = format!("userdeck-{}.js", content_hash(glue.as_bytes()));
    let wasm_name = format!("userdeck-{}_bg.wasm", content_hash(wasm));
    let loader = replace_once(
        loader,
        &format!("\"{GLUE_IMPORT}\""),
        &format!("\"./{glue_name}\""),
    )?;

    let index = dist.join("index.html");
    let html = read_text(&index)?;
    let whole = Whole::find(&html)?;
    let html = rewrite_index(
        &html,
        &whole,
        &Asset::new(&glue_name, glue.as_bytes()),
        &Asset::new(&wasm_name, wasm),
        &Asset::new(&loader_name, loader.as_bytes()),
    )?;
    for old in [&whole.glue, &whole.wasm] {
        let path = dist.join(old);
        std::fs::remove_file(&path)
            .map_err(|err| format!("cannot remove {}: {err}", path.display()))?;
    }
    write(&dist.join(&glue_name), glue.as_bytes())?;
    write(&dist.join(&wasm_name), wasm)?;
    write(&dist.join(&loader_name), loader.as_bytes())?;
    write(&index, html.as_bytes())
}

/// `wasm-opt -Oz`, in place, as trunk runs it on the whole module.
fn optimise(path: &Path) -> Result {
    let wasm_opt = cmd::binaryen_bin_dir().join("wasm-opt");
    let out = path.with_extension("opt.wasm");
    let path_text = path.to_string_lossy().into_owned();
    let out_text = out.to_string_lossy().into_owned();
    cmd::run(command(
        &wasm_opt.to_string_lossy(),
        &["-Oz", &path_text, "-o", &out_text],
    ))?;
    std::fs::rename(&out, path).map_err(|err| format!("cannot replace {}: {err}", path.display()))
}

/// The names trunk gave the whole module and its glue in `index.html`.
#[derive(Debug, PartialEq)]
struct Whole {
    glue: String,
    wasm: String,
}

impl Whole {
    fn find(html: &str) -> Result<Self> {
        match (link(html, "modulepreload"), link(html, "preload")) {
            (Some((_, glue)), Some((_, wasm)))
                if glue.ends_with(".js") && wasm.ends_with("_bg.wasm") =>
            {
                Ok(Self {
                    glue: glue.to_string(),
                    wasm: wasm.to_string(),
                })
            }
            _ => Err("dist/index.html does not preload trunk's glue and module; did Trunk's output change?".into()),
        }
    }
}

/// The first `<link rel="{rel}" href="./…">` tag of `html`, whole, and the file it names.
fn link<'a>(html: &'a str, rel: &str) -> Option<(&'a str, &'a str)> {
    let open = format!("<link rel=\"{rel}\" href=\"./");
    let start = html.find(&open)?;
    let name_start = start + open.len();
    let name_len = html[name_start..].find('"')?;
    let tag_len = html[start..].find('>')?;
    Some((
        &html[start..=start + tag_len],
        &html[name_start..name_start + name_len],
    ))
}

/// A file `index.html` links to: its name and its Subresource Integrity value.
struct Asset {
    name: String,
    integrity: String,
}

impl Asset {
    fn new(name: &str, bytes: &[u8]) -> Self {
        Self {
            name: name.to_string(),
            integrity: format!("sha384-{}", base64(&Sha384::digest(bytes))),
        }
    }
}

/// `html` with trunk's glue and module replaced by the split build's, each link's integrity
/// recomputed, and the chunks' loader preloaded beside the glue that imports it.
fn rewrite_index(
    html: &str,
    whole: &Whole,
    glue: &Asset,
    wasm: &Asset,
    loader: &Asset,
) -> Result<String> {
    let tag = |rel: &str, name: &str| match link(html, rel) {
        Some((tag, found)) if found == name => Ok(tag),
        _ => Err(format!("dist/index.html has no {rel} link to {name}")),
    };
    let glue_link = tag("modulepreload", &whole.glue)?;
    let wasm_link = tag("preload", &whole.wasm)?;
    let html = replace_once(
        html,
        glue_link,
        &format!(
            "<link rel=\"modulepreload\" href=\"./{}\" crossorigin=\"anonymous\" integrity=\"{}\">\
             <link rel=\"modulepreload\" href=\"./{}\" crossorigin=\"anonymous\" integrity=\"{}\">",
            glue.name, glue.integrity, loader.name, loader.integrity
        ),
    )?;
    let html = replace_once(
        &html,
        wasm_link,
        &format!(
            "<link rel=\"preload\" href=\"./{}\" crossorigin=\"anonymous\" integrity=\"{}\" as=\"fetch\" type=\"application/wasm\">",
            wasm.name, wasm.integrity
        ),
    )?;
    let html = replace_once(
        &html,
        &format!("'./{}'", whole.glue),
        &format!("'./{}'", glue.name),
    )?;
    replace_once(
        &html,
        &format!("'./{}'", whole.wasm),
        &format!("'./{}'", wasm.name),
    )
}

/// `text` with its one `from` replaced; more or fewer means the tools' output changed shape.
fn replace_once(text: &str, from: &str, to: &str) -> Result<String> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        n => Err(format!(
            "expected `{from}` once in the split build's output, found it {n} times"
        )),
    }
}

/// Standard base64 with padding, as Subresource Integrity spells digests.
fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn file_name(path: &Path) -> Result<String> {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| {
            format!(
                "the splitter wrote a chunk without a file name: {}",
                path.display()
            )
        })
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|err| format!("cannot write {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK: &str = "<head><link rel=\"stylesheet\" href=\"./main-1.css\" integrity=\"sha384-c\"/>\n\
        <script type=\"module\">\nimport init, * as bindings from './userdeck-aa.js';\n\
        const wasm = await init({ module_or_path: './userdeck-aa_bg.wasm' });\n</script>\n\
        <link rel=\"modulepreload\" href=\"./userdeck-aa.js\" crossorigin=\"anonymous\" integrity=\"sha384-old1\">\
        <link rel=\"preload\" href=\"./userdeck-aa_bg.wasm\" crossorigin=\"anonymous\" integrity=\"sha384-old2\" as=\"fetch\" type=\"application/wasm\"></head>";

    #[test]
    fn trunk_names_are_found() {
        let whole = Whole::find(TRUNK).expect("trunk's names");
        assert_eq!(
            whole,
            Whole {
                glue: "userdeck-aa.js".into(),
                wasm: "userdeck-aa_bg.wasm".into()
            }
        );
        assert!(Whole::find("<head></head>").is_err());
    }

    #[test]
    fn index_points_at_the_split_build_with_fresh_integrity() {
        let whole = Whole::find(TRUNK).expect("trunk's names");
        let glue = Asset::new("userdeck-bb.js", b"glue");
        let wasm = Asset::new("userdeck-cc_bg.wasm", b"wasm");
        let loader = Asset::new("split-dd.js", b"loader");
        let html = rewrite_index(TRUNK, &whole, &glue, &wasm, &loader).expect("rewritten");
        assert!(!html.contains("userdeck-aa") && !html.contains("old1") && !html.contains("old2"));
        assert!(html.contains("from './userdeck-bb.js'"));
        assert!(html.contains("module_or_path: './userdeck-cc_bg.wasm'"));
        for asset in [&glue, &wasm, &loader] {
            assert!(html.contains(&format!(
                "href=\"./{}\" crossorigin=\"anonymous\" integrity=\"{}\"",
                asset.name, asset.integrity
            )));
        }
        assert!(html.contains("href=\"./main-1.css\" integrity=\"sha384-c\""));
    }

    #[test]
    fn integrity_is_sha384_in_padded_base64() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            Asset::new("a", b"abc").integrity,
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn a_replacement_must_match_exactly_once() {
        assert_eq!(replace_once("a-b", "-", "+").as_deref(), Ok("a+b"));
        assert!(replace_once("a-b-c", "-", "+").is_err());
        assert!(replace_once("abc", "-", "+").is_err());
    }
}
