//! `cargo xtask fuzz [target] [--seconds N]`: coverage-guided fuzzing with AFL++ through
//! cargo-afl, the fuzzer that works on the fixed stable toolchain (cargo-fuzz and bolero's
//! libFuzzer engine need nightly sanitizer flags). It installs cargo-afl from crates.io, which
//! builds AFL++ from the source it ships with the C compiler and make. Targets run one at a
//! time, because the machine's cores are shared; each fails the task if it saved a crash or an
//! input that ran over a second. Not part of `cargo xtask test`: a run takes minutes per target.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cmd::{self, Result, command, output, step};
use crate::fuzz_seeds;

/// The cargo-afl release whose `afl` crate version `fuzz/Cargo.lock` pins; the two must match.
const CARGO_AFL_VERSION: &str = "0.18.2";
/// What each target gets when no `--seconds` is given.
const DEFAULT_SECONDS: u64 = 600;
/// An input that takes longer than this is a hang.
const TIMEOUT_MS: &str = "1000";

/// Every fuzz target, in the order a full run takes them.
pub const TARGETS: [&str; 8] = [
    "pressone",
    "pngme",
    "nameshield",
    "rebilly",
    "activeplatform",
    "url_state",
    "proxy_toml",
    "rebilly_filter",
];

/// What one target's run reached, from AFL's `fuzzer_stats`.
struct Outcome {
    target: &'static str,
    stats: BTreeMap<String, String>,
    findings: Vec<PathBuf>,
}

impl Outcome {
    fn stat(&self, key: &str) -> &str {
        self.stats.get(key).map_or("?", String::as_str)
    }

    fn line(&self) -> String {
        format!(
            "{}: {} execs in {} s ({}/s), {} of {} edges ({}), corpus {}, crashes {}, hangs {}",
            self.target,
            self.stat("execs_done"),
            self.stat("run_time"),
            self.stat("execs_per_sec"),
            self.stat("edges_found"),
            self.stat("total_edges"),
            self.stat("bitmap_cvg"),
            self.stat("corpus_count"),
            self.stat("saved_crashes"),
            self.stat("saved_hangs"),
        )
    }
}

/// Reads the arguments, then installs, builds and runs the chosen targets.
pub fn run(args: &[String]) -> Result {
    let (targets, seconds) = parse_args(args)?;
    install()?;
    let work = cmd::target_dir().join("fuzz");
    let binary = build(&work)?;
    let mut outcomes = Vec::new();
    for target in targets {
        outcomes.push(fuzz(&binary, &work, target, seconds)?);
    }
    step("fuzz summary");
    for outcome in &outcomes {
        println!("{}", outcome.line());
    }
    let findings: Vec<String> = outcomes
        .iter()
        .flat_map(|o| o.findings.iter())
        .map(|p| p.display().to_string())
        .collect();
    if findings.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the fuzzer saved {} crashing or hanging inputs; replay each with `{} <target> < FILE`, \
             fix the cause and add the input as a unit test:\n{}",
            findings.len(),
            binary.display(),
            findings.join("\n")
        ))
    }
}

fn parse_args(args: &[String]) -> Result<(Vec<&'static str>, u64)> {
    let mut targets = Vec::new();
    let mut seconds = DEFAULT_SECONDS;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--seconds" {
            seconds = rest
                .next()
                .and_then(|s| s.parse().ok())
                .filter(|s| *s > 0)
                .ok_or("--seconds needs a whole number of seconds above 0")?;
        } else if let Some(target) = TARGETS.iter().find(|t| *t == arg) {
            targets.push(*target);
        } else {
            return Err(format!(
                "`{arg}` is not a fuzz target; choose one of {} or give none to run them all",
                TARGETS.join(", ")
            ));
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    Ok((targets, seconds))
}

/// Installs cargo-afl at the pinned version unless it is there; installing it builds AFL++.
fn install() -> Result {
    step(&format!("cargo-afl {CARGO_AFL_VERSION}"));
    let found = output(command("cargo", &["afl", "--version"]));
    // It answers `cargo-afl 0.18.2 (AFL++ version 4.40c)`.
    let wanted = format!("cargo-afl {CARGO_AFL_VERSION} ");
    if found.as_deref().is_some_and(|f| f.starts_with(&wanted)) {
        println!("already installed");
    } else {
        println!("found {found:?}; installing (a few minutes: it builds AFL++ from source)");
        cmd::run(command(
            "cargo",
            &[
                "install",
                "cargo-afl",
                "--version",
                CARGO_AFL_VERSION,
                "--locked",
            ],
        ))?;
    }
    // Builds AFL++ for this toolchain when the install did not; refuses, harmlessly, when
    // it is built already.
    let config = command("cargo", &["afl", "config", "--build"])
        .output()
        .map_err(|err| format!("could not start `cargo afl config --build`: {err}"))?;
    let said = String::from_utf8_lossy(&config.stderr);
    if config.status.success() || said.contains("already built") {
        Ok(())
    } else {
        Err(format!(
            "cargo-afl could not build AFL++ (it needs a C compiler and make): {}",
            said.trim()
        ))
    }
}

