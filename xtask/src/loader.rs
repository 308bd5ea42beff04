//! Moves the loader script Trunk writes inline into `index.html` out into a hashed file
//! (`boot-<hash>.js`). With no inline script, the Content-Security-Policy is one fixed string,
//! `script-src 'self' 'wasm-unsafe-eval'`, so a static host (deploy/nginx.conf) sends exactly
//! what the proxy sends, and a rebuild never changes the policy.

use std::path::Path;

/// 64-bit FNV-1a of `bytes` as sixteen hex digits: the shape of Trunk's own file hashes, which
/// the proxy and nginx recognise as immutable assets.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// `html` with its one inline module script replaced by a reference to `boot-<hash>.js`, and
/// that file's name and contents; `None` when there is no inline script.
pub fn externalise(html: &str) -> Option<(String, String, String)> {
    let open = "<script type=\"module\">";
    let start = html.find(open)?;
    let body_start = start + open.len();
    let body_len = html[body_start..].find("</script>")?;
    let body = &html[body_start..body_start + body_len];
    let name = format!("boot-{}.js", content_hash(body.as_bytes()));
    let tag = format!("<script type=\"module\" src=\"./{name}\"></script>");
    let rewritten = format!(
        "{}{tag}{}",
        &html[..start],
        &html[body_start + body_len + "</script>".len()..]
    );
    Some((rewritten, name, body.trim().to_string()))
}

/// Rewrites `dist/index.html` in place and writes the loader beside it.
pub fn run(dist: &Path) -> Result<(), String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)
        .map_err(|err| format!("cannot read {}: {err}", index.display()))?;
    let Some((rewritten, name, script)) = externalise(&html) else {
        return Err(format!(
            "{} has no inline loader script; did Trunk's output change?",
            index.display()
        ));
    };
    std::fs::write(dist.join(&name), script + "\n")
        .map_err(|err| format!("cannot write {name}: {err}"))?;
    std::fs::write(&index, rewritten)
        .map_err(|err| format!("cannot write {}: {err}", index.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_loader_becomes_a_hashed_file() {
        let html = "<head><script type=\"module\">\nimport init from './a.js';\nawait init();\n</script></head>";
        let (rewritten, name, script) = externalise(html).expect("has a loader");
        assert!(name.starts_with("boot-") && name.len() == "boot-0123456789abcdef.js".len());
        assert_eq!(
            rewritten,
            format!("<head><script type=\"module\" src=\"./{name}\"></script></head>")
        );
        assert_eq!(script, "import init from './a.js';\nawait init();");
        assert_eq!(externalise(&rewritten), None);
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
    }
}
