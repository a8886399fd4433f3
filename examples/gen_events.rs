//! Writes the benchmarks' generated events or rule sets as NDJSON, for timing command-line
//! matchers on the same data (see BENCHMARKS.md).
//!
//! ```text
//! cargo run --release --example gen_events -- events saasus-string 100000 > events.ndjson
//! cargo run --release --example gen_events -- rules saasus-string SAASUS_MIXED_20 > rules.ndjson
//! cargo run --release --example gen_events -- list
//! ```
//!
//! Data sets: citylots, citylots2, cloudtrail, saasus-string, saasus-object. Events are
//! identical to the ones the benchmarks match (same seed). Rules come out as the file
//! `evpattern match --rules` reads: one JSON object `{"<SET>-<i>": pattern, ...}`.

#[allow(dead_code)]
#[path = "../benches/support/datagen.rs"]
mod datagen;
#[allow(dead_code)]
#[path = "../benches/support/rulesets.rs"]
mod rulesets;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use datagen::{CityLotsShape, SaasusForm};
use rulesets::Dataset;

const DATASETS: &[Dataset] = &[
    Dataset::CityLots,
    Dataset::CityLots2,
    Dataset::CloudTrail,
    Dataset::SaasusString,
    Dataset::SaasusObject,
];

fn dataset(name: &str) -> Option<Dataset> {
    DATASETS.iter().copied().find(|d| d.name() == name)
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: gen_events events DATASET COUNT [SEED]\n       gen_events rules DATASET SET\n       gen_events list"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let written = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["list"] => rulesets::all().iter().try_for_each(|s| {
            writeln!(
                out,
                "{} {} ({} rules)",
                s.dataset.name(),
                s.name,
                s.rules.len()
            )
        }),
        ["events", name, count, rest @ ..] => {
            let (Some(dataset), Ok(count)) = (dataset(name), count.parse::<usize>()) else {
                return usage();
            };
            let seed = rest
                .first()
                .and_then(|s| s.parse().ok())
                .unwrap_or(datagen::SEED);
            let mut rng = datagen::SplitMix64::new(seed);
            let ops = datagen::saasus_operations();
            (0..count).try_for_each(|_| {
                let event = match dataset {
                    Dataset::CityLots => datagen::city_lot(&mut rng, CityLotsShape::Plain),
                    Dataset::CityLots2 => datagen::city_lot(&mut rng, CityLotsShape::Objects),
                    Dataset::CloudTrail => datagen::cloudtrail_event(&mut rng),
                    Dataset::SaasusString => {
                        datagen::saasus_event(&mut rng, &ops, SaasusForm::String)
                    }
                    Dataset::SaasusObject => {
                        datagen::saasus_event(&mut rng, &ops, SaasusForm::Object)
                    }
                };
                writeln!(out, "{event}")
            })
        }
        ["rules", name, set_name] => {
            let Some(set) = rulesets::all()
                .into_iter()
                .find(|s| s.dataset.name() == *name && s.name == *set_name)
            else {
                return usage();
            };
            // One JSON object of rule name to pattern, as `evpattern match --rules` reads it;
            // zero-padded numbers keep name order equal to rule order.
            let members: Vec<String> = set
                .rules
                .iter()
                .enumerate()
                .map(|(i, rule)| format!("\"{}-{i:03}\":{rule}", set.name))
                .collect();
            writeln!(out, "{{{}}}", members.join(",\n"))
        }
        _ => return usage(),
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_events: {e}");
            ExitCode::from(1)
        }
    }
}
