//! How matching throughput, compile time and memory grow with the number of rules: 1 to 100,000
//! rules of one kind (exact, prefix, one-star wildcard) on fields the city-lot events carry
//! (ten of them can match, the rest use values just outside the events' ranges; see
//! `rulesets::scaling_rules`),
//! for evpattern and the quamina crate.
//!
//! Throughput is measured by criterion; compile time and heap (retained after the build, and
//! peak during it, from a counting allocator) are measured once per size and written to the
//! report side file. Under `--test` (and `cargo test --benches`) sizes stop at 1,000 unless
//! `EVPATTERN_BENCH_FULL=1`.
//!
//! `sibling_fields`: compile time against the number of distinct field names under one
//! object (`{"detail": {"f<i>": ["x"]}}`), as n rules of one field each and as one rule of n
//! fields: the shape of an emulator or relay holding many tenants' rules, which once cost
//! quadratic time (issue 17, item 1).

mod support;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::json;

use support::engines::{self, Engine, Evpattern, QuaminaCrate, QuaminaMode};
use support::rulesets::{scaling_rules, Dataset, ScaleKind};

const SIZES: &[usize] = &[1, 10, 100, 1_000, 10_000, 100_000];

fn sizes() -> &'static [usize] {
    if support::full_sizes() {
        SIZES
    } else {
        &SIZES[..4]
    }
}

/// quamina's faster matching mode (its default keeps wildcards as NFAs, whose matching cost
/// grows with their number); on these sets its DFA conversion stays affordable.
const QUAMINA_MODE: QuaminaMode = QuaminaMode::BuiltForSpeed;

fn bench_scaling(c: &mut Criterion) {
    let mut report = support::start_report("scaling");
    let events = Dataset::CityLots.events(support::batch_size());
    let bytes = support::total_bytes(&events);

    for kind in [ScaleKind::Exact, ScaleKind::Prefix, ScaleKind::Wildcard] {
        let group_name = format!("scaling/{}", kind.name());
        let mut group = c.benchmark_group(&group_name);
        group.throughput(Throughput::Bytes(bytes));
        for &size in sizes() {
            let rules = scaling_rules(kind, size, support::datagen::SEED, &events);
            let mut contenders: Vec<(&str, Box<dyn Engine>)> = Vec::new();

            let (evpattern, cost) = support::alloc::measure(|| Evpattern::compile(&rules));
            match evpattern {
                Ok(e) => {
                    report.record(json!({
                        "group": group_name, "rules": size, "engine": "evpattern",
                        "compile_s": cost.seconds, "retained": cost.retained, "peak": cost.peak,
                        "stats": e.stats_line(), "reported_bytes": e.reported_bytes(),
                    }));
                    contenders.push(("evpattern", Box::new(e)));
                }
                Err(why) => eprintln!("{group_name}/{size}: evpattern skipped: {why}"),
            }

            let mode = QUAMINA_MODE;
            let (quamina, cost) = support::alloc::measure(|| QuaminaCrate::compile(&rules, mode));
            match quamina {
                Ok(q) => {
                    report.record(json!({
                        "group": group_name, "rules": size, "engine": "quamina",
                        "compile_s": cost.seconds, "retained": cost.retained, "peak": cost.peak,
                        "reported_bytes": q.reported_bytes(), "mode": format!("{mode:?}"),
                    }));
                    contenders.push(("quamina", Box::new(q)));
                }
                Err(why) => eprintln!("{group_name}/{size}: quamina skipped: {why}"),
            }

            if let [(_, first), (_, second)] = contenders.as_mut_slice() {
                let (bad, examples) =
                    support::disagreements(&events, first.as_mut(), second.as_mut());
                if bad > 0 {
                    eprintln!("{group_name}/{size}: evpattern and quamina disagree on {bad} events: {examples:?}");
                }
                report.record(json!({
                    "group": group_name, "rules": size, "disagreements": bad, "examples": examples,
                }));
            }
            let matches = contenders
                .first_mut()
                .map_or(0, |(_, e)| engines::run_batch(e.as_mut(), &events));
            report.record(json!({
                "group": group_name, "rules": size, "events": events.len(), "bytes": bytes,
                "matches": matches,
            }));

            for (name, engine) in contenders.iter_mut() {
                group.bench_with_input(BenchmarkId::new(*name, size), &size, |b, _| {
                    b.iter(|| engines::run_batch(engine.as_mut(), black_box(&events)))
                });
            }
        }
        group.finish();
    }
}

/// Sibling-field counts for `sibling_fields`.
const SIBLING_SIZES: &[usize] = &[1_000, 10_000, 100_000];

fn sibling_sizes() -> &'static [usize] {
    if support::full_sizes() {
        SIBLING_SIZES
    } else {
        &SIBLING_SIZES[..1]
    }
}

fn bench_sibling_fields(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling/sibling_fields");
    for &size in sibling_sizes() {
        let rules: Vec<String> = (0..size)
            .map(|i| format!(r#"{{"detail": {{"f{i}": ["x"]}}}}"#))
            .collect();
        let fields: Vec<String> = (0..size).map(|i| format!(r#""f{i}": ["x"]"#)).collect();
        let one_rule = format!(r#"{{"detail": {{{}}}}}"#, fields.join(", "));
        // The matcher is dropped outside the timing: what is measured is compiling it.
        group.bench_with_input(BenchmarkId::new("rules", size), &rules, |b, rules| {
            b.iter_with_large_drop(|| {
                let mut m = evpattern::Matcher::new();
                for (i, rule) in rules.iter().enumerate() {
                    m.add_rule(i, rule).expect("a valid rule");
                }
                m
            })
        });
        group.bench_with_input(BenchmarkId::new("one_rule", size), &one_rule, |b, rule| {
            b.iter_with_large_drop(|| {
                let mut m = evpattern::Matcher::new();
                m.add_rule(0, rule).expect("a valid rule");
                m
            })
        });
    }
    group.finish();
}

/// Rule counts for `shared_change`.
const SHARED_SIZES: &[usize] = &[1_000, 100_000];

/// One rule added to and removed from a `SharedMatcher` holding n rules (the exact-match
/// scaling rules): what a server pays per PutRule / DeleteRule (issue 17, item 10). The time
/// is for the pair; each is a swap readers see whole.
fn bench_shared_change(c: &mut Criterion) {
    let events = Dataset::CityLots.events(support::batch_size());
    let sizes = if support::full_sizes() {
        SHARED_SIZES
    } else {
        &SHARED_SIZES[..1]
    };
    let mut group = c.benchmark_group("scaling/shared_change");
    for &size in sizes {
        let rules = scaling_rules(ScaleKind::Exact, size, support::datagen::SEED, &events);
        let mut matcher = evpattern::Matcher::new();
        for (i, rule) in rules.iter().enumerate() {
            matcher.add_rule(i as u32, rule).expect("a valid rule");
        }
        let shared = evpattern::SharedMatcher::from_matcher(matcher);
        let extra = size as u32;
        let rule = r#"{"properties": {"STREET": ["NOT A STREET"]}}"#;
        // The first change copies the matcher once (there is no spare yet); not measured.
        shared.add_rule(extra, rule).expect("a valid rule");
        shared.remove_rule(&extra);
        group.bench_with_input(BenchmarkId::new("add_and_remove", size), &size, |b, _| {
            b.iter(|| {
                shared
                    .add_rule(extra, black_box(rule))
                    .expect("a valid rule");
                shared.remove_rule(&extra)
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = support::criterion();
    targets = bench_scaling, bench_sibling_fields, bench_shared_change
}
criterion_main!(benches);