/// Builds the instrumented fuzz binary in its own target folder, so that the workspace's
/// uninstrumented builds are never replaced by it.
fn build(work: &Path) -> Result<PathBuf> {
    step("build the instrumented fuzz binary");
    let build_dir = work.join("build");
    let mut build = command(
        "cargo",
        &[
            "afl",
            "build",
            "--release",
            "--manifest-path",
            "fuzz/Cargo.toml",
            "--locked",
        ],
    );
    build.env("CARGO_TARGET_DIR", &build_dir);
    cmd::run(build)?;
    let binary = build_dir.join("release").join("userdeck-fuzz");
    let listed = output(command(&binary.to_string_lossy(), &["--list"])).unwrap_or_default();
    if listed.lines().collect::<Vec<_>>() != TARGETS {
        return Err(format!(
            "the fuzz binary lists the targets [{}], but xtask knows [{}]; update TARGETS in xtask/src/fuzz.rs",
            listed.lines().collect::<Vec<_>>().join(", "),
            TARGETS.join(", ")
        ));
    }
    Ok(binary)
}

/// Runs one target for `seconds`, seeded from the fixtures on its first run and resuming its
/// corpus afterwards.
fn fuzz(binary: &Path, work: &Path, target: &'static str, seconds: u64) -> Result<Outcome> {
    step(&format!("fuzz {target} for {seconds} s"));
    let seeds = work.join("seeds").join(target);
    fuzz_seeds::write(target, &seeds)?;
    let out = work.join("out").join(target);
    let seconds = seconds.to_string();
    let (seeds, out, binary) = (
        seeds.to_string_lossy().into_owned(),
        out_dir(&out)?,
        binary.to_string_lossy().into_owned(),
    );
    let mut afl = command(
        "cargo",
        &[
            "afl", "fuzz", "-i", &seeds, "-o", &out, "-t", TIMEOUT_MS, "-m", "none", "-V",
            &seconds, "--", &binary, target,
        ],
    );
    // A panic aborts at once: a backtrace would make every crash look like a hang too.
    afl.env("RUST_BACKTRACE", "0")
        .env("AFL_NO_UI", "1")
        .env("AFL_AUTORESUME", "1")
        .env("AFL_NO_AFFINITY", "1")
        .env("AFL_SKIP_CPUFREQ", "1")
        .env("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1");
    cmd::run(afl)?;
    let instance = Path::new(&out).join("default");
    let stats = read_stats(&instance.join("fuzzer_stats"))?;
    let mut findings = saved(&instance.join("crashes"))?;
    findings.extend(saved(&instance.join("hangs"))?);
    let outcome = Outcome {
        target,
        stats,
        findings,
    };
    println!("{}", outcome.line());
    Ok(outcome)
}

fn out_dir(out: &Path) -> Result<String> {
    std::fs::create_dir_all(out).map_err(|err| {
        format!(
            "cannot create the fuzz output folder {}: {err}",
            out.display()
        )
    })?;
    Ok(out.to_string_lossy().into_owned())
}

fn read_stats(path: &Path) -> Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("AFL ended without writing {}: {err}", path.display()))?;
    Ok(parse_stats(&text))
}

/// AFL's `key : value` lines.
fn parse_stats(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The inputs AFL kept in a crashes or hangs folder (it also writes a README there).
fn saved(dir: &Path) -> Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| format!("cannot list {}: {err}", dir.display()))?;
        if entry.file_name().to_string_lossy().starts_with("id:") {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn arguments_pick_targets_and_seconds() {
        assert_eq!(parse_args(&[]).expect("valid"), (TARGETS.to_vec(), 600));
        assert_eq!(
            parse_args(&strings(&["url_state", "--seconds", "30", "rebilly"])).expect("valid"),
            (vec!["url_state", "rebilly"], 30)
        );
        assert!(parse_args(&strings(&["nope"])).is_err());
        assert!(parse_args(&strings(&["--seconds", "0"])).is_err());
        assert!(parse_args(&strings(&["--seconds"])).is_err());
    }

    #[test]
    fn reads_afl_stats() {
        let stats = parse_stats("execs_done        : 1234\nbitmap_cvg        : 1.50%\n");
        assert_eq!(stats.get("execs_done").map(String::as_str), Some("1234"));
        assert_eq!(stats.get("bitmap_cvg").map(String::as_str), Some("1.50%"));
    }
}
