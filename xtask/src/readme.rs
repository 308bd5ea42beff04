//! The README's deployment commands, as the end-to-end stage runs them. A fenced block whose info
//! string names a deployment (```` ```sh deploy:proxy-root ````) is read from README.md here and
//! run as written, with only the substitutions the README's "Deploying" section lists: the debug
//! build for `target/server/userdeck`, the test's values for the shell variables the commands
//! use, a scratch folder for `/` in the nginx block, and the test's console and simulator
//! addresses for the example ones. So a README command that stops working fails the tests.

use std::path::Path;

use crate::cmd::{self, Result, command};

/// One marked code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The deployment it belongs to: `proxy-root` for ```` ```sh deploy:proxy-root ````.
    pub name: String,
    /// The block's language (`sh`, `html`, `json`).
    pub lang: String,
    /// Its lines, exactly as in the README.
    pub body: String,
}

/// The marked blocks of `readme`, in order.
pub fn parse(readme: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for line in readme.lines() {
        match open.as_mut() {
            Some(_) if line.trim_end() == "```" => {
                blocks.extend(open.take().filter(|b| !b.name.is_empty()));
            }
            Some(block) => {
                block.body.push_str(line);
                block.body.push('\n');
            }
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    let mut words = info.split_whitespace();
                    let lang = words.next().unwrap_or_default().to_string();
                    let name = words
                        .find_map(|w| w.strip_prefix("deploy:"))
                        .unwrap_or_default()
                        .to_string();
                    open = Some(Block {
                        name,
                        lang,
                        body: String::new(),
                    });
                }
            }
        }
    }
    blocks
}

/// The marked blocks of the repository's README.md.
pub fn read() -> Result<Vec<Block>> {
    let path = cmd::root().join("README.md");
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    Ok(parse(&text))
}

/// The one block named `name`, which must be in language `lang` (what the tests do with it).
pub fn find<'a>(blocks: &'a [Block], name: &str, lang: &str) -> Result<&'a Block> {
    let mut named = blocks.iter().filter(|b| b.name == name);
    match (named.next(), named.next()) {
        (Some(block), None) if block.lang == lang => Ok(block),
        (Some(block), None) => Err(format!(
            "README.md's deploy:{name} block is ```{}, but the end-to-end tests run it as ```{lang}",
            block.lang
        )),
        (None, _) => Err(format!(
            "README.md has no ```… deploy:{name} block, which the end-to-end tests run; put the marker back on that deployment's commands"
        )),
        (Some(_), Some(_)) => Err(format!(
            "README.md has two deploy:{name} blocks; the end-to-end tests run exactly one"
        )),
    }
}

