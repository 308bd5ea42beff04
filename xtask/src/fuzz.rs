//! `cargo xtask fuzz [target] [--seconds N]`: coverage-guided fuzzing with AFL++ through
//! cargo-afl, the fuzzer that works on the fixed stable toolchain (cargo-fuzz and bolero's
//! libFuzzer engine need nightly sanitizer flags). It installs cargo-afl from crates.io, which
//! builds AFL++ from the source it ships with the C compiler and make. Targets run one at a
//! time, because the machine's cores are shared; each fails the task if it saved a crash or an
//! input that ran over a second. After each target, and with `--report` alone, the figures of
//! every target's last run go to `artifacts/fuzz-summary.md` as a table. Not part of
//! `cargo xtask test`: a run takes minutes per target.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cmd::{self, Result, command, output, root, step};
use crate::fuzz_seeds;
use userdeck_providers::Timestamp;

/// The cargo-afl release whose `afl` crate version `fuzz/Cargo.lock` pins; the two must match.
const CARGO_AFL_VERSION: &str = "0.18.2";
/// What each target gets when no `--seconds` is given.
const DEFAULT_SECONDS: u64 = 600;
/// An input that takes longer than this is a hang.
const TIMEOUT_MS: &str = "1000";

/// Every fuzz target, in the order a full run takes them.
pub const TARGETS: [&str; 9] = [
    "pressone",
    "pngme",
    "nameshield",
    "rebilly",
    "activeplatform",
    "url_state",
    "proxy_toml",
    "rebilly_filter",
    "console_config",
];

/// What one target's run reached, from AFL's `fuzzer_stats`.
struct Outcome {
    target: &'static str,
    stats: BTreeMap<String, String>,
    findings: Vec<PathBuf>,
}

/// The columns of the summary table, with the `fuzzer_stats` key each is read from. AFL keeps
/// these across a resumed run, so they count every run into the same output folder.
const COLUMNS: [(&str, &str); 10] = [
    ("started (UTC)", "start_time"),
    ("seconds", "run_time"),
    ("execs", "execs_done"),
    ("execs/s", "execs_per_sec"),
    ("edges found", "edges_found"),
    ("edges in map", "total_edges"),
    ("bitmap", "bitmap_cvg"),
    ("corpus", "corpus_count"),
    ("crashes", "saved_crashes"),
    ("hangs > 1 s", "saved_hangs"),
];

impl Outcome {
    /// Reads the outcome of `target`'s last run from its output folder, if it has run.
    fn read(work: &Path, target: &'static str) -> Result<Option<Outcome>> {
        let instance = work.join("out").join(target).join("default");
        let stats_file = instance.join("fuzzer_stats");
        if !stats_file.exists() {
            return Ok(None);
        }
        let stats = read_stats(&stats_file)?;
        let mut findings = saved(&instance.join("crashes"))?;
        findings.extend(saved(&instance.join("hangs"))?);
        Ok(Some(Outcome {
            target,
            stats,
            findings,
        }))
    }

    fn stat(&self, key: &str) -> String {
        let value = self.stats.get(key).map_or("?", String::as_str);
        if key == "start_time" {
            value.parse().map_or_else(|_| value.to_string(), utc_minute)
        } else {
            value.to_string()
        }
    }

    fn line(&self) -> String {
        let figures: Vec<String> = COLUMNS
            .iter()
            .map(|(name, key)| format!("{name} {}", self.stat(key)))
            .collect();
        format!("{}: {}", self.target, figures.join(", "))
    }

    fn row(&self) -> String {
        let cells: Vec<String> = COLUMNS.iter().map(|(_, key)| self.stat(key)).collect();
        format!("| {} | {} |", self.target, cells.join(" | "))
    }
}

/// The summary of every target that has an output folder, as a Markdown table.
fn summary(outcomes: &[Outcome]) -> String {
    let names: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
    let mut table = format!(
        "| target | {} |\n|---|{}\n",
        names.join(" | "),
        "---:|".repeat(COLUMNS.len())
    );
    for outcome in outcomes {
        table.push_str(&outcome.row());
        table.push('\n');
    }
    table
}

