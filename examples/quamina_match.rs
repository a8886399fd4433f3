//! The peer's side of the command-line comparison in BENCHMARKS.md: the `quamina` crate driven
//! the way `evpattern match --rules RULES --events FILE` is driven, reading the same files and
//! writing the same kind of output, so the two programs can be timed on the same work.
//!
//! ```text
//! cargo run --release --example quamina_match -- --rules rules.ndjson --events events.ndjson
//! ```
//!
//! RULES holds one rule per line: `{"name": "...", "pattern": {...}}` (or a bare pattern, named
//! by its line number). EVENTS holds one JSON event per line (`-` for standard input). For each
//! event that matches, one line: `{"line": N, "matches": ["name", ...]}`. Exit status 0 when
//! any event matched, 1 when none did, 2 on bad input.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

fn read_rules(path: &str) -> Result<(quamina::Quamina<u32>, Vec<String>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let mut matcher = quamina::QuaminaBuilder::<u32>::new()
        .with_arena_byte_budget(4 << 30)
        .build()
        .map_err(|e| format!("{e:?}"))?;
    let mut names = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", i + 1))?;
        let (name, pattern) = match (value.get("name"), value.get("pattern")) {
            (Some(serde_json::Value::String(name)), Some(pattern)) => {
                (name.clone(), pattern.to_string())
            }
            _ => ((i + 1).to_string(), line.to_owned()),
        };
        matcher
            .add_pattern(names.len() as u32, &pattern)
            .map_err(|e| format!("{path}:{}: {e:?}", i + 1))?;
        names.push(name);
    }
    Ok((matcher, names))
}

fn run(rules: &str, events: &str) -> Result<bool, String> {
    let (matcher, names) = read_rules(rules)?;
    let input: Box<dyn BufRead> = if events == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(BufReader::with_capacity(
            1 << 16,
            std::fs::File::open(events).map_err(|e| format!("cannot read {events}: {e}"))?,
        ))
    };
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut any = false;
    let mut line = Vec::with_capacity(4096);
    let mut reader = input;
    let mut number = 0usize;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read {events}: {e}"))?;
        if read == 0 {
            break;
        }
        number += 1;
        let event = line.strip_suffix(b"\n").unwrap_or(&line);
        if event.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let mut keys = matcher
            .matches_for_event(event)
            .map_err(|e| format!("{events}:{number}: {e:?}"))?;
        if keys.is_empty() {
            continue;
        }
        any = true;
        keys.sort_unstable();
        let matched: Vec<&str> = keys.iter().map(|&k| names[k as usize].as_str()).collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"line": number, "matches": matched}),
        )
        .map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(any)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut rules, mut events) = (None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--rules" => rules = it.next(),
            "--events" => events = it.next(),
            _ => {
                eprintln!("usage: quamina_match --rules RULES --events FILE");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(rules), Some(events)) = (rules, events) else {
        eprintln!("usage: quamina_match --rules RULES --events FILE");
        return ExitCode::from(2);
    };
    match run(rules, events) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("quamina_match: {e}");
            ExitCode::from(2)
        }
    }
}
