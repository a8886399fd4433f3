//! Every case recorded against real AWS `TestEventPattern`, run through
//! [`evpattern::test_event_pattern`].
//!
//! The corpus is read at run time from `$EVPATTERN_CONFORMANCE`, or else from
//! `$CARGO_MANIFEST_DIR/../shared/conformance/aws-recorded/cases.jsonl`. When neither exists
//! the test explains why and passes, unless `CI` is set or `EVPATTERN_CONFORMANCE` names a
//! missing file: then a missing corpus is a failure.

use std::path::PathBuf;

use serde_json::Value;

/// JSON-syntax cases: AWS's reason quotes its Java JSON library, so only the outcome counts.
const SYNTAX_CASES: [&str; 3] = [
    "invalid_json_pattern_0",
    "invalid_json_pattern_1",
    "invalid_json_pattern_2",
];

const REASON_PREFIX: &str = "Event pattern is not valid. Reason: ";

fn corpus_path() -> Option<PathBuf> {
    let explicit = std::env::var_os("EVPATTERN_CONFORMANCE").map(PathBuf::from);
    let path = explicit.clone().unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/conformance/aws-recorded/cases.jsonl")
    });
    if path.exists() {
        return Some(path);
    }
    let required = explicit.is_some() || std::env::var_os("CI").is_some();
    assert!(
        !required,
        "conformance corpus not found at {}",
        path.display()
    );
    eprintln!(
        "conformance: skipped, no corpus at {} (set EVPATTERN_CONFORMANCE)",
        path.display()
    );
    None
}

/// What one case produced, in the corpus's vocabulary.
fn outcome(result: &Result<bool, evpattern::TestError>) -> (String, Option<String>) {
    match result {
        Ok(true) => ("match".into(), None),
        Ok(false) => ("no_match".into(), None),
        Err(e) if e.code() == "InvalidEventPatternException" => {
            ("invalid_pattern".into(), Some(e.message().to_owned()))
        }
        Err(e) => ("invalid_event".into(), Some(e.message().to_owned())),
    }
}

#[test]
fn aws_recorded_cases() {
    let Some(path) = corpus_path() else { return };
    let text = std::fs::read_to_string(&path).expect("corpus is readable");
    let mut total = 0;
    let mut failures = Vec::new();
    for (line_number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("line {}: not JSON: {e}", line_number + 1));
        let field = |name: &str| case.get(name).and_then(Value::as_str).unwrap_or_default();
        let (name, event, pattern, expect) = (
            field("name"),
            field("event"),
            field("pattern"),
            field("expect"),
        );
        let expected_error = case.get("error").and_then(Value::as_str);
        total += 1;

        let (got, got_error) = outcome(&evpattern::test_event_pattern(event, pattern));
        let outcome_ok = got == expect;
        let error_ok = match expect {
            "invalid_pattern" if SYNTAX_CASES.contains(&name) => true,
            "invalid_pattern" | "invalid_event" => got_error.as_deref() == expected_error,
            _ => true,
        };
        if !(outcome_ok && error_ok) {
            let describe = |outcome: &str, error: Option<&str>| match error {
                Some(e) => format!("{outcome} ({})", e.trim_start_matches(REASON_PREFIX)),
                None => outcome.to_owned(),
            };
            failures.push(format!(
                "  {name}: expected {}, got {}",
                describe(expect, expected_error),
                describe(&got, got_error.as_deref())
            ));
        }
    }
    println!("conformance: {}/{total}", total - failures.len());
    for failure in &failures {
        println!("{failure}");
    }
    assert_eq!(total, 168, "the recorded corpus has 168 cases");
    assert!(
        failures.is_empty(),
        "conformance: {}/{total}, failures:\n{}",
        total - failures.len(),
        failures.join("\n")
    );
}
