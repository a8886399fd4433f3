//! Per-category matching throughput: evpattern against the quamina crate, our reference matcher
//! and the JSON-validation floor, on the event-ruler benchmark categories (city lots, five rules
//! each), CIDR, and the SaaSus rule sets.
//!
//! `cargo bench --bench categories` measures; `cargo bench --bench categories -- --test` (or
//! `cargo test --benches`) runs each once on small data. Before measuring, every engine's
//! answers are checked against the reference matcher and the outcome written to the report side
//! file (see `examples/bench_report.rs`).

mod support;

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::json;

use support::engines::{
    self, Engine, Evpattern, QuaminaCrate, QuaminaMode, Reference, ValidatedQuamina,
};
use support::rulesets::{self, Dataset};

fn bench_categories(c: &mut Criterion) {
    let mut report = support::start_report("categories");
    let batch = support::batch_size();
    let mut datasets: HashMap<Dataset, Vec<String>> = HashMap::new();

    for set in rulesets::all() {
        let events = datasets
            .entry(set.dataset)
            .or_insert_with(|| set.dataset.events(batch))
            .clone();
        let bytes = support::total_bytes(&events);
        let group_name = format!("{}/{}", set.dataset.name(), set.name);

        let (evpattern, ev_cost) = support::alloc::measure(|| Evpattern::compile(&set.rules));
        let (quamina, q_cost) = support::alloc::measure(|| {
            QuaminaCrate::compile(&set.rules, QuaminaMode::BuiltForSpeed)
        });
        let reference = Reference::compile(&set.rules);

        let mut engines: Vec<(&str, Box<dyn Engine>)> = Vec::new();
        let mut unsupported: Vec<(&str, String)> = Vec::new();
        match evpattern {
            Ok(e) => {
                report.record(json!({
                    "group": group_name, "engine": "evpattern", "compile_s": ev_cost.seconds,
                    "retained": ev_cost.retained, "peak": ev_cost.peak, "stats": e.stats_line(), "reported_bytes": e.reported_bytes(),
                }));
                engines.push(("evpattern", Box::new(e)));
            }
            Err(e) => unsupported.push(("evpattern", e)),
        }
        match quamina {
            Ok(q) => {
                report.record(json!({
                    "group": group_name, "engine": "quamina", "compile_s": q_cost.seconds,
                    "retained": q_cost.retained, "peak": q_cost.peak,
                    "reported_bytes": q.reported_bytes(),
                }));
                engines.push(("quamina", Box::new(q)));
                if let Ok(q) = QuaminaCrate::compile(&set.rules, QuaminaMode::BuiltForSpeed) {
                    engines.push(("quamina+validation", Box::new(ValidatedQuamina(q))));
                }
            }
            Err(e) => unsupported.push(("quamina", e)),
        }
        match reference {
            Ok(r) => engines.push(("reference", Box::new(r))),
            Err(e) => unsupported.push(("reference", e)),
        }
        for (engine, why) in &unsupported {
            eprintln!("{group_name}: {engine} skipped: {why}");
            report.record(json!({"group": group_name, "engine": engine, "unsupported": why}));
        }

        // Agreement with the reference matcher, event by event, before anything is timed.
        if let Some(ref_index) = engines.iter().position(|(name, _)| *name == "reference") {
            let (_, mut oracle) = engines.remove(ref_index);
            let counts = support::per_rule_counts(&events, oracle.as_mut(), set.rules.len());
            report.record(json!({"group": group_name, "engine": "reference", "per_rule": counts}));
            for (name, engine) in engines.iter_mut() {
                let (bad, examples) =
                    support::disagreements(&events, engine.as_mut(), oracle.as_mut());
                if bad > 0 {
                    eprintln!(
                        "{group_name}: {name} disagrees with the reference on {bad} of {} events: {examples:?}",
                        events.len()
                    );
                }
                report.record(json!({
                    "group": group_name, "engine": name, "disagreements": bad, "examples": examples,
                }));
            }
            engines.insert(ref_index, ("reference", oracle));
        }

        report.record(json!({
            "group": group_name, "events": events.len(), "bytes": bytes,
            "rules": set.rules.len(), "dataset": set.dataset.name(), "category": set.name,
        }));

        let mut group = c.benchmark_group(&group_name);
        group.throughput(Throughput::Bytes(bytes));
        for (name, engine) in engines.iter_mut() {
            group.bench_function(*name, |b| {
                b.iter(|| engines::run_batch(engine.as_mut(), black_box(&events)))
            });
        }
        group.bench_function("floor", |b| {
            b.iter(|| engines::run_floor(black_box(&events)))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = support::criterion();
    targets = bench_categories
}
criterion_main!(benches);
