//! Turns one benchmark run into the tables of BENCHMARKS.md: reads criterion's estimates under
//! `target/criterion` and the facts the benchmarks wrote beside them
//! (`target/criterion/evpattern-report/*.jsonl`: event counts, compile time and memory,
//! agreement with the reference matcher), and prints Markdown.
//!
//! ```text
//! cargo bench && cargo run --release --example bench_report > tables.md
//! ```
//!
//! Times are criterion's median per batch; events/s and MB/s (10^6 bytes) are derived from it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Median nanoseconds per batch, by (group, function, parameter).
type Estimates = BTreeMap<(String, String, String), f64>;

fn find_benchmarks(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            find_benchmarks(&path, found);
        } else if path.ends_with("new/benchmark.json") {
            found.push(path);
        }
    }
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

fn estimates(root: &Path) -> Estimates {
    let mut files = Vec::new();
    find_benchmarks(root, &mut files);
    let mut out = Estimates::new();
    for file in files {
        let (Some(bench), Some(est)) = (
            read_json(&file),
            read_json(&file.with_file_name("estimates.json")),
        ) else {
            continue;
        };
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let key = (
            text(&bench["group_id"]),
            text(&bench["function_id"]),
            text(&bench["value_str"]),
        );
        if let Some(ns) = est["median"]["point_estimate"].as_f64() {
            out.insert(key, ns);
        }
    }
    out
}

fn facts(root: &Path, bench: &str) -> Vec<Value> {
    std::fs::read_to_string(root.join("evpattern-report").join(format!("{bench}.jsonl")))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn find(facts: &[Value], pred: impl Fn(&Value) -> bool) -> Option<&Value> {
    facts.iter().find(|f| pred(f))
}

fn human(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.2} M", per_second / 1e6)
    } else if per_second >= 1e3 {
        format!("{:.1} k", per_second / 1e3)
    } else {
        format!("{per_second:.0}")
    }
}

fn mb(bytes: f64) -> String {
    format!("{:.1}", bytes / 1e6)
}

fn categories(est: &Estimates, facts: &[Value]) {
    println!("| data set | category | rules | evpattern ev/s | evpattern MB/s | quamina ev/s | quamina+validation ev/s | reference ev/s | floor ev/s | evpattern ÷ quamina | evpattern ÷ quamina+validation | evpattern time ÷ floor time | events disagreeing with reference (evpattern / quamina) |");
    println!(
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    for f in facts.iter().filter(|f| f.get("category").is_some()) {
        let group = f["group"].as_str().unwrap_or_default();
        let events = f["events"].as_f64().unwrap_or(0.0);
        let bytes = f["bytes"].as_f64().unwrap_or(0.0);
        let ns = |engine: &str| {
            est.get(&(group.to_owned(), engine.to_owned(), String::new()))
                .copied()
        };
        let eps = |engine: &str| ns(engine).map(|t| events / (t * 1e-9));
        let cell = |engine: &str| {
            eps(engine).map_or_else(
                || {
                    if find(facts, |x| {
                        x["group"] == group
                            && x["engine"] == engine
                            && x.get("unsupported").is_some()
                    })
                    .is_some()
                    {
                        "unsupported".to_owned()
                    } else {
                        "–".to_owned()
                    }
                },
                human,
            )
        };
        let disagree = |engine: &str| {
            find(facts, |x| {
                x["group"] == group && x["engine"] == engine && x.get("disagreements").is_some()
            })
            .and_then(|x| x["disagreements"].as_u64())
            .map_or("–".to_owned(), |n| n.to_string())
        };
        let ratio_q = match (ns("evpattern"), ns("quamina")) {
            (Some(e), Some(q)) => format!("{:.2}×", q / e),
            _ => "–".to_owned(),
        };
        let ratio_qv = match (ns("evpattern"), ns("quamina+validation")) {
            (Some(e), Some(q)) => format!("{:.2}×", q / e),
            _ => "–".to_owned(),
        };
        let ratio_floor = match (ns("evpattern"), ns("floor")) {
            (Some(e), Some(fl)) => format!("{:.2}", e / fl),
            _ => "–".to_owned(),
        };
        let mbs = ns("evpattern").map_or("–".to_owned(), |t| {
            format!("{:.0}", bytes / (t * 1e-9) / 1e6)
        });
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |",
            f["dataset"].as_str().unwrap_or_default(),
            f["category"].as_str().unwrap_or_default(),
            f["rules"],
            cell("evpattern"),
            mbs,
            cell("quamina"),
            cell("quamina+validation"),
            cell("reference"),
            cell("floor"),
            ratio_q,
            ratio_qv,
            ratio_floor,
            disagree("evpattern"),
            disagree("quamina"),
        );
    }
}

fn scaling(est: &Estimates, facts: &[Value]) {
    println!("| kind | rules | evpattern ev/s | quamina ev/s | evpattern ÷ quamina | evpattern compile ms | evpattern heap MB (retained / peak / stats()) | quamina compile ms | quamina heap MB (retained / peak / matcher_stats()) | disagreements |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for f in facts.iter().filter(|f| f.get("events").is_some()) {
        let group = f["group"].as_str().unwrap_or_default();
        let rules = f["rules"].as_u64().unwrap_or(0);
        let events = f["events"].as_f64().unwrap_or(0.0);
        let ns = |engine: &str| {
            est.get(&(group.to_owned(), engine.to_owned(), rules.to_string()))
                .copied()
        };
        let eps =
            |engine: &str| ns(engine).map_or("–".to_owned(), |t| human(events / (t * 1e-9)));
        let build = |engine: &str| {
            find(facts, |x| {
                x["group"] == group && x["rules"] == rules && x["engine"] == engine
            })
            .map_or(("–".to_owned(), "–".to_owned()), |x| {
                (
                    format!("{:.1}", x["compile_s"].as_f64().unwrap_or(0.0) * 1e3),
                    format!(
                        "{} / {} / {}",
                        mb(x["retained"].as_f64().unwrap_or(0.0)),
                        mb(x["peak"].as_f64().unwrap_or(0.0)),
                        mb(x["reported_bytes"].as_f64().unwrap_or(0.0))
                    ),
                )
            })
        };
        let ratio = match (ns("evpattern"), ns("quamina")) {
            (Some(e), Some(q)) => format!("{:.2}×", q / e),
            _ => "–".to_owned(),
        };
        let (ev_ms, ev_mem) = build("evpattern");
        let (q_ms, q_mem) = build("quamina");
        let disagreements = find(facts, |x| {
            x["group"] == group && x["rules"] == rules && x.get("disagreements").is_some()
        })
        .map_or("–".to_owned(), |x| x["disagreements"].to_string());
        println!(
            "| {} | {rules} | {} | {} | {ratio} | {ev_ms} | {ev_mem} | {q_ms} | {q_mem} | {disagreements} |",
            group.trim_start_matches("scaling/"),
            eps("evpattern"),
            eps("quamina"),
        );
    }
}

fn main() {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| format!("{}/target", env!("CARGO_MANIFEST_DIR")));
    let root = PathBuf::from(target).join("criterion");
    let est = estimates(&root);
    println!("### Categories\n");
    categories(&est, &facts(&root, "categories"));
    println!("\n### Scaling\n");
    scaling(&est, &facts(&root, "scaling"));
}
