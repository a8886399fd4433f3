//! Matches one benchmark rule set in a loop with nothing else running, for profilers
//! (`perf record`, `valgrind --tool=callgrind`): the benchmark binaries spend much of their time
//! in setup and in the reference matcher, which drowns the engine in a profile.
//!
//! ```text
//! cargo build --release --example profile_match
//! perf record -g target/release/examples/profile_match citylots2 COMBO evpattern 5
//! ```
//!
//! Arguments: data set, rule set (see `gen_events list`), engine (`evpattern`,
//! `evpattern-trusted` (trusted-input mode), `quamina`,
//! `quamina+validation`, `reference` or `floor`), seconds to run (default 5; at least one
//! batch of 1,000 events runs). Prints events per second.

#[allow(dead_code)]
#[path = "../benches/support/datagen.rs"]
mod datagen;
#[allow(dead_code)]
#[path = "../benches/support/engines.rs"]
mod engines;
#[allow(dead_code)]
#[path = "../benches/support/rulesets.rs"]
mod rulesets;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use engines::Engine;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dataset, set_name, engine, rest @ ..] = args.as_slice() else {
        eprintln!("usage: profile_match DATASET SET ENGINE [SECONDS]");
        return ExitCode::from(2);
    };
    let seconds: f64 = rest.first().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let Some(set) = rulesets::all()
        .into_iter()
        .find(|s| s.dataset.name() == dataset && s.name == set_name)
    else {
        eprintln!("profile_match: no rule set {dataset} {set_name}");
        return ExitCode::from(2);
    };
    let events = set.dataset.events(1000);
    let compiled: Result<Option<Box<dyn Engine>>, String> = match engine.as_str() {
        "floor" => Ok(None),
        "evpattern" => engines::Evpattern::compile(&set.rules).map(|e| Some(Box::new(e) as _)),
        "evpattern-trusted" => {
            engines::Evpattern::compile(&set.rules).map(|e| Some(Box::new(e.trusted()) as _))
        }
        "quamina" => {
            engines::QuaminaCrate::compile(&set.rules, engines::QuaminaMode::BuiltForSpeed)
                .map(|e| Some(Box::new(e) as _))
        }
        "quamina+validation" => {
            engines::QuaminaCrate::compile(&set.rules, engines::QuaminaMode::BuiltForSpeed)
                .map(|e| Some(Box::new(engines::ValidatedQuamina(e)) as _))
        }
        "reference" => engines::Reference::compile(&set.rules).map(|e| Some(Box::new(e) as _)),
        _ => Err(format!("unknown engine {engine}")),
    };
    let mut matcher = match compiled {
        Ok(matcher) => matcher,
        Err(e) => {
            eprintln!("profile_match: {e}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let mut rounds = 0u64;
    let mut matched = 0usize;
    // At least one batch, so that a profiler counting instructions (callgrind) sees one.
    loop {
        matched += match matcher.as_mut() {
            Some(m) => engines::run_batch(m.as_mut(), &events),
            None => engines::run_floor(&events),
        };
        rounds += 1;
        if start.elapsed() >= Duration::from_secs_f64(seconds) {
            break;
        }
    }
    let per_second = (rounds * events.len() as u64) as f64 / start.elapsed().as_secs_f64();
    println!("{dataset} {set_name} {engine}: {per_second:.0} events/s ({matched} matches)");
    ExitCode::SUCCESS
}
