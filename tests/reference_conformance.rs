//! The reference matcher against the cases recorded on real AWS: every `match` and `no_match`
//! case must come out as AWS decided.
//!
//! The corpus is read at run time from `$EVPATTERN_CONFORMANCE`, or else from
//! `$CARGO_MANIFEST_DIR/../shared/conformance/aws-recorded/cases.jsonl`.

use std::path::PathBuf;

use evpattern::reference::matches_text;
use evpattern::Pattern;
use serde_json::Value;

fn corpus_path() -> PathBuf {
    match std::env::var_os("EVPATTERN_CONFORMANCE") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/conformance/aws-recorded/cases.jsonl"),
    }
}

/// A case's event or pattern: recorded as JSON text, or (in hand-written cases) inline JSON.
fn text_of(case: &Value, field: &str) -> String {
    match &case[field] {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[test]
fn every_recorded_match_decision_is_reproduced() {
    let path = corpus_path();
    let corpus = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut decided = 0;
    let mut failures = Vec::new();
    for (line_number, line) in corpus.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", line_number + 1));
        let expected = match case["expect"].as_str() {
            Some("match") => true,
            Some("no_match") => false,
            _ => continue,
        };
        decided += 1;
        let name = case["name"].as_str().unwrap_or("?").to_owned();
        let outcome = Pattern::parse(&text_of(&case, "pattern"))
            .map_err(|e| format!("pattern rejected: {e:?}"))
            .and_then(|pattern| {
                matches_text(&pattern, &text_of(&case, "event"))
                    .map_err(|e| format!("event rejected: {e}"))
            });
        match outcome {
            Ok(got) if got == expected => {}
            Ok(got) => failures.push(format!("{name}: expected {expected}, got {got}")),
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    assert!(decided > 0, "no match/no_match cases in {}", path.display());
    assert!(
        failures.is_empty(),
        "{} of {decided} recorded cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