/// The lines that are commands: without blank lines, and without comments after `#`.
fn commands(block: &Block) -> Vec<&str> {
    block
        .body
        .lines()
        .map(|line| line.split(" #").next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

/// What the README calls the release proxy; the tests run their debug build in its place.
pub const README_BINARY: &str = "target/server/userdeck";

/// The shell command of a block that starts one proxy: its single line, with `binary` for
/// [`README_BINARY`]. It runs in the repository root with `sh -c`, the variables it uses set.
pub fn server_command(block: &Block, binary: &Path) -> Result<String> {
    let lines = commands(block);
    let [line] = lines.as_slice() else {
        return Err(format!(
            "README.md's deploy:{} block should be the one command that starts the proxy, not {} lines",
            block.name,
            lines.len()
        ));
    };
    let rest = line.strip_prefix(README_BINARY).ok_or_else(|| {
        format!(
            "README.md's deploy:{} block should start with {README_BINARY}",
            block.name
        )
    })?;
    if rest.contains([';', '&', '|', '`', '>', '<']) {
        return Err(format!(
            "README.md's deploy:{} block should be a single command",
            block.name
        ));
    }
    Ok(format!("exec '{}'{rest}", binary.display()))
}

/// `text` with `from` replaced by `to`, failing when the README no longer has `from`.
fn substitute(block: &Block, text: &str, from: &str, to: &str) -> Result<String> {
    if !text.contains(from) {
        return Err(format!(
            "README.md's deploy:{} block no longer contains `{from}`, which the end-to-end tests replace; update both",
            block.name
        ));
    }
    Ok(text.replace(from, to))
}

/// The example console address of the embed block.
pub const EMBED_CONSOLE: &str = "https://userdeck.example.com/admin/";

/// The portal page the embed tests open: `template` (tests/e2e/embed-host/host.html) with the
/// README's copy-paste example in place of its marker, for the console at `console_base`.
pub fn embed_page(template: &str, block: &Block, console_base: &str) -> Result<String> {
    const MARKER: &str = "<!-- README deploy:embed -->";
    let example = substitute(block, &block.body, EMBED_CONSOLE, console_base)?;
    if !template.contains(MARKER) {
        return Err(format!("the embed host page has no `{MARKER}`"));
    }
    Ok(template.replace(MARKER, example.trim_end()))
}

/// The direct-mode `config.json` of the README with its example provider addresses replaced by
/// the simulator's.
pub fn direct_config(block: &Block, simulator: &str) -> Result<String> {
    let text = substitute(
        block,
        &block.body,
        "https://api-sandbox.rebilly.com",
        &format!("{simulator}/rebilly"),
    )?;
    substitute(
        block,
        &text,
        "https://api.pngme.com",
        &format!("{simulator}/pngme"),
    )
}

/// Whether the Debian package `name` is installed.
fn installed(name: &str) -> bool {
    cmd::output(command("dpkg-query", &["-W", "-f=${Status}", name]))
        .is_some_and(|status| status.ends_with("install ok installed"))
}

/// Runs the nginx block with `/` mapped to `scratch` and without `sudo`: the packages of its
/// `apt-get install` must be installed (`cargo xtask setup` installs them), its `mkdir` and `cp`
/// lines run as written on the mapped paths, and its closing `nginx -t && nginx -s reload` is
/// left to the caller, which starts its own nginx on the copied files. `/etc/nginx/conf.d`
/// exists beforehand, as Debian's package makes it.
pub fn run_nginx_block(block: &Block, scratch: &Path) -> Result {
    let mapped = |arg: &str| {
        if arg.starts_with('/') {
            format!("{}{arg}", scratch.display())
        } else {
            arg.to_string()
        }
    };
    let conf_d = scratch.join("etc").join("nginx").join("conf.d");
    std::fs::create_dir_all(&conf_d)
        .map_err(|err| format!("cannot create {}: {err}", conf_d.display()))?;
    let mut reloaded = false;
    for line in commands(block) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["sudo", "apt-get", "install", "-y", packages @ ..] => {
                let missing: Vec<&str> =
                    packages.iter().copied().filter(|p| !installed(p)).collect();
                if !missing.is_empty() {
                    return Err(format!(
                        "README.md's nginx deployment installs {}, which is not installed; run cargo xtask setup as root",
                        missing.join(", ")
                    ));
                }
            }
            ["sudo", program @ ("mkdir" | "cp"), args @ ..] => {
                let args: Vec<String> = args.iter().map(|a| mapped(a)).collect();
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                cmd::run(command(program, &args))?;
            }
            ["sudo", "nginx", "-t", "&&", "sudo", "nginx", "-s", "reload"] => reloaded = true,
            _ => {
                return Err(format!(
                    "README.md's deploy:{} block has a line the end-to-end test cannot run: `{line}`",
                    block.name
                ));
            }
        }
    }
    if reloaded {
        Ok(())
    } else {
        Err(format!(
            "README.md's deploy:{} block should end by testing and reloading nginx",
            block.name
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "text\n```sh deploy:one\na --b \"$C\"   # note\n\n```\n\
        ```sh\nunmarked\n```\n```html deploy:two\n<p>x</p>\n```\n";

    #[test]
    fn marked_blocks_are_found_with_their_lines() {
        let blocks = parse(SAMPLE);
        assert_eq!(
            blocks,
            [
                Block {
                    name: "one".into(),
                    lang: "sh".into(),
                    body: "a --b \"$C\"   # note\n\n".into()
                },
                Block {
                    name: "two".into(),
                    lang: "html".into(),
                    body: "<p>x</p>\n".into()
                },
            ]
        );
        assert_eq!(commands(&blocks[0]), ["a --b \"$C\""]);
        assert!(find(&blocks, "three", "sh").is_err());
        assert!(find(&blocks, "two", "sh").is_err());
        assert_eq!(find(&blocks, "two", "html"), Ok(&blocks[1]));
    }

    #[test]
    fn a_server_block_is_one_command_of_the_release_binary() {
        let block = |body: &str| Block {
            name: "x".into(),
            lang: "sh".into(),
            body: body.into(),
        };
        let binary = Path::new("/t/debug/userdeck");
        assert_eq!(
            server_command(
                &block("target/server/userdeck --demo --listen \"$LISTEN\"\n"),
                binary
            )
            .as_deref(),
            Ok("exec '/t/debug/userdeck' --demo --listen \"$LISTEN\"")
        );
        for wrong in [
            "userdeck --demo\n",
            "target/server/userdeck --demo; rm -rf x\n",
            "target/server/userdeck --demo\ntarget/server/userdeck --demo\n",
        ] {
            assert!(server_command(&block(wrong), binary).is_err(), "{wrong}");
        }
    }

    /// Every deployment the README describes has its marked block, in the form the end-to-end
    /// stage runs, so a README edit that drops one fails here first.
    #[test]
    fn the_readme_marks_every_deployment() {
        let blocks = read().expect("README.md is in the repository");
        let binary = Path::new("userdeck");
        for name in ["proxy-root", "proxy-subpath", "proxy-demo"] {
            let block = find(&blocks, name, "sh").expect("marked");
            server_command(block, binary).expect("one proxy command");
        }
        let embed = find(&blocks, "embed", "html").expect("marked");
        let page = embed_page("<!-- README deploy:embed -->", embed, "http://127.0.0.1:1/");
        assert!(page.expect("page").contains("http://127.0.0.1:1/embed.js"));
        let direct = find(&blocks, "direct", "json").expect("marked");
        let config = direct_config(direct, "http://127.0.0.1:1").expect("config");
        assert!(config.contains("http://127.0.0.1:1/pngme"), "{config}");
        find(&blocks, "nginx", "sh").expect("marked");
    }
}
