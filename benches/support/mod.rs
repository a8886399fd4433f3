//! What the benchmark binaries share: generated data, rule sets, the engines under test, a
//! counting allocator, run-size decisions, and the side file the report is built from.

#![allow(dead_code)] // each bench binary uses a different part of this module

pub mod alloc;
pub mod datagen;
pub mod engines;
pub mod rulesets;

use std::io::Write as _;
use std::time::Duration;

use criterion::Criterion;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

/// True when criterion only checks that each benchmark runs (`cargo bench -- --test`, or
/// `cargo test --benches`, which runs the binaries without `--bench`): then data sets and rule
/// counts shrink so CI stays fast even in a debug build.
pub fn quick_mode() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--test") || !args.iter().any(|a| a == "--bench")
}

/// `EVPATTERN_BENCH_FULL=1` restores the full sizes even in quick mode (to time a debug build
/// of everything, or to check the largest cases run under `--test`).
pub fn full_sizes() -> bool {
    !quick_mode() || std::env::var("EVPATTERN_BENCH_FULL").is_ok_and(|v| v == "1")
}

/// Events per measured batch.
pub fn batch_size() -> usize {
    if full_sizes() {
        1000
    } else {
        50
    }
}

/// Short runs: the machine is shared and there are many benchmarks. Criterion's statistics still
/// hold with 10 samples over 2 s; rerun with `--measurement-time` for tighter intervals.
pub fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(700))
        .measurement_time(Duration::from_secs(2))
        .sample_size(10)
        .configure_from_args()
}

/// Where the benchmarks leave the facts criterion does not record (event counts, compile time
/// and memory, agreement between engines), one JSON object per line, for `examples/bench_report`.
pub fn report_path(bench: &str) -> std::path::PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| format!("{}/target", env!("CARGO_MANIFEST_DIR")));
    std::path::PathBuf::from(target)
        .join("criterion")
        .join("evpattern-report")
        .join(format!("{bench}.jsonl"))
}

/// Appends facts to a benchmark binary's report side file (truncated by [`start_report`]).
pub struct Report {
    file: Option<std::fs::File>,
}

/// Opens the side file of one benchmark binary afresh.
pub fn start_report(bench: &str) -> Report {
    let path = report_path(bench);
    let file = path
        .parent()
        .and_then(|dir| std::fs::create_dir_all(dir).ok())
        .and_then(|()| std::fs::File::create(&path).ok());
    Report { file }
}

impl Report {
    /// Writes one fact line.
    pub fn record(&mut self, fact: serde_json::Value) {
        if let Some(file) = self.file.as_mut() {
            let _ = writeln!(file, "{fact}");
        }
    }
}

/// Total bytes of a batch.
pub fn total_bytes(events: &[String]) -> u64 {
    events.iter().map(|e| e.len() as u64).sum()
}

/// Compares what two engines matched event by event; returns how many events disagree and
/// describes the first few.
pub fn disagreements(
    events: &[String],
    left: &mut dyn engines::Engine,
    right: &mut dyn engines::Engine,
) -> (usize, Vec<String>) {
    let mut count = 0;
    let mut examples = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let l = left.matching(event.as_bytes());
        let r = right.matching(event.as_bytes());
        if l != r {
            count += 1;
            if examples.len() < 3 {
                examples.push(format!("event {i}: {l:?} vs {r:?}"));
            }
        }
    }
    (count, examples)
}

/// How often each rule matched over the batch.
pub fn per_rule_counts(
    events: &[String],
    engine: &mut dyn engines::Engine,
    rules: usize,
) -> Vec<u64> {
    let mut counts = vec![0u64; rules];
    for event in events {
        for key in engine.matching(event.as_bytes()) {
            if let Some(c) = counts.get_mut(key as usize) {
                *c += 1;
            }
        }
    }
    counts
}
