//! How fast the events of the benchmarks can merely be validated as JSON: the floor under any
//! matcher that, like EventBridge and evpattern, reads and checks the whole event.
//!
//! ```text
//! cargo run --release --example validation_floor
//! RUSTFLAGS="-C target-cpu=native" cargo run --release --example validation_floor \
//!     --target-dir target/native     # let the SIMD parsers use every instruction set
//! ```
//!
//! Per data set (the benchmarks' 1,000 events, same seed): `serde_json` into `IgnoredAny` (the
//! floor the benchmarks quote), `simd-json` to its tape, `sonic-rs` into `IgnoredAny` and
//! into its `Value`, and evpattern's scanner with no rule (a `Matcher` with one rule on a
//! field no event has, so every byte is validated and nothing kept). Each is run in turn for
//! five rounds of about 0.3 s; the best round counts, as the machine may be shared.
//! Then, per data set, the quamina crate's rate on the set of that data where it is fastest,
//! and what three times that would ask of a validator.

#[allow(dead_code)]
#[path = "../benches/support/datagen.rs"]
mod datagen;
#[allow(dead_code)]
#[path = "../benches/support/engines.rs"]
mod engines;
#[allow(dead_code)]
#[path = "../benches/support/rulesets.rs"]
mod rulesets;

use std::hint::black_box;
use std::time::{Duration, Instant};

use engines::Engine;
use evpattern::matcher::MatchScratch;
use evpattern::Matcher;
use rulesets::Dataset;

/// How long each validator runs.
#[derive(Clone, Copy)]
struct Timing {
    rounds: usize,
    round: Duration,
}

impl Timing {
    /// Five rounds of 0.3 s; with `--quick` (CI: the example cannot rot), one short round.
    fn from_args() -> Timing {
        if std::env::args().any(|a| a == "--quick") {
            Timing {
                rounds: 1,
                round: Duration::from_millis(5),
            }
        } else {
            Timing {
                rounds: 5,
                round: Duration::from_millis(300),
            }
        }
    }
}

type Validate = Box<dyn FnMut(&[u8]) -> bool>;

fn validators() -> Vec<(&'static str, Validate)> {
    let mut matcher: Matcher<u32> = Matcher::new();
    // A rule on a path no event has: the scanner validates everything and keeps nothing.
    matcher
        .add_rule(0, r#"{"no-such-field": [{"exists": true}]}"#)
        .expect("a valid pattern");
    let mut scratch = MatchScratch::new();
    let mut matched = Vec::new();
    let mut tape_copy = Vec::new();
    let mut tape_buffers = simd_json::Buffers::default();
    vec![
        (
            "serde_json IgnoredAny",
            Box::new(|e: &[u8]| serde_json::from_slice::<serde::de::IgnoredAny>(e).is_ok())
                as Validate,
        ),
        (
            "simd-json tape",
            Box::new(move |e: &[u8]| {
                // simd-json parses in place: the copy is part of its cost to a caller that
                // keeps the event.
                tape_copy.clear();
                tape_copy.extend_from_slice(e);
                simd_json::to_tape_with_buffers(&mut tape_copy, &mut tape_buffers).is_ok()
            }),
        ),
        (
            "sonic-rs IgnoredAny",
            Box::new(|e: &[u8]| sonic_rs::from_slice::<serde::de::IgnoredAny>(e).is_ok()),
        ),
        (
            "sonic-rs Value",
            Box::new(|e: &[u8]| sonic_rs::from_slice::<sonic_rs::Value>(e).is_ok()),
        ),
        (
            "evpattern scanner",
            Box::new(move |e: &[u8]| {
                matched.clear();
                matcher.matches_into(e, &mut scratch, &mut matched).is_ok()
            }),
        ),
    ]
}

/// Events per second of `validate` over `events` in its best round; `None` if it refused one.
fn best_rate(validate: &mut Validate, events: &[String], timing: Timing) -> Option<f64> {
    let mut best = 0f64;
    for _ in 0..timing.rounds {
        best = best.max(round(validate, events, timing.round)?);
    }
    Some(best)
}

/// Events per second of `validate` over `events` in one round; `None` if it refused one.
fn round(validate: &mut Validate, events: &[String], length: Duration) -> Option<f64> {
    let start = Instant::now();
    let mut done = 0usize;
    while start.elapsed() < length {
        for event in events {
            if !validate(black_box(event.as_bytes())) {
                return None;
            }
        }
        done += events.len();
    }
    Some(done as f64 / start.elapsed().as_secs_f64())
}

fn main() {
    let timing = Timing::from_args();
    println!("| data set | average bytes | validator | best ev/s | MB/s | ÷ serde_json |");
    println!("| --- | ---: | --- | ---: | ---: | ---: |");
    let datasets = [
        Dataset::CityLots,
        Dataset::CityLots2,
        Dataset::CloudTrail,
        Dataset::SaasusString,
        Dataset::SaasusObject,
    ];
    let mut asks = Vec::new();
    for dataset in datasets {
        let events = dataset.events(1000);
        let bytes = events.iter().map(String::len).sum::<usize>() as f64 / events.len() as f64;
        let mut validators = validators();
        let mut best = vec![0f64; validators.len()];
        for _ in 0..timing.rounds {
            for (i, (name, validate)) in validators.iter_mut().enumerate() {
                match round(validate, &events, timing.round) {
                    Some(rate) => best[i] = best[i].max(rate),
                    None => panic!("{name} refused an event of {}", dataset.name()),
                }
            }
        }
        for ((name, _), rate) in validators.iter().zip(&best) {
            println!(
                "| {} | {bytes:.0} | {name} | {} | {:.0} | {:.2}× |",
                dataset.name(),
                rate_text(*rate),
                rate * bytes / 1e6,
                rate / best[0]
            );
        }
        let fastest = best.iter().copied().fold(0.0, f64::max);
        if let Some((set, quamina)) = fastest_quamina(dataset, &events, timing) {
            asks.push((dataset.name(), set, quamina, fastest));
        }
    }
    println!();
    println!(
        "| data set | quamina's fastest set | quamina ev/s | 3× quamina ÷ fastest validator |"
    );
    println!("| --- | --- | ---: | ---: |");
    for (dataset, set, quamina, fastest) in asks {
        println!(
            "| {dataset} | {set} | {} | {:.2}× |",
            rate_text(quamina),
            3.0 * quamina / fastest
        );
    }
}

/// The quamina crate's best rate over the rule sets of `dataset` it accepts, with the set.
fn fastest_quamina(
    dataset: Dataset,
    events: &[String],
    timing: Timing,
) -> Option<(&'static str, f64)> {
    rulesets::all()
        .into_iter()
        .filter(|s| s.dataset == dataset)
        .filter_map(|s| {
            let mut quamina =
                engines::QuaminaCrate::compile(&s.rules, engines::QuaminaMode::BuiltForSpeed)
                    .ok()?;
            // Timed like a validator; it accepts every event, malformed or not.
            let mut matching: Validate = Box::new(move |e: &[u8]| {
                black_box(quamina.count(e));
                true
            });
            Some((s.name, best_rate(&mut matching, events, timing)?))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

fn rate_text(rate: f64) -> String {
    if rate >= 1e6 {
        format!("{:.2} M", rate / 1e6)
    } else {
        format!("{:.1} k", rate / 1e3)
    }
}
