//! The suite's results: one row per budget, with both absolute figures and the ratio, printed
//! as one Markdown table (the README's Performance section is a copy of it).

use std::collections::BTreeMap;

/// One budgeted comparison.
pub struct Row {
    /// What is compared, e.g. `engine: first query`.
    pub benchmark: String,
    /// Userdeck's figure, with its unit.
    pub userdeck: String,
    /// The peer's name and figure, or `-` for an absolute budget.
    pub peer: String,
    /// How the two compare, e.g. `4.2x faster`.
    pub ratio: String,
    /// The budget, in words.
    pub budget: String,
    /// Whether the budget holds.
    pub pass: bool,
}

impl Row {
    /// A row whose budget is a ratio of two medians.
    pub fn ratio(
        benchmark: &str,
        (userdeck, peer): (String, String),
        ratio: String,
        budget: &str,
        pass: bool,
    ) -> Self {
        Self {
            benchmark: benchmark.to_string(),
            userdeck,
            peer,
            ratio,
            budget: budget.to_string(),
            pass,
        }
    }
}

/// The median of `values`, the figure every benchmark reports (robust to the odd slow run on a
/// shared machine). `None` for no values.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    })
}

/// Milliseconds with a precision that suits their size.
pub fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0} ms")
    } else {
        format!("{value:.1} ms")
    }
}

/// The suite's table in Markdown.
pub fn table(rows: &[Row]) -> String {
    let mut text = String::from(
        "| benchmark | Userdeck | peer | ratio | budget | result |\n|---|---|---|---|---|---|\n",
    );
    for row in rows {
        text.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            row.benchmark,
            row.userdeck,
            row.peer,
            row.ratio,
            row.budget,
            if row.pass { "pass" } else { "**FAIL**" }
        ));
    }
    text
}

/// What a browser harness printed: samples by benchmark and side, notes, and disagreements
/// between the sides (which make a comparison meaningless).
#[derive(Default)]
pub struct Samples {
    /// Milliseconds by `(benchmark, side)`.
    pub values: BTreeMap<(String, String), Vec<f64>>,
    /// Lines for the person reading the log.
    pub notes: Vec<String>,
    /// The sides computed different results.
    pub mismatches: Vec<String>,
}

impl Samples {
    /// Reads the harness protocol (`sample <benchmark> <side> <ms>`, `note …`, `mismatch …`);
    /// other lines are ignored.
    pub fn parse(output: &str) -> Self {
        let mut samples = Samples::default();
        for line in output.lines() {
            if let Some(rest) = line.strip_prefix("sample ") {
                let mut parts = rest.split_whitespace();
                if let (Some(bench), Some(side), Some(Ok(value))) = (
                    parts.next(),
                    parts.next(),
                    parts.next().map(str::parse::<f64>),
                ) {
                    samples
                        .values
                        .entry((bench.to_string(), side.to_string()))
                        .or_default()
                        .push(value);
                }
            } else if let Some(rest) = line.strip_prefix("note ") {
                samples.notes.push(rest.to_string());
            } else if let Some(rest) = line.strip_prefix("mismatch ") {
                samples.mismatches.push(rest.to_string());
            }
        }
        samples
    }

    /// Refuses a run whose sides disagreed: its timings compare different work. `what` names
    /// the benchmark in the sentence ("the engine benchmark is invalid: …").
    pub fn agreed(&self, what: &str) -> Result<(), String> {
        if self.mismatches.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the {what} benchmark is invalid: {}",
                self.mismatches.join("; ")
            ))
        }
    }

    /// The samples of one side of one benchmark.
    pub fn of(&self, bench: &str, side: &str) -> &[f64] {
        self.values
            .get(&(bench.to_string(), side.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// The median of one side of one benchmark, or an error that names what is missing.
    pub fn median(&self, bench: &str, side: &str, runs: usize) -> Result<f64, String> {
        let values = self.of(bench, side);
        if values.len() < runs {
            return Err(format!(
                "the {bench} benchmark produced {} samples for {side}, fewer than the {runs} runs asked",
                values.len()
            ));
        }
        median(values).ok_or_else(|| format!("no {bench} samples for {side}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN]), None);
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn the_protocol_keeps_samples_by_side() {
        let samples = Samples::parse(
            "sample engine-first userdeck 10.5\nnoise\nsample engine-first tanstack 90\n\
             sample engine-first userdeck 11.5\nnote hello there\nmismatch counts differ\n\
             sample broken userdeck x\n",
        );
        assert_eq!(samples.of("engine-first", "userdeck"), &[10.5, 11.5]);
        assert_eq!(samples.median("engine-first", "userdeck", 2), Ok(11.0));
        assert!(samples.median("engine-first", "tanstack", 2).is_err());
        assert!(samples.of("broken", "userdeck").is_empty());
        assert_eq!(samples.notes, ["hello there"]);
        assert_eq!(samples.mismatches, ["counts differ"]);
        assert_eq!(
            samples.agreed("engine"),
            Err("the engine benchmark is invalid: counts differ".to_string())
        );
        assert_eq!(Samples::parse("sample a b 1").agreed("engine"), Ok(()));
    }

    #[test]
    fn a_failed_budget_is_marked() {
        let row = Row::ratio(
            "x",
            ("1 ms".into(), "y 2 ms".into()),
            "2.0x".into(),
            ">= 10x",
            false,
        );
        assert!(table(&[row]).contains("| x | 1 ms | y 2 ms | 2.0x | >= 10x | **FAIL** |"));
    }
}