/// Reads every target's last run and writes the table to `artifacts/fuzz-summary.md`, so the
/// figures survive the terminal and an interrupted run still leaves those it reached.
fn write_summary(work: &Path) -> Result<(PathBuf, String)> {
    let mut outcomes = Vec::new();
    for target in TARGETS {
        outcomes.extend(Outcome::read(work, target)?);
    }
    let table = summary(&outcomes);
    let path = root().join("artifacts").join("fuzz-summary.md");
    let text = format!(
        "# cargo xtask fuzz\n\nAFL++ `fuzzer_stats` of each target's last run in {}; a resumed \
         run adds to the figures of the runs before it.\n\n{table}",
        work.join("out").display()
    );
    std::fs::create_dir_all(root().join("artifacts"))
        .and_then(|()| std::fs::write(&path, text))
        .map_err(|err| format!("cannot write the fuzz summary {}: {err}", path.display()))?;
    Ok((path, table))
}

/// `YYYY-MM-DD HH:MM` (UTC) of a Unix time, for the table; the number itself when it is
/// beyond the calendar.
fn utc_minute(seconds: i64) -> String {
    match Timestamp::from_second(seconds) {
        Some(at) => {
            let t = at.to_datetime(0);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute()
            )
        }
        None => seconds.to_string(),
    }
}

/// Reads the arguments, then installs, builds and runs the chosen targets, or with `--report`
/// only writes the summary of the runs already made.
pub fn run(args: &[String]) -> Result {
    let (targets, seconds, report_only) = parse_args(args)?;
    let work = cmd::target_dir().join("fuzz");
    if !report_only {
        install()?;
        let binary = build(&work)?;
        for &target in &targets {
            fuzz(&binary, &work, target, seconds)?;
            write_summary(&work)?;
        }
    }
    step("fuzz summary");
    let (path, table) = write_summary(&work)?;
    print!("{table}");
    println!("written to {}", path.display());
    let mut findings = Vec::new();
    for target in targets {
        if let Some(outcome) = Outcome::read(&work, target)? {
            findings.extend(outcome.findings.iter().map(|p| p.display().to_string()));
        }
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the fuzzer saved {} crashing or hanging inputs; replay each with `{} <target> < FILE`, \
             fix the cause and add the input as a unit test:\n{}",
            findings.len(),
            work.join("build/release/userdeck-fuzz").display(),
            findings.join("\n")
        ))
    }
}

fn parse_args(args: &[String]) -> Result<(Vec<&'static str>, u64, bool)> {
    let mut targets = Vec::new();
    let mut seconds = DEFAULT_SECONDS;
    let mut report_only = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--report" {
            report_only = true;
        } else if arg == "--seconds" {
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
    Ok((targets, seconds, report_only))
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
fn fuzz(binary: &Path, work: &Path, target: &'static str, seconds: u64) -> Result {
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
    let outcome = Outcome::read(work, target)?
        .ok_or_else(|| format!("AFL ended without writing the stats of {target}"))?;
    println!("{}", outcome.line());
    Ok(())
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
        .map_err(|err| format!("cannot read AFL's stats {}: {err}", path.display()))?;
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
        assert_eq!(
            parse_args(&[]).expect("valid"),
            (TARGETS.to_vec(), 600, false)
        );
        assert_eq!(
            parse_args(&strings(&["url_state", "--seconds", "30", "rebilly"])).expect("valid"),
            (vec!["url_state", "rebilly"], 30, false)
        );
        assert!(parse_args(&strings(&["--report"])).expect("valid").2);
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

    #[test]
    fn summary_is_one_row_per_target_with_every_column() {
        let outcome = Outcome {
            target: "url_state",
            stats: parse_stats(
                "start_time : 1796130317\nrun_time : 600\nexecs_done : 3232273\n\
                 execs_per_sec : 5387.12\nedges_found : 812\ntotal_edges : 65536\n\
                 bitmap_cvg : 1.24%\ncorpus_count : 431\nsaved_crashes : 0\nsaved_hangs : 0\n",
            ),
            findings: Vec::new(),
        };
        let table = summary(&[outcome]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[2],
            "| url_state | 2026-12-01 13:05 | 600 | 3232273 | 5387.12 | 812 | 65536 | 1.24% | 431 | 0 | 0 |"
        );
        assert_eq!(lines[0].matches('|').count(), lines[2].matches('|').count());
        assert_eq!(lines[1].matches('|').count(), lines[2].matches('|').count());
    }

    #[test]
    fn unix_times_read_as_utc() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00");
        assert_eq!(utc_minute(951_782_400), "2000-02-29 00:00");
        assert_eq!(utc_minute(1_796_130_317), "2026-12-01 13:05");
    }
}
