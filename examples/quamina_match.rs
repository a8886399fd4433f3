//! The peer's side of the command-line comparison in BENCHMARKS.md: the `quamina` crate driven
//! the way `evpattern match --rules RULES --events FILE` is driven, reading the same files and
//! writing the same output, so the two programs can be timed on the same work.
//!
//! ```text
//! cargo run --release --example quamina_match -- --rules rules.json --events events.ndjson
//! ```
//!
//! RULES: a JSON object of rule name to pattern (a pattern object, or a string holding one).
//! EVENTS: one JSON event per line, `-` for standard input. Output, as `evpattern match`: per
//! input line, the JSON array of the matching rule names sorted by name, `[]` when none, an
//! empty line for a blank one, `{"error":"...","line":N}` for an event quamina rejects; with
//! `--count`, one `NAME<TAB>COUNT` line per rule instead. Exit status 0, or 2 when a rule is
//! invalid, input cannot be read, or some line was rejected.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

struct Options {
    rules: String,
    events: String,
    count: bool,
}

fn parse_args() -> Option<Options> {
    let mut args = std::env::args().skip(1);
    let (mut rules, mut events, mut count) = (None, String::from("-"), false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rules" => rules = Some(args.next()?),
            "--events" => events = args.next()?,
            "--count" => count = true,
            _ => return None,
        }
    }
    Some(Options {
        rules: rules?,
        events,
        count,
    })
}

/// The matcher, and the rule names by key; keys are given in name order.
fn read_rules(path: &str) -> Result<(quamina::Quamina<u32>, Vec<String>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    // serde_json's map is ordered by key, which is the order names are reported in.
    let rules: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| format!("cannot read rules from {path}: {e}"))?;
    let mut matcher = quamina::QuaminaBuilder::<u32>::new()
        .with_arena_byte_budget(4 << 30)
        .build()
        .map_err(|e| format!("{e:?}"))?;
    let mut names = Vec::with_capacity(rules.len());
    for (name, pattern) in rules {
        let pattern = match pattern {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        };
        matcher
            .add_pattern(names.len() as u32, &pattern)
            .map_err(|e| format!("rule {name:?}: {e:?}"))?;
        names.push(name);
    }
    Ok((matcher, names))
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Matches every line; returns whether some line was rejected.
fn run(options: &Options) -> Result<bool, String> {
    let (matcher, names) = read_rules(&options.rules)?;
    let mut input: Box<dyn BufRead> = if options.events == "-" {
        Box::new(BufReader::with_capacity(1 << 16, std::io::stdin().lock()))
    } else {
        let file = std::fs::File::open(&options.events)
            .map_err(|e| format!("cannot read events from {}: {e}", options.events))?;
        Box::new(BufReader::with_capacity(1 << 16, file))
    };
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let write_error = |e: std::io::Error| format!("cannot write output: {e}");
    let mut counts = vec![0u64; names.len()];
    let (mut line, mut text) = (Vec::new(), String::new());
    let (mut number, mut failed) = (0u64, false);
    loop {
        line.clear();
        let read = input
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read events: {e}"))?;
        if read == 0 {
            break;
        }
        number += 1;
        let event = line.strip_suffix(b"\n").unwrap_or(&line);
        let event = event.strip_suffix(b"\r").unwrap_or(event);
        if event.iter().all(u8::is_ascii_whitespace) {
            if !options.count {
                out.write_all(b"\n").map_err(write_error)?;
            }
            continue;
        }
        match matcher.matches_for_event(event) {
            Ok(mut keys) if options.count => {
                keys.sort_unstable();
                keys.dedup();
                for key in keys {
                    counts[key as usize] += 1;
                }
            }
            Ok(mut keys) => {
                keys.sort_unstable();
                keys.dedup();
                text.clear();
                text.push('[');
                for (i, &key) in keys.iter().enumerate() {
                    if i > 0 {
                        text.push(',');
                    }
                    text.push_str(&quote(&names[key as usize]));
                }
                text.push_str("]\n");
                out.write_all(text.as_bytes()).map_err(write_error)?;
            }
            Err(e) => {
                failed = true;
                eprintln!("quamina_match: line {number}: {e:?}");
                if !options.count {
                    let record = format!(
                        "{{\"error\":{},\"line\":{number}}}\n",
                        quote(&format!("{e:?}"))
                    );
                    out.write_all(record.as_bytes()).map_err(write_error)?;
                }
            }
        }
    }
    if options.count {
        for (name, count) in names.iter().zip(&counts) {
            writeln!(out, "{name}\t{count}").map_err(write_error)?;
        }
    }
    out.flush().map_err(write_error)?;
    Ok(failed)
}

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: quamina_match --rules RULES [--events FILE|-] [--count]");
        return ExitCode::from(2);
    };
    match run(&options) {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(2),
        Err(e) => {
            eprintln!("quamina_match: {e}");
            ExitCode::from(2)
        }
    }
}
